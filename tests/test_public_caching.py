"""Public pages send an ETag and answer a matching conditional request with 304."""

import pytest

from tests import factories as make
from tracker.core import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    policy = make.published_policy(title="AI Strategy")
    make.cite(policy)
    return policy


@pytest.mark.parametrize(
    "url", ["/", "/policies/", "/jurisdictions/", "/commitments/", "/search/?q=ai", "/feed/"]
)
def test_it_answers_a_conditional_request_with_304(client, strategy, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def publish_edit(entry, *, author, reviewer, **fields):
    """Edit a published entry the only way there is: a reviewed draft, approved by another."""
    edit = workflow.entry_start_edit(entry, by=author)
    for name, value in fields.items():
        setattr(edit, name, value)
    workflow.entry_save(edit, by=author, seen_version=edit.version)
    workflow.entry_submit(edit, by=author)
    return workflow.entry_publish(edit, by=reviewer)


def test_it_changes_the_etag_when_an_approved_edit_is_published(
    client, strategy, contributor, editor
):
    url = f"/policies/{strategy.slug}/"
    etag = client.get(url)["ETag"]
    publish_edit(strategy, author=contributor, reviewer=editor, title="AI Strategy, amended")
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "amended" in response.text


def test_it_changes_every_validator_when_an_entry_is_withdrawn(client, strategy, editor):
    other = make.published_policy(jurisdiction=strategy.jurisdiction, title="Withdrawn plan")
    first = client.get("/policies/")
    workflow.entry_unpublish(other, by=editor, reason="Misread source")
    assert client.get("/policies/", headers={"If-None-Match": first["ETag"]}).status_code == 200
    since = client.get("/policies/", headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 200
    assert "Withdrawn plan" not in since.text


def test_it_keeps_every_validator_while_a_draft_is_saved(client, strategy, contributor):
    first = client.get("/policies/")
    draft = make.policy(
        jurisdiction=strategy.jurisdiction, title="Work in progress", created_by=contributor
    )
    draft.title = "Work in progress, second try"
    workflow.entry_save(draft, by=contributor, seen_version=draft.version)
    workflow.entry_submit(draft, by=contributor)
    again = client.get("/policies/")
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert client.get("/policies/", headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_it_never_caches_what_an_editor_sees(editor_client, strategy):
    response = editor_client.get(f"/policies/{strategy.slug}/")
    assert response.status_code == 200
    assert "ETag" not in response
    assert "no-store" in response["Cache-Control"]
