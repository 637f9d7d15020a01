"""Regressions of issue 13's findings, each as the shortest story that shows it.

The state machine in test_integrity_state.py finds these among random histories; these tests
pin each one down so that a fix is seen to hold, and a failure names its surface at once.
"""

import io
import json
import time
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.utils import timezone

from policies.models import Commitment
from sources.models import Citation
from tests import factories
from tracker.core import workflow
from tracker.core.editorial import State
from tracker.dataset.loader import dump_documents

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


def published(entry, *, author, editor, source=None, quote=None):
    """Take a draft through the workflow to publication, with one citation."""
    if entry.needs_citation:
        factories.cite(entry, source=source, quote=quote or f"A passage of {entry}.")
    entry = workflow.entry_submit(entry, by=author)
    return workflow.entry_publish(entry, by=editor)


def a_draft(builder, author, **fields):
    return builder(created_by=author, state=State.DRAFT, **fields)


def package_texts(response) -> str:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return "\n".join(archive.read(name).decode() for name in archive.namelist())


def validators(response) -> dict:
    return {h: response[h] for h in ("ETag", "Last-Modified") if response.has_header(h)}


def conditional(client, url, old: dict) -> list[int]:
    """The status of a conditional GET with each old validator, one at a time."""
    asks = {"ETag": "If-None-Match", "Last-Modified": "If-Modified-Since"}
    return [client.get(url, headers={asks[h]: value}).status_code for h, value in old.items()]


@pytest.fixture
def country(contributor, editor):
    return published(
        a_draft(factories.jurisdiction, contributor), author=contributor, editor=editor
    )


@pytest.fixture
def strategy(country, contributor, editor):
    return published(
        a_draft(factories.policy, contributor, jurisdiction=country, title="Strategy kept"),
        author=contributor,
        editor=editor,
    )


def test_it_leaves_an_unpublished_entry_out_of_the_data_package_and_answers_its_old_date_anew(
    client, strategy, contributor, editor
):
    withdrawn = published(
        a_draft(factories.commitment, contributor, policy=strategy, title="Pledge withdrawn"),
        author=contributor,
        editor=editor,
        quote="A quote that goes with it.",
    )
    published(
        a_draft(factories.commitment, contributor, policy=strategy, title="Pledge kept"),
        author=contributor,
        editor=editor,
    )
    first = client.get("/api/v1/datapackage.zip")
    assert "Pledge withdrawn" in package_texts(first)
    time.sleep(1.1)  # so that an HTTP date (whole seconds) can tell the two states apart

    workflow.entry_unpublish(withdrawn, by=editor, reason="Retracted.")

    again = client.get("/api/v1/datapackage.zip")
    assert "Pledge withdrawn" not in package_texts(again)
    assert "A quote that goes with it." not in package_texts(again)
    assert "Pledge kept" in package_texts(again)
    assert 304 not in conditional(client, "/api/v1/datapackage.zip", validators(first))


def test_it_moves_a_feeds_validators_when_an_entry_in_it_is_unpublished(
    client, contributor, editor
):
    kept = published(
        a_draft(factories.event, contributor, title="Decree kept"),
        author=contributor,
        editor=editor,
    )
    gone = published(
        a_draft(factories.event, contributor, title="Decree withdrawn"),
        author=contributor,
        editor=editor,
    )
    first = client.get("/feed/")
    assert "Decree withdrawn" in first.text and "Decree kept" in first.text
    time.sleep(1.1)

    workflow.entry_unpublish(gone, by=editor, reason="Retracted.")

    again = client.get("/feed/")
    assert "Decree withdrawn" not in again.text
    assert kept.title in again.text
    for header, old in validators(first).items():
        assert again.get(header) != old, f"the feed kept its {header} after a withdrawal"
    assert 304 not in conditional(client, "/feed/", validators(first))


def test_it_reports_a_policys_commitments_withdrawn_when_the_policy_is_unpublished(
    client, strategy, contributor, editor
):
    since = timezone.now().isoformat().replace("+00:00", "Z")
    pledge = published(
        a_draft(factories.commitment, contributor, policy=strategy),
        author=contributor,
        editor=editor,
    )

    workflow.entry_unpublish(strategy, by=editor, reason="Superseded.")

    changes = client.get("/api/v1/changes/", {"since": since}).json()["results"]
    latest = {}
    for change in sorted(changes, key=lambda c: c["at"]):
        latest[(change["kind"], change["id"])] = change["change"]
    assert latest[("policy", strategy.pk)] == "withdrawn"
    assert latest.get(("commitment", pledge.pk)) == "withdrawn"


def same_answer(client, url: str, draft_slug: str):
    """The response for a draft slug and for a slug nobody has, with the slug itself blanked."""
    asked = client.get(url.format(draft_slug))
    unknown = client.get(url.format("no-such-slug"))
    assert asked.status_code == unknown.status_code
    assert asked.content.replace(draft_slug.encode(), b"?") == unknown.content.replace(
        b"no-such-slug", b"?"
    )


def test_it_answers_a_filter_by_a_draft_policy_exactly_like_a_filter_by_a_missing_one(
    client, country, strategy, contributor, editor
):
    draft = a_draft(factories.policy, contributor, jurisdiction=country, slug="secret-plan")
    event = published(a_draft(factories.event, contributor), author=contributor, editor=editor)
    event.policies.add(draft)
    published(
        a_draft(factories.policy, contributor, jurisdiction=country, parent=draft),
        author=contributor,
        editor=editor,
    )

    same_answer(client, "/api/v1/events/?policy={}", draft.slug)
    same_answer(client, "/api/v1/policies/?parent={}", draft.slug)


PUBLIC_URLS = ["/", "/policies/", "/api/v1/commitments/", "/api/v1/datapackage.zip", "/feed/"]


def test_it_keeps_every_public_validator_when_a_draft_is_saved(
    client, strategy, contributor, editor
):
    published(
        a_draft(factories.event, contributor, title="Decree"), author=contributor, editor=editor
    )
    draft = a_draft(factories.commitment, contributor, policy=strategy, title="Draft pledge")
    urls = [*PUBLIC_URLS, f"/policies/{strategy.slug}/"]
    before = {url: validators(client.get(url)) for url in urls}

    draft.title = "Draft pledge, reworded"
    workflow.entry_save(draft, by=contributor, seen_version=draft.version)

    for url in urls:
        assert validators(client.get(url)) == before[url], f"a draft save moved {url}'s validators"
        assert set(conditional(client, url, before[url])) <= {304}, url


def test_it_builds_the_data_package_without_the_requesters_host(client, strategy):
    with override_settings(ALLOWED_HOSTS=["evil.example", "testserver"]):
        poisoned = client.get("/api/v1/datapackage.zip", HTTP_HOST="evil.example")
        assert poisoned.status_code == 200
        normal = client.get("/api/v1/datapackage.zip")
    assert "evil.example" not in package_texts(normal)


def test_it_dumps_no_commitment_of_a_draft_policy_and_no_quote_of_an_unpublished_source(
    country, strategy, contributor, editor
):
    draft_policy = a_draft(factories.policy, contributor, jurisdiction=country)
    hidden = factories.published_commitment(policy=draft_policy, slug="hidden-pledge")
    factories.cite(hidden)
    draft_source = factories.source(state=State.DRAFT, slug="draft-source")
    factories.cite(strategy, source=draft_source, quote="Not yet public.")

    dumped = dump_documents()

    assert "hidden-pledge" not in [c["slug"] for c in dumped["commitments"]]
    text = json.dumps(dumped, default=str)
    assert "Not yet public." not in text
    assert "draft-source" not in text


def test_it_changes_nothing_public_when_a_contributor_adds_a_quote_through_the_citation_admin(
    client, strategy, contributor, contributor_client, editor
):
    pledge = published(
        a_draft(factories.commitment, contributor, policy=strategy),
        author=contributor,
        editor=editor,
    )
    urls = [f"/commitments/{pledge.slug}/", f"/api/v1/commitments/{pledge.pk}/", *PUBLIC_URLS]
    before = {url: validators(client.get(url)) for url in urls}

    contributor_client.post(
        "/admin/sources/citation/add/",
        {
            "source": factories.source().pk,
            "content_type": ContentType.objects.get_for_model(Commitment).pk,
            "object_id": pledge.pk,
            "section": "Goals",
            "quote": "An unreviewed quote.",
            "position": "0",
        },
    )

    assert not Citation.objects.filter(quote="An unreviewed quote.").exists()
    for url in urls:
        assert "An unreviewed quote." not in Client().get(url).content.decode(errors="replace")
        assert validators(client.get(url)) == before[url], url
