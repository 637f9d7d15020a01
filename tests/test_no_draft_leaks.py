"""Nothing unpublished reaches an anonymous reader, through any route of the project.

ROUTES names every URL pattern the project has, as `get_resolver()` lists them. A public route
says which addresses to fetch in a world full of hidden entries (a draft, an entry in review,
an unpublished one, an unreviewed edit of a published one, each carrying SECRET in its title or
quote); a non-public route says why it is not public. A route missing from the table fails
`test_every_route_is_in_the_table`, so a new page or endpoint cannot skip the check.
"""

import io
import json
import zipfile
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import URLResolver, get_resolver, reverse

from policies.models import Commitment
from tests import factories
from tests.shared_rows import member, rows_for_a_scope
from tracker.core import clock, workflow
from tracker.core import corrections as readers
from tracker.core.editorial import State
from tracker.core.models import Correction
from tracker.dataset.loader import dump_documents
from tracker.site import citing

pytestmark = pytest.mark.django_db

MARKER = "SECRET"
RESOURCES = [
    "jurisdiction",
    "actor",
    "policy",
    "commitment",
    "assessment",
    "funding",
    "event",
    "estimate",
    "source",
]


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def project_routes() -> set[str]:
    return set(walk(get_resolver().url_patterns))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Published entries of each kind, each with hidden twins that must never show: built once
    for the module's tests (each test's changes roll back; see conftest.rows_for_a_scope)."""
    yield from rows_for_a_scope(django_db_blocker, build_world)


def build_world():
    contributor = member("contributor", "Contributor")
    country = factories.jurisdiction(code="RU", name="Russia")
    policy = factories.published_policy(
        slug="ru-ai", title="AI Strategy zebra", jurisdiction=country
    )
    commitment = factories.published_commitment(
        slug="present", title="Present the strategy zebra", policy=policy, due="2019-07-01"
    )
    shown = SimpleNamespace(
        jurisdiction=country,
        policy=policy,
        commitment=commitment,
        actor=factories.actor(state=State.PUBLISHED, name="Sberbank zebra", jurisdiction=country),
        assessment=factories.published_assessment(
            commitment=commitment, as_of="2019-08", status="in_progress", summary="Late zebra"
        ),
        funding=factories.funding(
            state=State.PUBLISHED, policy=policy, purpose="Public money zebra"
        ),
        event=factories.event(state=State.PUBLISHED, title="Decree signed zebra"),
        estimate=factories.estimate(
            state=State.PUBLISHED, measure="Market size zebra", jurisdiction=country
        ),
        source=factories.source(title="Published report zebra"),
    )
    shown.event.policies.add(policy)
    shown.event.commitments.add(commitment)
    shown.event.jurisdiction = country
    shown.event.save()
    for entry in vars(shown).values():
        factories.cite(entry, quote="A published zebra passage.", source=shown.source)

    draft_source = factories.source(title=f"{MARKER} draft source zebra", state=State.DRAFT)
    draft_policy = factories.policy(
        slug="secret-policy",
        title=f"{MARKER} draft policy zebra",
        jurisdiction=country,
        state=State.DRAFT,
    )
    hidden = {
        "jurisdiction": [
            factories.jurisdiction(code="ZZ", name=f"{MARKER} land", state=State.DRAFT)
        ],
        "policy": [
            draft_policy,
            factories.policy(
                title=f"{MARKER} unpublished policy zebra",
                jurisdiction=country,
                state=State.UNPUBLISHED,
            ),
        ],
        "commitment": [
            factories.commitment(
                title=f"{MARKER} in review zebra", policy=policy, state=State.IN_REVIEW
            ),
            # Published itself, but its policy is a draft: not public either.
            factories.commitment(
                title=f"{MARKER} commitment of a draft policy zebra",
                policy=draft_policy,
                state=State.PUBLISHED,
            ),
        ],
        "assessment": [
            # A draft verdict on a public commitment must change no status or count.
            factories.assessment(
                commitment=commitment,
                as_of="2019-10",
                status="delivered",
                delivered="2019-10",
                summary=f"{MARKER} draft verdict zebra",
            )
        ],
        "event": [
            factories.event(
                title=f"{MARKER} unpublished event zebra",
                state=State.UNPUBLISHED,
                jurisdiction=country,
            )
        ],
        "source": [draft_source],
        "actor": [factories.actor(name=f"{MARKER} draft actor zebra", jurisdiction=country)],
        "funding": [
            factories.funding(
                slug=f"{MARKER}-pledge-in-review",
                purpose=f"{MARKER} draft funding zebra",
                policy=policy,
                state=State.IN_REVIEW,
            )
        ],
        "estimate": [
            factories.estimate(measure=f"{MARKER} draft estimate zebra", jurisdiction=country)
        ],
    }
    hidden["event"][0].policies.add(policy)
    # The pledge a commitment tracks is an optional link, both ways: the public commitment's
    # pledge in review stays unnamed, and the hidden commitments tracking the public pledge
    # stay unlisted.
    commitment.funding = hidden["funding"][0]
    commitment.save()
    Commitment.objects.filter(pk__in=[c.pk for c in hidden["commitment"]]).update(
        funding=shown.funding
    )
    for entry in [e for entries in hidden.values() for e in entries]:
        # Quoted from a published source: the quote must stay as hidden as its entry.
        factories.cite(entry, quote=f"{MARKER} passage of a hidden entry", source=shown.source)
    # A passage quoted from a draft source, on a published entry.
    factories.cite(policy, quote=f"{MARKER} quote from a draft source zebra", source=draft_source)
    # Unreviewed edits of published entries: the public keeps the published version.
    edits = []
    for entry, field in [(commitment, "title"), (policy, "summary"), (shown.event, "title")]:
        edit = workflow.entry_start_edit(entry, by=contributor)
        setattr(edit, field, f"{MARKER} unreviewed edit zebra")
        workflow.entry_save(edit, by=contributor, seen_version=edit.version)
        factories.cite(edit, quote=f"{MARKER} quote only the edit has", source=shown.source)
        edits.append(edit)
    # An unreviewed edit of a commitment, tracking the public pledge, is no tracker of it yet.
    Commitment.objects.filter(pk=edits[0].pk).update(funding=shown.funding)
    # Readers' corrections of every public entry: what they wrote and their address are for
    # the editors only, on every surface, before and after their edit is published; only the
    # curator's note shows, on the entry's page, once it is.
    for kind in RESOURCES:
        sent = readers.submit(
            getattr(shown, kind),
            message=f"{MARKER} what a reader wrote about the {kind} zebra",
            quote=f"{MARKER} a reader's quote",
            source_url="https://example.org/SECRET-evidence",
            email=f"{MARKER}.reader.{kind}@example.org",
        )
        if kind in ("commitment", "policy"):
            Correction.objects.filter(pk=sent.pk).update(
                state=Correction.State.ACCEPTED,
                public_note=f"Corrected zebra note of the {kind}",
                published_at=clock.now(),
            )
    return SimpleNamespace(shown=shown, hidden=hidden, edits=edits)


# -- the table ---------------------------------------------------------------------------
# A public route maps to a function of the world giving (url, expect): "404" when the address
# names a hidden entry, "ok" when it must answer without showing anything hidden.


def _api(kind_plural, suffix=""):
    def fetch(w):
        base = f"/api/v1/{kind_plural}"
        if suffix == "list":
            return [
                (f"{base}/", "ok"),
                (f"{base}/?updated_since=2000-01-01", "ok"),
                (f"{base}/?page_size=1000", "ok"),
                (f"{base}.json", "ok"),
            ]
        if suffix in ("csv", "jsonl"):
            return [(f"{base}/{suffix}/", "ok"), (f"{base}/{suffix}.json", "ok")]
        kind = _SINGULAR[kind_plural]
        shown = getattr(w.shown, kind)
        urls = [(f"{base}/{shown.pk}/", "ok"), (f"{base}/{shown.pk}.json", "ok")]
        urls += [(f"{base}/{e.pk}/", "404") for e in _hidden_of(w, kind)]
        urls += [(f"{base}/{e.pk}.json", "404") for e in _hidden_of(w, kind)]
        return urls

    return fetch


_SINGULAR = {
    "jurisdictions": "jurisdiction",
    "actors": "actor",
    "policies": "policy",
    "commitments": "commitment",
    "assessments": "assessment",
    "funding": "funding",
    "events": "event",
    "estimates": "estimate",
    "sources": "source",
}


def _hidden_of(w, kind):
    return [*w.hidden.get(kind, []), *[e for e in w.edits if e._meta.model_name == kind]]


def _api_filters(kind_plural):
    """Each list with the filters it takes, so that a filter cannot open a side door."""
    extra = {
        "policies": ["jurisdiction=RU", "status=in_force", "kind=strategy", "q=zebra"],
        "commitments": ["jurisdiction=RU", "status=delivered", "due_year=2019", "q=zebra"],
        "events": ["jurisdiction=RU", "year=2019", "q=zebra"],
        "funding": ["jurisdiction=RU", "q=zebra"],
        "actors": ["jurisdiction=RU", "q=zebra"],
        "estimates": ["jurisdiction=RU", "q=zebra"],
        "sources": ["q=zebra"],
    }.get(kind_plural, [])

    def fetch(w):
        base = _api(kind_plural, "list")(w)
        filtered = []
        for query in extra:
            filtered += [
                (f"/api/v1/{kind_plural}/?{query}", "ok"),
                (f"/api/v1/{kind_plural}/csv/?{query}", "ok"),
            ]
        return base + filtered

    return fetch


def _citations(w):
    return [
        ("/api/v1/citations/", "ok"),
        ("/api/v1/citations.json", "ok"),
        ("/api/v1/citations/?q=zebra", "ok"),
    ]


def _citation_detail(w):
    from sources.models import Citation

    hidden = Citation.objects.filter(quote__contains=MARKER)
    shown = Citation.objects.exclude(quote__contains=MARKER).filter(source=w.shown.source).first()
    return [
        (f"/api/v1/citations/{shown.pk}/", "ok"),
        (f"/api/v1/citations/{shown.pk}.json", "ok"),
        *[(f"/api/v1/citations/{c.pk}/", "404") for c in hidden],
        *[(f"/api/v1/citations/{c.pk}.json", "404") for c in hidden],
    ]


def _page(name, *args, query=""):
    return lambda w: [(reverse(name, args=args) + query, "ok")]


def _detail(kind, key="slug"):
    def fetch(w):
        shown = getattr(w.shown, kind)
        urls = [(reverse(kind, args=[getattr(shown, key)]), "ok")]
        for entry in w.hidden.get(kind, []):
            urls.append((reverse(kind, args=[getattr(entry, key)]), "404"))
        return urls

    return fetch


def _policy_detail(w):
    base = reverse("policy", args=[w.shown.policy.slug])
    return [
        *_detail("policy")(w),
        # The "as of" view, before and after the draft verdict's date.
        (f"{base}?as_of=2019-09-01", "ok"),
        (f"{base}?as_of=2030-01-01", "ok"),
    ]


def _timeline_files(kind, key, address):
    """A policy's or a jurisdiction's timeline files and embed: the public one's, as of a day
    before and after the draft verdict where the page takes one, and a 404 for the hidden."""

    def fetch(w):
        shown = getattr(getattr(w.shown, kind), key)
        days = ["", "?as_of=2019-09-01", "?as_of=2030-01-01"] if kind == "policy" else [""]
        urls = []
        for fmt in [["svg"], ["png"]] if address.endswith("-timeline") else [[]]:
            urls += [(reverse(address, args=[shown, *fmt]) + day, "ok") for day in days]
            hidden = [getattr(e, key) for e in w.hidden[kind]]
            urls += [(reverse(address, args=[other, *fmt]), "404") for other in hidden]
        return urls

    return fetch


def _feed(name, attr, key):
    def fetch(w):
        return [
            (reverse(name, args=[getattr(getattr(w.shown, attr), key)]), "ok"),
            *[(reverse(name, args=[getattr(e, key)]), "404") for e in w.hidden[attr]],
        ]

    return fetch


def _permalink(w):
    urls = []
    for kind in RESOURCES:
        urls.append((reverse("permalink", args=[kind, getattr(w.shown, kind).pk]), "ok"))
        urls += [(reverse("permalink", args=[kind, e.pk]), "404") for e in _hidden_of(w, kind)]
    return urls


def _correct(suffix):
    """The corrections form of each public entry, and the page after it; a 404 for the hidden."""

    def fetch(w):
        urls = []
        for kind in RESOURCES:
            urls.append((reverse(suffix, args=[kind, getattr(w.shown, kind).pk]), "ok"))
            urls += [(reverse(suffix, args=[kind, e.pk]), "404") for e in _hidden_of(w, kind)]
        return urls

    return fetch


def _cite(w):
    urls = []
    for kind in RESOURCES:
        for fmt in citing.FORMATS:
            urls.append((reverse("cite", args=[kind, getattr(w.shown, kind).pk, fmt]), "ok"))
            urls += [(reverse("cite", args=[kind, e.pk, fmt]), "404") for e in _hidden_of(w, kind)]
    return urls


def _search(w):
    queries = [
        "q=zebra",
        "q=zeb",  # the start of a word
        "q=secret+zebra",  # matched by hidden entries only: the public ones with fewer words
        "q=zebra+draft+passage",
        "q=zebra&kind=commitment",
        "q=zebra&kind=quote",
        "q=zebra&jurisdiction=RU",
        "q=zebra&status=delivered",
        "q=zebra&year=2019",
        "jurisdiction=RU",
        "status=delivered",
        "year=2019",
        "kind=policy&jurisdiction=RU",
    ]
    return [(f"/search/?{q}", "ok") for q in queries]


def _lists(name, *queries):
    def fetch(w):
        base = reverse(name)
        return [(base, "ok"), *[(f"{base}?{q}", "ok") for q in queries]]

    return fetch


NOT_PUBLIC = "not public"
PUBLIC_ROUTES = {
    "": _page("home"),
    "healthz": _page("healthz"),
    "feed/": _page("feed"),
    "search/": _search,
    "compare/": lambda w: [("/compare/", "ok"), ("/compare/?jurisdiction=RU", "ok")],
    "methodology/": lambda w: [("/methodology/", "ok")],
    "data/": lambda w: [("/data/", "ok")],
    "feeds/": _lists("feed-list", "page=2"),
    "jurisdictions/": _lists("jurisdiction-list"),
    "jurisdictions/<code:code>/": _detail("jurisdiction", "code"),
    "jurisdictions/<code:code>/feed/": _feed("jurisdiction-feed", "jurisdiction", "code"),
    "policies/": _lists("policy-list", "jurisdiction=RU", "status=in_force", "q=zebra"),
    "policies/<slug:slug>/": _policy_detail,
    "policies/<slug:slug>/feed/": _feed("policy-feed", "policy", "slug"),
    "policies/<slug:slug>/timeline.<chartfmt:fmt>": _timeline_files(
        "policy", "slug", "policy-timeline"
    ),
    "policies/<slug:slug>/preview.png": _timeline_files("policy", "slug", "policy-preview"),
    "embed/policies/<slug:slug>/": _timeline_files("policy", "slug", "policy-embed"),
    "jurisdictions/<code:code>/timeline.<chartfmt:fmt>": _timeline_files(
        "jurisdiction", "code", "jurisdiction-timeline"
    ),
    "jurisdictions/<code:code>/preview.png": _timeline_files(
        "jurisdiction", "code", "jurisdiction-preview"
    ),
    "embed/jurisdictions/<code:code>/": _timeline_files(
        "jurisdiction", "code", "jurisdiction-embed"
    ),
    "commitments/": _lists(
        "commitment-list", "jurisdiction=RU", "status=delivered", "due_year=2019", "q=zebra"
    ),
    "commitments/<slug:slug>/": _detail("commitment"),
    "events/": _lists("event-list", "jurisdiction=RU", "year=2019", "q=zebra"),
    "events/<slug:slug>/": _detail("event"),
    "funding/": _lists("funding-list", "jurisdiction=RU", "q=zebra"),
    "funding/<slug:slug>/": _detail("funding"),
    "actors/": _lists("actor-list", "jurisdiction=RU", "q=zebra"),
    "actors/<slug:slug>/": _detail("actor"),
    "estimates/": _lists(
        "estimate-list", "jurisdiction=RU", "year=2019", "q=zebra", "measure=zebra", "unit=USD"
    ),
    "estimates/<slug:slug>/": _detail("estimate"),
    "sources/": _lists("source-list", "q=zebra"),
    "sources/<slug:slug>/": _detail("source"),
    "e/<slug:kind>/<int:pk>/": _permalink,
    "e/<slug:kind>/<int:pk>/correct/": _correct("correct"),
    "e/<slug:kind>/<int:pk>/correct/sent/": _correct("correction-sent"),
    "cite/<slug:kind>/<int:pk>.<citefmt:fmt>": _cite,
    "api/v1/": _page("api:api-root"),
    "api/v1/<drf_format_suffix:format>": lambda w: [("/api/v1/.json", "ok")],
    "api/v1/datapackage.zip": _page("api:datapackage"),
    "api/v1/^changes/$": lambda w: [("/api/v1/changes/?since=2000-01-01", "ok")],
    "api/v1/^changes\\.(?P<format>[a-z0-9]+)/?$": lambda w: [
        ("/api/v1/changes.json?since=2000-01-01", "ok")
    ],
    "api/v1/^citations/$": _citations,
    "api/v1/^citations\\.(?P<format>[a-z0-9]+)/?$": _citations,
    "api/v1/^citations/(?P<pk>[^/.]+)/$": _citation_detail,
    "api/v1/^citations/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$": _citation_detail,
}
for _plural in _SINGULAR:
    _base = f"api/v1/^{_plural}"
    _fmt = "\\.(?P<format>[a-z0-9]+)/?$"
    PUBLIC_ROUTES |= {
        f"{_base}/$": _api_filters(_plural),
        f"{_base}{_fmt}": _api(_plural, "list"),
        f"{_base}/csv/$": _api(_plural, "csv"),
        f"{_base}/csv{_fmt}": _api(_plural, "csv"),
        f"{_base}/jsonl/$": _api(_plural, "jsonl"),
        f"{_base}/jsonl{_fmt}": _api(_plural, "jsonl"),
        f"{_base}/(?P<pk>[^/.]+)/$": _api(_plural, "detail"),
        f"{_base}/(?P<pk>[^/.]+){_fmt}": _api(_plural, "detail"),
    }

# Routes that are not public, and why. Prefixes cover a whole tree (the admin's many pages).
NOT_PUBLIC_PREFIXES = {
    "admin/": "staff only: the admin sends anonymous visitors to its login page",
}
NOT_PUBLIC_ROUTES = {
    "api/schema/": "the OpenAPI schema: describes the API, holds no entries",
    "api/docs/": "the browsable API docs: static, holds no entries",
}
for _plural in _SINGULAR:
    NOT_PUBLIC_ROUTES[f"api/v1/^{_plural}/(?P<pk>[^/.]+)/transition/$"] = (
        "POST only, signed in: editorial transitions (tests/test_permissions.py)"
    )
    NOT_PUBLIC_ROUTES[f"api/v1/^{_plural}/(?P<pk>[^/.]+)/transition\\.(?P<format>[a-z0-9]+)/?$"] = (
        "POST only, signed in: editorial transitions (tests/test_permissions.py)"
    )


def declared(route: str) -> bool:
    return (
        route in PUBLIC_ROUTES
        or route in NOT_PUBLIC_ROUTES
        or any(route.startswith(p) for p in NOT_PUBLIC_PREFIXES)
    )


def test_every_route_is_in_the_table():
    unknown = sorted(r for r in project_routes() if not declared(r))
    assert not unknown, (
        "Routes with no entry in tests/test_no_draft_leaks.py; say how to check them for "
        f"leaks (PUBLIC_ROUTES) or why they are not public (NOT_PUBLIC_ROUTES): {unknown}"
    )


def test_the_table_names_no_route_that_is_gone():
    gone = sorted((PUBLIC_ROUTES.keys() | NOT_PUBLIC_ROUTES.keys()) - project_routes())
    assert not gone


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "") == "image/png":
        # Pixels: what they draw is the SVG's, which the timeline's own route reads as text.
        return ""
    if response.get("Content-Type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist())
    return content.decode()


@pytest.mark.parametrize("route", sorted(PUBLIC_ROUTES))
def test_no_public_route_shows_anything_unpublished(client, world, route):
    urls = PUBLIC_ROUTES[route](world)
    assert urls, f"{route} fetches nothing"
    for url, expect in urls:
        response = client.get(url)
        body = body_of(response)
        if expect == "404":
            assert response.status_code == 404, f"{url} answered {response.status_code}"
        else:
            assert response.status_code in (200, 302), f"{url} answered {response.status_code}"
        assert MARKER not in body, f"{url} shows an unpublished entry"


def test_the_published_entry_itself_shows_on_its_routes(client, world):
    """The check above would pass on an empty site; these prove the pages show real data."""
    assert "Present the strategy zebra" in client.get("/commitments/present/").content.decode()
    assert "Present the strategy zebra" in body_of(client.get("/api/v1/commitments/csv/"))
    assert "Decree signed zebra" in client.get("/feed/").content.decode()
    assert "AI Strategy <mark>zebra</mark>" in client.get("/search/?q=zebra").content.decode()
    assert "Published report zebra" in body_of(client.get("/api/v1/datapackage.zip"))
    # A published correction's note, on its entry's page (and what the reader wrote nowhere).
    assert "Corrected zebra note of the commitment" in body_of(client.get("/commitments/present/"))


def test_the_dump_holds_nothing_unpublished_nor_what_readers_sent(world):
    dumped = json.dumps(dump_documents(), default=str)
    assert "Present the strategy zebra" in dumped
    assert MARKER not in dumped


@pytest.mark.parametrize("route", sorted(NOT_PUBLIC_ROUTES))
def test_non_public_routes_hold_nothing_unpublished_for_anonymous_visitors(client, world, route):
    if "(?P<pk>" in route:
        pk = world.hidden["commitment"][0].pk
        url = f"/api/v1/commitments/{pk}/transition/"
        assert client.get(url).status_code in (401, 403, 405)
        response = client.post(url, {"action": "publish"})
        assert response.status_code in (401, 403)
        assert MARKER not in response.content.decode()
        return
    response = client.get("/" + route)
    assert response.status_code == 200
    assert MARKER not in body_of(response)


def test_every_admin_page_sends_anonymous_visitors_to_the_login(client, world):
    routes = [
        r for r in project_routes() if r.startswith("admin/") and "<" not in r and "(?P" not in r
    ]
    assert len(routes) > 20
    for route in routes:
        if route in ("admin/login/", "admin/logout/"):
            continue
        response = client.get("/" + route)
        assert response.status_code == 302, route
        assert response["Location"].startswith("/admin/login/"), route


def scorecards(client, world):
    policy, country = world.shown.policy, world.shown.jurisdiction
    commitment = world.shown.commitment
    return {
        "home": client.get("/").context["scorecard"],
        "jurisdiction": client.get(f"/jurisdictions/{country.code}/").context["scorecard"],
        "policy": client.get(f"/policies/{policy.slug}/").context["scorecard"],
        "as of": client.get(f"/policies/{policy.slug}/?as_of=2030-01-01").context["scorecard"],
        "compare": client.get("/compare/?jurisdiction=RU").context["scorecards"],
        "api status": client.get(f"/api/v1/commitments/{commitment.pk}/").json()["progress"],
        "search total": client.get("/search/?q=zebra").context["results"].total,
        "list count": client.get("/commitments/").context["page"].paginator.count,
    }


def test_counts_and_scorecards_do_not_move_when_hidden_entries_appear(client, world):
    from policies.models import Assessment, Commitment

    with_hidden = scorecards(client, world)
    # Take every hidden commitment and verdict away: what readers see must not change.
    Assessment.objects.exclude(state=State.PUBLISHED).delete()
    Commitment.objects.exclude(pk=world.shown.commitment.pk).delete()
    # Rendered pages are cached by dataset version; a raw delete is not an editorial change
    # that bumps it, so start from an empty cache as a fresh process would.
    cache.clear()
    assert scorecards(client, world) == with_hidden
    assert with_hidden["api status"]["status"] != "delivered"
