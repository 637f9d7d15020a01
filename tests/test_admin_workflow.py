"""The admin shows each person only what they may do, and its buttons call the workflow."""

import pytest
from django.urls import reverse

from policies.models import Commitment
from tests import factories
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


def change_url(entry):
    return reverse("admin:policies_commitment_change", args=[entry.pk])


def transition(client, entry, action, comment=""):
    return client.post(
        reverse("admin:policies_commitment_transition", args=[entry.pk]),
        {"action": action, "comment": comment},
    )


def cited_draft(author):
    entry = factories.commitment(created_by=author, state=State.DRAFT)
    factories.cite(entry)
    return entry


def test_a_contributor_edits_their_own_draft_but_only_reads_anothers(
    contributor_client, contributor, other_contributor
):
    own, theirs = cited_draft(contributor), cited_draft(other_contributor)
    assert 'name="title"' in contributor_client.get(change_url(own)).text
    page = contributor_client.get(change_url(theirs)).text
    assert 'name="title"' not in page
    assert "Submit for review" not in page


def test_a_contributor_sees_submit_but_not_publish(contributor_client, contributor):
    page = contributor_client.get(change_url(cited_draft(contributor))).text
    assert "Submit for review" in page
    assert "Approve and publish" not in page


def test_the_buttons_run_the_transitions_and_report_refusals(
    contributor_client, contributor, editor_client
):
    entry = cited_draft(contributor)
    response = transition(contributor_client, entry, "submit")
    assert response.status_code == 302
    assert Commitment.objects.get(pk=entry.pk).state == State.IN_REVIEW
    assert "Approve and publish" in editor_client.get(change_url(entry)).text
    transition(editor_client, entry, "request_changes", "")
    assert Commitment.objects.get(pk=entry.pk).state == State.IN_REVIEW  # refused: no comment
    messages = [str(m) for m in editor_client.get(change_url(entry)).context["messages"]]
    assert any("Say what needs to change" in m for m in messages)
    transition(editor_client, entry, "publish")
    assert Commitment.objects.get(pk=entry.pk).state == State.PUBLISHED


def test_a_contributor_cannot_publish_by_posting_the_button_anyway(contributor_client, contributor):
    entry = workflow.entry_submit(cited_draft(contributor), by=contributor)
    transition(contributor_client, entry, "publish")
    assert Commitment.objects.get(pk=entry.pk).state == State.IN_REVIEW


def test_a_published_entry_is_read_only_and_offers_an_edit_through_review(
    contributor_client, contributor, editor
):
    entry = workflow.entry_publish(
        workflow.entry_submit(cited_draft(contributor), by=contributor), by=editor
    )
    page = contributor_client.get(change_url(entry)).text
    assert 'name="title"' not in page
    assert "Edit (as a draft for review)" in page
    response = transition(contributor_client, entry, "start_edit")
    draft = Commitment.objects.get(draft_of=entry)
    assert response["Location"] == change_url(draft)
    assert 'name="title"' in contributor_client.get(change_url(draft)).text


def test_contributors_cannot_delete_and_editors_cannot_delete_published_entries(
    contributor_client, contributor, editor_client, editor
):
    draft = cited_draft(contributor)
    delete = reverse("admin:policies_commitment_delete", args=[draft.pk])
    assert contributor_client.post(delete, {"post": "yes"}).status_code == 403
    published = workflow.entry_publish(
        workflow.entry_submit(cited_draft(contributor), by=contributor), by=editor
    )
    assert (
        editor_client.post(
            reverse("admin:policies_commitment_delete", args=[published.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Commitment.objects.filter(pk=draft.pk).exists()


def test_the_bulk_publish_action_is_offered_only_to_editors(contributor_client, editor_client):
    factories.commitment()
    url = reverse("admin:policies_commitment_changelist")
    assert "publish_selected" not in contributor_client.get(url).text
    assert "publish_selected" in editor_client.get(url).text


def test_the_bulk_publish_action_applies_four_eyes_row_by_row(editor_client, editor, contributor):
    mine = workflow.entry_submit(cited_draft(editor), by=editor)
    theirs = workflow.entry_submit(cited_draft(contributor), by=contributor)
    editor_client.post(
        reverse("admin:policies_commitment_changelist"),
        {"action": "publish_selected", "_selected_action": [mine.pk, theirs.pk]},
    )
    assert Commitment.objects.get(pk=theirs.pk).state == State.PUBLISHED
    assert Commitment.objects.get(pk=mine.pk).state == State.IN_REVIEW


def test_the_index_counts_each_queue_and_the_queue_page_lists_them(
    editor_client, editor, contributor, contributor_client
):
    workflow.entry_submit(cited_draft(contributor), by=contributor)
    sent_back = workflow.entry_submit(cited_draft(contributor), by=contributor)
    workflow.entry_request_changes(sent_back, by=editor, comment="Add the decree number.")
    cited_draft(contributor)
    editor_queues = editor_client.get(reverse("admin:index")).context["queues"]
    assert editor_queues["review"]["count"] == 1
    contributor_queues = contributor_client.get(reverse("admin:index")).context["queues"]
    assert "review" not in contributor_queues
    assert contributor_queues["drafts"]["count"] == 1
    assert contributor_queues["changes"]["count"] == 1
    page = contributor_client.get(reverse("admin:review_queue")).text
    assert "Add the decree number." in page


def test_the_transition_log_shows_on_the_change_page(editor_client, contributor, editor):
    entry = workflow.entry_submit(
        cited_draft(contributor), by=contributor, comment="Ready for a look"
    )
    page = editor_client.get(change_url(entry)).text
    assert "Ready for a look" in page
    assert "submitted" in page
