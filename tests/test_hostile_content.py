"""What a researcher types is shown, never run: scripts, event handlers, javascript: and data:
links and SVG payloads in any text field stay inert on public pages, in the timeline, in the
admin and in feeds, and spreadsheet formulas in CSV exports are defused."""

import csv
import io
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests import factories
from tracker.core.editorial import State
from tracker.core.markup import render_markdown

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)><circle r=9 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<iframe src="https://evil.example"></iframe>',
    "<object data=x></object><embed src=x>",
    '"><body onpageshow=alert(1)>',
    "</title><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
]
HOSTILE = "\n\n".join(PAYLOADS)
DANGEROUS_TAGS = {"iframe", "object", "embed", "foreignobject", "frame", "applet"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "srcdoc"}


class Inspector(HTMLParser):
    """Every live element of a page that could run code, as a list of findings."""

    def __init__(self, allowed_tags=frozenset()):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.findings = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.findings.append(f"inline <script> {attrs}")
        if tag in DANGEROUS_TAGS - self.allowed_tags:
            self.findings.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                DANGEROUS_SCHEMES
            ):
                self.findings.append(f"<{tag} {name}={value!r}>")


def live_code(html: str, allowed_tags=frozenset()) -> list[str]:
    inspector = Inspector(allowed_tags)
    inspector.feed(html)
    return inspector.findings


def test_the_inspector_finds_each_payload_when_it_is_live():
    """The check below would pass on a page that left the payloads out: prove it can see them."""
    live = [p for p in PAYLOADS if live_code(p)]
    assert len(live) >= 9


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_renders_each_payload_inert(payload):
    assert live_code(render_markdown(payload)) == []


def test_markdown_keeps_what_a_summary_needs():
    html = render_markdown("A **strong** point, *stressed*, [cited](https://example.org/a).")
    assert "<strong>strong</strong>" in html
    assert "<em>stressed</em>" in html
    assert '<a href="https://example.org/a" rel="nofollow noopener noreferrer">cited</a>' in html


@pytest.fixture
def hostile(contributor):
    """Published entries of every kind with the payloads in every text a reader sees."""
    country = factories.jurisdiction(code="HX", name=f"Hostile {PAYLOADS[0]}")
    source = factories.source(title=f"Report {PAYLOADS[1]}", url="https://example.org/report")
    policy = factories.published_policy(
        slug="hostile",
        title=f"Strategy {PAYLOADS[2]}",
        summary=HOSTILE,
        jurisdiction=country,
        instrument=PAYLOADS[4],
    )
    commitment = factories.published_commitment(
        slug="hostile-pledge",
        title=f"Pledge {PAYLOADS[12]}",
        description=HOSTILE,
        policy=policy,
        pledged="2019-02",
        due="2019-07-01",
    )
    assessment = factories.published_assessment(
        commitment=commitment,
        as_of="2019-08",
        status="delivered",
        delivered="2019-08-01",
        summary=HOSTILE,
    )
    event = factories.event(
        slug="hostile-event",
        state=State.PUBLISHED,
        title=f"Decree {PAYLOADS[3]}",
        description=HOSTILE,
        jurisdiction=country,
    )
    event.policies.add(policy)
    actor = factories.actor(
        slug="hostile-actor", state=State.PUBLISHED, name=f"Ministry {PAYLOADS[5]}"
    )
    funding = factories.funding(
        slug="hostile-funding", state=State.PUBLISHED, policy=policy, purpose=HOSTILE
    )
    estimate = factories.estimate(
        slug="hostile-estimate",
        state=State.PUBLISHED,
        measure=f"Size {PAYLOADS[9]}",
        jurisdiction=country,
    )
    for entry in (country, source, policy, commitment, assessment, event, actor, funding, estimate):
        factories.cite(entry, quote=HOSTILE, section=PAYLOADS[11], source=source)
    return {
        "jurisdiction": country,
        "source": source,
        "policy": policy,
        "commitment": commitment,
        "assessment": assessment,
        "event": event,
        "actor": actor,
        "funding": funding,
        "estimate": estimate,
    }


PUBLIC_PAGES = [
    "/",
    "/jurisdictions/",
    "/jurisdictions/HX/",
    "/policies/",
    "/policies/hostile/",
    "/policies/hostile/?as_of=2019-09-01",
    "/commitments/",
    "/commitments/hostile-pledge/",
    "/events/",
    "/events/hostile-event/",
    "/funding/",
    "/funding/hostile-funding/",
    "/actors/",
    "/actors/hostile-actor/",
    "/estimates/hostile-estimate/",
    "/sources/",
    "/compare/?jurisdiction=HX",
    "/search/?q=alert",
    "/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_show_hostile_text_inert(client, hostile, url):
    response = client.get(url)
    assert response.status_code == 200
    assert live_code(response.content.decode()) == []


def test_the_hostile_text_is_shown_as_text(client, hostile):
    body = client.get("/policies/hostile/").content.decode()
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in body
    assert "Strategy &lt;svg onload=alert(1)&gt;" in body


def test_the_timeline_svg_shows_hostile_titles_as_text(client, hostile):
    body = client.get("/policies/hostile/").content.decode()
    start = body.index('<svg class="timeline-chart"')
    svg = body[start : body.index("</svg>", start) + len("</svg>")]
    # Well-formed XML: no title broke out of its <title> or <text>.
    root = ElementTree.fromstring(svg)
    texts = " ".join(root.itertext())
    assert "Pledge </title><script>alert(1)</script>" in texts
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert live_code(svg) == []


def test_cite_this_entry_sends_hostile_titles_as_plain_text(client, hostile):
    response = client.get(reverse("cite", args=["commitment", hostile["commitment"].pk, "txt"]))
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", ["/feed/", "/jurisdictions/HX/feed/", "/policies/hostile/feed/"])
def test_feeds_carry_hostile_text_as_escaped_text(client, hostile, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    summaries = [s for s in root.iter(f"{atom}summary")]
    assert summaries
    for summary in summaries:
        # A reader renders a type="html" summary as HTML: it must hold no live code.
        assert summary.get("type") == "html"
        assert live_code(summary.text or "") == []
    titles = [t.text for t in root.iter(f"{atom}title")]
    assert any("<svg><script>alert(1)</script></svg>" in (t or "") for t in titles)


ADMIN_PAGES = [
    ("policies", "policy"),
    ("policies", "commitment"),
    ("policies", "assessment"),
    ("policies", "event"),
    ("policies", "actor"),
    ("policies", "funding"),
    ("policies", "estimate"),
    ("policies", "jurisdiction"),
    ("sources", "source"),
]


@pytest.mark.parametrize(("app", "model"), ADMIN_PAGES)
def test_the_admin_shows_hostile_text_inert(superuser_client, hostile, app, model):
    entry = hostile[model]
    for url in (
        reverse(f"admin:{app}_{model}_changelist"),
        reverse(f"admin:{app}_{model}_change", args=[entry.pk]),
        reverse(f"admin:{app}_{model}_history", args=[entry.pk]),
    ):
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        # The admin's change form is a form; everything else must be inert.
        assert live_code(response.content.decode()) == [], url


def test_the_review_queue_shows_hostile_titles_inert(editor_client, contributor):
    from tracker.core import workflow

    entry = factories.commitment(title=f"Pledge {PAYLOADS[1]}", created_by=contributor)
    factories.cite(entry)
    workflow.entry_submit(entry, by=contributor)
    response = editor_client.get(reverse("admin:review_queue"))
    assert "Pledge &lt;img src=x onerror=" in response.content.decode()
    assert live_code(response.content.decode()) == []


def test_csv_exports_defuse_formulas_in_every_text_column(client):
    policy = factories.published_policy(
        title='=HYPERLINK("https://evil.example","click")',
        summary="+cmd|' /C calc'!A0",
        instrument="@SUM(1+1)",
        instrument_number="-2+3",
    )
    factories.cite(policy, quote="=1+1", section="\t=cmd")
    response = client.get("/api/v1/policies/csv/")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = next(r for r in rows if r["slug"] == policy.slug)
    assert row["title"] == '\'=HYPERLINK("https://evil.example","click")'
    assert row["summary"].startswith("'+cmd")
    assert row["instrument"] == "'@SUM(1+1)"
    assert row["instrument_number"] == "'-2+3"
    for value in row.values():
        assert not value.startswith(("=", "+", "@", "\t", "\r")), value
