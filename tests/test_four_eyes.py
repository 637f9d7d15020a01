"""Four eyes on every author: whoever changed an entry since it was last published (a saved
version, a citation, a revert), or submitted it, does not publish it."""

import pytest
from django.urls import reverse

from policies.models import Commitment
from tests import factories
from tests.test_citation_write_path import as_row, change_post
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


def in_review_by(author):
    entry = workflow.entry_save(
        Commitment(slug="pledge", title="Present the strategy", policy=factories.policy()),
        by=author,
    )
    factories.cite(entry)
    return workflow.entry_submit(entry, by=author)


def rewrite(entry, by, **changes):
    for name, value in changes.items():
        setattr(entry, name, value)
    return workflow.entry_save(entry, by=by, seen_version=entry.version)


def test_an_editor_who_rewrote_an_entry_in_review_cannot_publish_it(
    contributor, editor, other_editor
):
    entry = rewrite(in_review_by(contributor), editor, title="Present the national strategy")
    assert "publish" not in workflow.allowed_actions(editor, entry)
    with pytest.raises(workflow.WorkflowError, match="You changed this entry"):
        workflow.entry_publish(entry, by=editor)
    assert workflow.allowed_actions(other_editor, entry) == ["request_changes", "publish"]
    assert workflow.entry_publish(entry, by=other_editor).state == State.PUBLISHED


def test_an_editor_who_rewrote_it_in_the_admin_cannot_publish_it_there(editor_client, contributor):
    entry = in_review_by(contributor)
    citation = entry.citations.get()
    response = editor_client.post(
        reverse("admin:policies_commitment_change", args=[entry.pk]),
        change_post(entry, [as_row(citation, quote="A passage the editor chose.")]),
    )
    assert response.status_code == 302
    editor_client.post(
        reverse("admin:policies_commitment_transition", args=[entry.pk]), {"action": "publish"}
    )
    assert Commitment.objects.get(pk=entry.pk).state == State.IN_REVIEW


def test_an_editor_who_changed_only_a_citation_cannot_publish_it(contributor, editor, other_editor):
    entry = in_review_by(contributor)
    citation = entry.citations.get()
    citation._history_user = editor
    citation.quote = "A passage the editor chose."
    citation.save()
    with pytest.raises(workflow.WorkflowError, match="You changed this entry"):
        workflow.entry_publish(entry, by=editor)
    workflow.entry_publish(entry, by=other_editor)


def test_an_editor_who_reverted_a_draft_cannot_publish_it(contributor, editor, other_editor):
    entry = in_review_by(contributor)
    first = entry.history.earliest("history_date")
    entry = workflow.entry_request_changes(entry, by=other_editor, comment="Go back.")
    entry = workflow.entry_revert(entry, to_version=first, by=editor)
    entry = workflow.entry_submit(entry, by=contributor)
    with pytest.raises(workflow.WorkflowError, match="You changed this entry"):
        workflow.entry_publish(entry, by=editor)


def test_reviewing_and_requesting_changes_is_not_authoring(contributor, editor):
    entry = in_review_by(contributor)
    entry = workflow.entry_request_changes(entry, by=editor, comment="Add the decree number.")
    entry = workflow.entry_submit(rewrite(entry, contributor, title="Decree 490"), by=contributor)
    assert workflow.entry_publish(entry, by=editor).state == State.PUBLISHED


def test_the_author_of_a_pending_edit_cannot_publish_it(contributor, editor, other_editor):
    entry = workflow.entry_publish(in_review_by(contributor), by=editor)
    draft = rewrite(workflow.entry_start_edit(entry, by=other_editor), other_editor, title="New")
    draft = workflow.entry_submit(draft, by=contributor)
    with pytest.raises(workflow.WorkflowError, match="You changed this entry"):
        workflow.entry_publish(draft, by=other_editor)
    # Starting the edit, or having published the entry before, is no authorship of it.
    assert workflow.entry_publish(draft, by=editor).title == "New"


def test_changes_before_the_last_publication_do_not_count(contributor, editor, other_editor):
    entry = rewrite(in_review_by(contributor), editor, title="Edited by the first editor")
    entry = workflow.entry_publish(entry, by=other_editor)
    entry = workflow.entry_unpublish(entry, by=other_editor, reason="Check the date.")
    entry = workflow.entry_submit(workflow.entry_reopen(entry, by=other_editor), by=contributor)
    assert workflow.entry_publish(entry, by=editor).state == State.PUBLISHED


def test_a_one_person_team_may_still_relax_four_eyes(editor, settings):
    settings.TRACKER_ALLOW_SELF_PUBLISH = True
    entry = rewrite(in_review_by(editor), editor, title="Mine")
    assert workflow.entry_publish(entry, by=editor).state == State.PUBLISHED
