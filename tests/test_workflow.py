"""Each editorial transition is allowed only from its states and for its roles, and says why not."""

import pytest
from django.contrib.auth.models import AnonymousUser

from policies.models import Commitment
from tests import factories
from tracker.core import workflow
from tracker.core.editorial import State
from tracker.core.models import Transition

pytestmark = pytest.mark.django_db


def draft_by(author, **fields):
    entry = factories.commitment(created_by=author, state=State.DRAFT, **fields)
    factories.cite(entry)
    return entry


def in_review(author, submitter=None):
    entry = draft_by(author)
    return workflow.entry_submit(entry, by=submitter or author)


@pytest.fixture
def people(contributor, other_contributor, editor, other_editor, superuser):
    return {
        "anonymous": AnonymousUser(),
        "contributor": contributor,
        "other contributor": other_contributor,
        "editor": editor,
        "other editor": other_editor,
        "superuser": superuser,
    }


# (role, action, the state it starts from, allowed?) with the contributor as the entry's author.
MATRIX = [
    ("contributor", "submit", State.DRAFT, True),
    ("other contributor", "submit", State.DRAFT, False),
    ("editor", "submit", State.DRAFT, True),
    ("contributor", "submit", State.IN_REVIEW, False),
    ("contributor", "request_changes", State.IN_REVIEW, False),
    ("editor", "request_changes", State.IN_REVIEW, True),
    ("editor", "request_changes", State.DRAFT, False),
    ("contributor", "publish", State.IN_REVIEW, False),
    ("other contributor", "publish", State.IN_REVIEW, False),
    ("editor", "publish", State.IN_REVIEW, True),
    ("superuser", "publish", State.IN_REVIEW, True),
    ("editor", "publish", State.DRAFT, False),
    ("contributor", "unpublish", State.PUBLISHED, False),
    ("editor", "unpublish", State.PUBLISHED, True),
    ("editor", "unpublish", State.IN_REVIEW, False),
    ("contributor", "reopen", State.UNPUBLISHED, False),
    ("editor", "reopen", State.UNPUBLISHED, True),
    ("editor", "reopen", State.PUBLISHED, False),
    ("contributor", "start_edit", State.PUBLISHED, True),
    ("contributor", "start_edit", State.DRAFT, False),
]


def entry_in(state, author, people):
    entry = draft_by(author)
    if state == State.DRAFT:
        return entry
    entry = workflow.entry_submit(entry, by=author)
    if state == State.IN_REVIEW:
        return entry
    entry = workflow.entry_publish(entry, by=people["other editor"])
    if state == State.PUBLISHED:
        return entry
    return workflow.entry_unpublish(entry, by=people["other editor"], reason="Source retracted")


def act(action, entry, user):
    match action:
        case "submit":
            return workflow.entry_submit(entry, by=user)
        case "request_changes":
            return workflow.entry_request_changes(entry, by=user, comment="Cite the decree itself.")
        case "publish":
            return workflow.entry_publish(entry, by=user)
        case "unpublish":
            return workflow.entry_unpublish(entry, by=user, reason="Source retracted")
        case "reopen":
            return workflow.entry_reopen(entry, by=user)
        case "start_edit":
            return workflow.entry_start_edit(entry, by=user)


@pytest.mark.parametrize(("role", "action", "state", "allowed"), MATRIX)
def test_the_permission_matrix(people, role, action, state, allowed):
    entry = entry_in(state, people["contributor"], people)
    before = Transition.objects.count()
    if allowed:
        act(action, entry, people[role])
        assert Transition.objects.count() == before + 1
    else:
        with pytest.raises(workflow.WorkflowError):
            act(action, entry, people[role])
        assert Transition.objects.count() == before
        assert Commitment.objects.get(pk=entry.pk).state == state


def test_a_refused_transition_names_the_state_it_needs(contributor, editor):
    entry = draft_by(contributor)
    with pytest.raises(
        workflow.WorkflowError,
        match=r"Only a in review entry can be published; this one is draft\.",
    ):
        workflow.entry_publish(entry, by=editor)


def test_only_editors_may_publish_and_it_says_so(contributor, other_contributor):
    entry = in_review(contributor)
    with pytest.raises(workflow.WorkflowError, match=r"Only an editor can publish entries\."):
        workflow.entry_publish(entry, by=other_contributor)


def test_nobody_publishes_their_own_submission(editor, other_editor):
    entry = in_review(editor)
    with pytest.raises(workflow.WorkflowError, match="Nobody publishes their own submission"):
        workflow.entry_publish(entry, by=editor)
    assert workflow.entry_publish(entry, by=other_editor).state == State.PUBLISHED


def test_a_one_person_team_may_relax_four_eyes(editor, settings):
    settings.TRACKER_ALLOW_SELF_PUBLISH = True
    assert workflow.entry_publish(in_review(editor), by=editor).state == State.PUBLISHED


def test_requesting_changes_needs_a_comment_that_reaches_the_author(contributor, editor):
    entry = in_review(contributor)
    with pytest.raises(workflow.WorkflowError, match="Say what needs to change"):
        workflow.entry_request_changes(entry, by=editor, comment="  ")
    entry = workflow.entry_request_changes(entry, by=editor, comment="Quote the decree.")
    assert entry.state == State.DRAFT
    assert entry.changes_requested
    assert entry.review_note == "Quote the decree."
    resubmitted = workflow.entry_submit(entry, by=contributor)
    assert not resubmitted.changes_requested


def test_unpublishing_needs_a_reason_kept_for_editors(contributor, editor, other_editor):
    entry = workflow.entry_publish(in_review(contributor), by=editor)
    with pytest.raises(workflow.WorkflowError, match="Give the reason"):
        workflow.entry_unpublish(entry, by=editor, reason="")
    entry = workflow.entry_unpublish(entry, by=other_editor, reason="The source was retracted.")
    assert entry.withdrawn_reason == "The source was retracted."
    assert not Commitment.objects.published().filter(pk=entry.pk).exists()


def test_publishing_without_a_citation_is_refused_naming_what_is_missing(contributor, editor):
    entry = factories.commitment(created_by=contributor, state=State.DRAFT)
    entry = workflow.entry_submit(entry, by=contributor)
    with pytest.raises(workflow.WorkflowError, match="It has no citation"):
        workflow.entry_publish(entry, by=editor)


def test_publishing_an_entry_citing_an_unpublished_source_is_refused_naming_it(contributor, editor):
    entry = factories.commitment(created_by=contributor, state=State.DRAFT)
    factories.cite(entry, source=factories.source(title="Leaked memo", state=State.DRAFT))
    entry = workflow.entry_submit(entry, by=contributor)
    with pytest.raises(workflow.WorkflowError, match="not published yet: Leaked memo"):
        workflow.entry_publish(entry, by=editor)


def test_each_transition_is_recorded_with_who_what_and_why(contributor, editor):
    entry = workflow.entry_publish(
        in_review(contributor), by=editor, comment="Checked against the decree."
    )
    steps = list(Transition.objects.filter(object_id=entry.pk).order_by("at", "id"))
    assert [s.action for s in steps] == [
        "policies.commitment.submitted",
        "policies.commitment.published",
    ]
    assert steps[-1].by == editor
    assert steps[-1].comment == "Checked against the decree."
    assert (steps[-1].from_state, steps[-1].to_state) == (State.IN_REVIEW, State.PUBLISHED)
    assert entry.version == 3


def test_comments_are_kept_with_the_history(contributor, editor, other_contributor):
    entry = in_review(contributor)
    workflow.entry_comment(entry, by=editor, comment="Is the date exact?")
    assert (
        Transition.objects.filter(object_id=entry.pk, action="policies.commitment.commented")
        .get()
        .by
        == editor
    )
    with pytest.raises(workflow.WorkflowError, match="Only the author and editors"):
        workflow.entry_comment(entry, by=other_contributor, comment="Drive-by")


def test_allowed_actions_show_each_person_only_what_they_may_do(
    contributor, other_contributor, editor, other_editor
):
    entry = in_review(contributor, submitter=contributor)
    assert workflow.allowed_actions(contributor, entry) == []
    assert workflow.allowed_actions(other_contributor, entry) == []
    assert workflow.allowed_actions(editor, entry) == ["request_changes", "publish"]
    own = in_review(editor)
    assert workflow.allowed_actions(editor, own) == ["request_changes"]
    published = workflow.entry_publish(own, by=other_editor)
    assert workflow.allowed_actions(contributor, published) == ["start_edit"]
    assert workflow.allowed_actions(editor, published) == ["start_edit", "unpublish"]
