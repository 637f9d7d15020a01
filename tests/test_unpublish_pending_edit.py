"""Unpublishing keeps a pending edit (nobody's work is lost), but it waits: it cannot be
submitted or published while its entry is unpublished, and reopening the entry folds it in."""

import pytest

from policies.models import Commitment, PolicyActor
from tests import factories
from tracker.core import workflow
from tracker.core.editorial import State
from tracker.core.models import Transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn_with_edit(contributor, editor, other_editor):
    entry = factories.commitment(created_by=contributor, title="Present the strategy")
    factories.cite(entry, quote="to be presented by 1 July 2019")
    entry = workflow.entry_publish(workflow.entry_submit(entry, by=contributor), by=editor)
    draft = workflow.entry_start_edit(entry, by=contributor)
    draft.title = "Present the national strategy"
    draft = workflow.entry_save(draft, by=contributor, seen_version=draft.version)
    factories.cite(draft, quote="the decree was signed on 10 October 2019")
    entry = workflow.entry_unpublish(entry, by=other_editor, reason="The date is disputed.")
    return entry, draft


def test_unpublishing_keeps_the_pending_edit(withdrawn_with_edit):
    _entry, draft = withdrawn_with_edit
    assert Commitment.objects.get(pk=draft.pk).title == "Present the national strategy"


def test_the_pending_edit_of_an_unpublished_entry_cannot_be_submitted_or_published(
    withdrawn_with_edit, contributor, editor
):
    entry, draft = withdrawn_with_edit
    with pytest.raises(workflow.WorkflowError, match="the entry it edits was unpublished"):
        workflow.entry_submit(draft, by=contributor)
    Commitment.objects.filter(pk=draft.pk).update(state=State.IN_REVIEW)  # submitted before
    with pytest.raises(workflow.WorkflowError, match="the entry it edits was unpublished"):
        workflow.entry_publish(Commitment.objects.get(pk=draft.pk), by=editor)
    assert Commitment.objects.get(pk=entry.pk).state == State.UNPUBLISHED


def test_reopening_folds_the_pending_edit_into_the_draft_and_logs_it(withdrawn_with_edit, editor):
    entry, draft = withdrawn_with_edit
    reopened = workflow.entry_reopen(entry, by=editor)
    assert (reopened.state, reopened.title) == (State.DRAFT, "Present the national strategy")
    assert sorted(reopened.citations.values_list("quote", flat=True)) == [
        "the decree was signed on 10 October 2019",
        "to be presented by 1 July 2019",
    ]
    assert not Commitment.objects.filter(pk=draft.pk).exists()
    actions = list(Transition.objects.filter(object_id=entry.pk).values_list("action", flat=True))
    assert "policies.commitment.pending_edit_folded" in actions
    assert "policies.commitment.reopened" in actions


def test_reopening_folds_a_policys_actors_too(contributor, editor, other_editor):
    policy = factories.policy(created_by=contributor)
    factories.cite(policy)
    leads, implements = factories.actor(), factories.actor()
    PolicyActor.objects.create(policy=policy, actor=leads, role="leads")
    policy = workflow.entry_publish(workflow.entry_submit(policy, by=contributor), by=editor)
    draft = workflow.entry_start_edit(policy, by=contributor)
    PolicyActor.objects.create(policy=draft, actor=implements, role="implements")
    policy = workflow.entry_unpublish(policy, by=editor, reason="Withdrawn")
    reopened = workflow.entry_reopen(policy, by=other_editor)
    assert sorted(reopened.roles.values_list("role", flat=True)) == ["implements", "leads"]


def test_whoever_wrote_a_folded_pending_edit_may_not_publish_the_reopened_entry(
    editor, other_editor
):
    country = factories.jurisdiction(code="RU", name="Russia")
    factories.cite(country)
    edit = workflow.entry_start_edit(country, by=editor)
    edit.name = "Russian Federation"
    workflow.entry_save(edit, by=editor, seen_version=edit.version)
    workflow.entry_unpublish(country, by=other_editor, reason="Checking the name")
    workflow.entry_reopen(country, by=other_editor)
    country.refresh_from_db()
    assert country.name == "Russian Federation"
    workflow.entry_submit(country, by=other_editor)
    # The editor neither reopened nor submitted it, but wrote what it now says.
    with pytest.raises(workflow.WorkflowError, match="changed"):
        workflow.entry_publish(country, by=editor)
