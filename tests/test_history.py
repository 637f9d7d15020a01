"""Every change is kept with who and when; editors compare any two versions and revert through review."""

import pytest
from django.urls import reverse

from policies.models import Commitment
from tests import factories
from tracker import workflow
from tracker.editorial import State

pytestmark = pytest.mark.django_db


def edit(entry, by, **changes):
    for name, value in changes.items():
        setattr(entry, name, value)
    return workflow.entry_save(entry, by=by, seen_version=entry.version)


def test_every_save_is_kept_with_who_made_it(contributor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=contributor
    )
    edit(entry, contributor, title="Second")
    history = list(entry.history.order_by("history_date"))
    assert [h.title for h in history] == ["First", "Second"]
    assert {h.history_user for h in history} == {contributor}


def test_an_editor_reverts_a_draft_in_place(contributor, editor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=contributor
    )
    edit(entry, contributor, title="Second")
    first = entry.history.earliest("history_date")
    reverted = workflow.entry_revert(entry, to_version=first, by=editor)
    assert reverted.pk == entry.pk
    assert Commitment.objects.get(pk=entry.pk).title == "First"


def test_reverting_a_published_entry_becomes_a_draft_for_review(contributor, editor, other_editor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=contributor
    )
    factories.cite(entry)
    first = entry.history.earliest("history_date")
    edit(entry, contributor, title="Second")
    entry = workflow.entry_publish(workflow.entry_submit(entry, by=contributor), by=editor)
    draft = workflow.entry_revert(entry, to_version=first, by=other_editor)
    assert draft.draft_of_id == entry.pk
    assert draft.title == "First"
    assert Commitment.objects.published().get().title == "Second"


def test_contributors_cannot_revert(contributor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=contributor
    )
    with pytest.raises(workflow.WorkflowError, match="Only an editor can revert"):
        workflow.entry_revert(
            entry, to_version=entry.history.earliest("history_date"), by=contributor
        )


def test_the_admin_compares_two_versions_field_by_field(editor_client, editor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=editor
    )
    edit(entry, editor, title="Second", description="Now described")
    old, new = entry.history.order_by("history_date")
    url = reverse("admin:policies_commitment_compare", args=[entry.pk])
    page = editor_client.get(url, {"old": old.history_id, "new": new.history_id}).text
    assert "First" in page and "Second" in page and "Now described" in page
    history = editor_client.get(reverse("admin:policies_commitment_history", args=[entry.pk])).text
    assert 'name="old"' in history and "Revert to this version" in history


def test_the_admin_revert_page_asks_then_reverts(editor_client, editor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=editor
    )
    edit(entry, editor, title="Second")
    first = entry.history.earliest("history_date")
    url = reverse("admin:policies_commitment_revert", args=[entry.pk, first.history_id])
    assert "Bring back the fields" in editor_client.get(url).text
    editor_client.post(url, {"comment": "The first title was right."})
    assert Commitment.objects.get(pk=entry.pk).title == "First"


def test_the_admin_refuses_a_revert_to_contributors(contributor_client, contributor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=contributor
    )
    first = entry.history.earliest("history_date")
    url = reverse("admin:policies_commitment_revert", args=[entry.pk, first.history_id])
    assert contributor_client.post(url).status_code == 403
    assert Commitment.objects.get(pk=entry.pk).state == State.DRAFT
