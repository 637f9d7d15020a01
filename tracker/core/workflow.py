"""The editorial workflow: each transition is one function that the admin, the API and
management commands all call. Each checks who is asking and from which state, runs in a
transaction, saves, and writes a Transition with a dotted code. The table of actions at the
end of the transitions (`TRANSITIONS`, `ACTIONS`) declares each one once:

    draft --submit--> in_review --publish--> published --unpublish--> unpublished --reopen--> draft
                      in_review --request_changes--> draft
                                                      published --start_edit--> a draft copy

A published entry is never edited in place: `entry_start_edit` makes a draft copy that goes
through review, and publishing the copy applies it to the published entry in one step. A
comment (`entry_comment`) is a note in the entry's log, in any state.
"""

# The user model is named for the type checker only: annotations stay unevaluated.
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field, ManyToManyField, Model, QuerySet
from django.utils.text import Truncator

from tracker.core import clock, freshness
from tracker.core.editorial import Curated, State
from tracker.core.models import Correction, Transition
from tracker.core.text import PublishableText

if TYPE_CHECKING:
    # settings.AUTH_USER_MODEL, as the type checker's Django plugin resolves it: whoever acts.
    from django.contrib.auth.models import User

# Whom a permission is asked about: request.user, signed in or not.
type RequestUser = User | AnonymousUser
# A version of an entry (or of a citation or link) in simple-history's tables, which ship no
# types.
type HistoricalRecord = Any
# A row of settings.CITATION_MODEL: the core names no app.
type CitationRow = Any
# An entry's parts: its citations, and for each many-to-many (its through model, the column
# naming the entry) with the link rows.
type Links = list[tuple[tuple[type[Model], str], list[Model]]]
type Parts = tuple[list[CitationRow], Links]

# Fields that belong to the editorial life of a row, not to its content.
EDITORIAL_FIELDS = frozenset(
    {
        "id",
        "state",
        "created_by",
        "updated_by",
        "submitted_by",
        "created_at",
        "updated_at",
        "published_at",
        "version",
        "draft_of",
        "review_note",
        "withdrawn_reason",
        "is_public",
    }
)


class WorkflowError(Exception):
    """A transition that is not allowed; the message says why, in words a person can act on."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def signed_in(user: RequestUser) -> User:
    """The person who acts: the admin's views and the API's writes let nobody else in."""
    if isinstance(user, AnonymousUser):
        raise PermissionDenied
    return user


def label(entry: Curated) -> str:
    return entry._meta.label_lower


def can_review(user: RequestUser, model: type[Curated]) -> bool:
    return user.is_active and user.has_perm(
        f"{model._meta.app_label}.review_{model._meta.model_name}"
    )


def may_change_kind(user: RequestUser, entry: Curated) -> bool:
    return user.has_perm(f"{entry._meta.app_label}.change_{entry._meta.model_name}")


def can_edit(user: RequestUser, entry: Curated) -> bool:
    """May `user` change this entry's content (fields, citations, links) now?

    A draft is its author's and the editors'; the pending edit of a published entry is shared
    work, open to everyone who may change the kind; an entry in review is the editors'.
    Published and unpublished entries change only through a reviewed draft.
    """
    if not may_change_kind(user, entry):
        return False
    if entry.state == State.DRAFT:
        return (
            entry.draft_of_id is not None
            or can_review(user, type(entry))
            or entry.created_by_id == user.pk
        )
    if entry.state == State.IN_REVIEW:
        return can_review(user, type(entry))
    return False


def can_comment(user: RequestUser, entry: Curated) -> bool:
    """Authors, submitters and editors discuss an entry; so do the editors of a pending edit."""
    return (
        entry.created_by_id == user.pk
        or entry.submitted_by_id == user.pk
        or can_review(user, type(entry))
        or (entry.draft_of_id is not None and may_change_kind(user, entry))
    )


def publication_problems(entry: Curated, *, reason: str = "") -> list[str]:
    """What stops this entry from being published: missing citations, unpublished sources, and
    quotes not found in their source's text (`verified` false), unless an editor publishes with
    `reason` (the transition's comment, which is recorded)."""
    citations = list(entry.citations.select_related("source"))
    if not citations and entry.needs_citation:
        return ["It has no citation: add at least one source passage that supports it."]
    unpublished = sorted({c.source.title for c in citations if c.source.state != State.PUBLISHED})
    if unpublished:
        return [f"It cites sources that are not published yet: {'; '.join(unpublished)}."]
    misquoted = [c for c in citations if c.verified is False]
    if misquoted and not reason.strip():
        quotes = "; ".join(f"“{Truncator(c.quote).chars(60)}” ({c.source})" for c in misquoted)
        return [
            f"{len(misquoted)} quote(s) are not in their source's text: {quotes}. Correct them, "
            "or publish with a comment giving the reason."
        ]
    return []


def allowed_actions(user: RequestUser, entry: Curated) -> list[str]:
    """The transitions `user` may take on `entry` now, for showing only those buttons."""
    return [step.name for step in TRANSITIONS if step.offered(user, entry)]


# -- four eyes ---------------------------------------------------------------------------


def publish_refusal(user: RequestUser, entry: Curated) -> str | None:
    """Why `user` may not publish `entry` under four eyes, or None when they may.

    Whoever submitted it, or changed any field, citation or link of it since it was last
    published (of the pending edit, since it was started), needs another editor.
    """
    if settings.TRACKER_ALLOW_SELF_PUBLISH:
        return None
    if entry.submitted_by_id == user.pk:
        return "Nobody publishes their own submission: another editor must review it."
    if user.pk in authors_since_publication(entry):
        return (
            "You changed this entry since it was last published: "
            "another editor must review and publish it."
        )
    return None


def authors_since_publication(entry: Curated) -> set[int]:
    """Ids of the people who changed the entry's content since its last publication.

    Read from the history: each saved version whose fields or links differ from the one
    before, and each change of its citations and links, counts for the person who made it.
    A pending edit counts from its copy of the published entry, which nobody authored.
    """
    records = list(entry.history.order_by("history_date", "history_id"))
    since = _first_since_publication(entry, records)
    after = records[since - 1].history_date if since else None
    authors = _version_authors(entry, records, since)
    if entry.draft_of_id is None:
        authors |= _folded_edit_authors(entry, after)
    authors |= _part_authors(entry, after)
    authors.discard(None)
    return authors


def _first_since_publication(entry: Curated, records: list[HistoricalRecord]) -> int:
    """The index of the first history record after the last publication (of a pending edit,
    after its copy of the published entry)."""
    if entry.draft_of_id is not None:
        return 1 if records else 0
    published = [index for index, record in enumerate(records) if record.state == State.PUBLISHED]
    return published[-1] + 1 if published else 0


def _version_authors(entry: Curated, records: list[HistoricalRecord], since: int) -> set[int]:
    """Who saved a version, from `records[since]` on, that differs from the one before."""
    previous = records[since - 1] if since else None
    authors: set[int] = set()
    for record in records[since:]:
        if previous is None or _record_differs(entry, record, previous):
            authors.add(record.history_user_id)
        previous = record
    return authors


def _after[Q: QuerySet[Any]](changes: Q, moment: dt.datetime | None) -> Q:
    return changes if moment is None else changes.filter(history_date__gt=moment)


def _folded_edit_authors(entry: Curated, after: dt.datetime | None) -> set[int]:
    # A pending edit folded into the entry when it was reopened (entry_reopen) is gone, but
    # its history is not: whoever wrote its content wrote the entry's.
    folded = type(entry).history.filter(draft_of_id=entry.pk).exclude(history_type="+")
    return set(_after(folded, after).values_list("history_user_id", flat=True))


def _part_authors(entry: Curated, after: dt.datetime | None) -> set[int]:
    """Who changed the entry's citations or links after the moment `after`."""
    authors: set[int] = set()
    for history, column in _part_histories(entry):
        changes = _after(history.filter(**{column: entry.pk}), after)
        authors.update(changes.values_list("history_user_id", flat=True))
    return authors


def _record_differs(entry: Curated, record: HistoricalRecord, previous: HistoricalRecord) -> bool:
    if any(
        getattr(record, f.attname) != getattr(previous, f.attname) for f in _content_fields(entry)
    ):
        return True
    return any(
        set(_recorded_links(record, field)) != set(_recorded_links(previous, field))
        for field in _recorded_m2m(type(entry))
    )


def _part_histories(entry: Curated) -> list[tuple[QuerySet[Any], str]]:
    """(history manager, column naming the entry) for each part kept in its own history."""
    content_type = ContentType.objects.get_for_model(entry, for_concrete_model=True)
    citations = entry.citations.model.history.filter(content_type=content_type)
    links = [
        (through.history.all(), f"{column}_id")
        for through, column in _through_models(entry)
        if hasattr(through, "history")
    ]
    return [(citations, "object_id"), *links]


def _recorded_m2m(model: type[Curated]) -> list[ManyToManyField[Any, Any]]:
    """Many-to-many fields whose links each history record keeps (simple-history m2m_fields)."""
    names = set(getattr(model, "_history_m2m_fields", ()))
    return [f for f in model._meta.many_to_many if f.name in names]


def _recorded_links(record: HistoricalRecord, field: ManyToManyField[Any, Any]) -> list[int]:
    return list(
        getattr(record, field.name).values_list(f"{field.m2m_reverse_field_name()}_id", flat=True)
    )


# -- recording ---------------------------------------------------------------------------


def _record(
    entry: Curated, action: str, *, by: User, comment: str = "", from_state: str = ""
) -> Transition:
    return Transition.objects.create(
        content_type=ContentType.objects.get_for_model(entry, for_concrete_model=True),
        object_id=entry.pk,
        action=f"{label(entry)}.{action}",
        from_state=from_state,
        to_state=entry.state,
        by=by,
        comment=comment,
        version=entry.version,
    )


def _locked(entry: Curated) -> Curated:
    """The entry as it is in the database now, locked until the transaction ends."""
    return type(entry).objects.select_for_update().get(pk=entry.pk)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise WorkflowError(message)


def _require_state(entry: Curated, *states: str, verb: str) -> None:
    names = " or ".join(State(s).label.lower() for s in states)
    _require(
        entry.state in states,
        f"Only a {names} entry can be {verb}; this one is {State(entry.state).label.lower()}.",
    )


def _require_reviewer(user: RequestUser, entry: Curated, verb: str) -> None:
    _require(can_review(user, type(entry)), f"Only an editor can {verb} entries.")


def _require_original_published(entry: Curated, verb: str) -> None:
    """A pending edit moves on only while the entry it edits is published."""
    if entry.draft_of_id is None:
        return
    _require(
        type(entry).objects.filter(pk=entry.draft_of_id, state=State.PUBLISHED).exists(),
        f"This edit cannot be {verb}: the entry it edits was unpublished. An editor who reopens "
        "that entry takes this edit into it, and it goes through review from there.",
    )


def require_version(stored: Curated, *, seen_version: int | None) -> None:
    """Optimistic locking: a save must start from the version stored now. The refusal says what
    happened since, and what to do with the changes the person made."""
    if seen_version is None:
        raise WorkflowError(
            "This save does not say which version of the entry it started from, so nothing was "
            "saved. Reload the entry and apply your changes again."
        )
    if int(seen_version) == stored.version:
        return
    versions = f"now version {stored.version}; you opened version {seen_version}"
    opened = stored.history.filter(version=seen_version).values_list("state", flat=True).first()
    if opened is not None and opened != stored.state:
        raise WorkflowError(MOVED_ON[stored.state].format(versions=versions))
    raise WorkflowError(
        f"Someone else saved this entry (now version {stored.version}) after you opened it "
        f"(version {seen_version}). Nothing was saved: reload the entry and apply your changes "
        "again."
    )


# What a save from an older version is told when the entry moved to another state meanwhile.
MOVED_ON: dict[str, str] = {
    State.PUBLISHED: "Someone published this entry while you were editing it ({versions}), so it "
    "changes only through a reviewed edit now. Nothing was saved: open the published entry and "
    "choose “Edit (as a draft for review)”, then apply your changes there.",
    State.IN_REVIEW: "Someone submitted this entry for review while you were editing it "
    "({versions}). Nothing was saved: reload it; while it is in review, only editors change it.",
    State.UNPUBLISHED: "Someone unpublished this entry while you were editing it ({versions}). "
    "Nothing was saved: it changes again once an editor reopens it.",
    State.DRAFT: "Someone sent this entry back to draft while you were editing it ({versions}). "
    "Nothing was saved: reload the entry and apply your changes again.",
}


def could_edit_at(user: RequestUser, entry: Curated, version: str | None) -> bool:
    """Could `user` change the entry's content at `version` (when they opened a form of it)?

    Read from the entry's history; a `version` that is no version of it is False."""
    if version is None:
        return False
    try:
        number = int(version)
    except (TypeError, ValueError):
        return False
    record = entry.history.filter(version=number).first()
    return record is not None and can_edit(user, record.instance)


def _move(entry: Curated, step: Action, *, by: User, comment: str = "", **fields: Any) -> Curated:
    from_state = entry.state
    with freshness.changing(entry, edited=False):
        # Only the actions that move the entry come here (start_edit and comment do not).
        assert step.to_state is not None
        entry.state = step.to_state
        entry.version += 1
        entry.updated_by = by
        for name, value in fields.items():
            setattr(entry, name, value)
        _stamp(entry, by, step.code)
        entry.save(update_fields=["state", "version", "updated_by", "updated_at", *fields])
        _record(entry, step.code, by=by, comment=comment, from_state=from_state)
    return entry


def save_version(
    entry: Curated, *, by: User | None, reason: str, parts: Callable[[], object] | None = None
) -> Curated:
    """Save the entry with its parts (citations, links) changed first by `parts()`, so that
    the history record, written last, is the version as a whole: its links and the
    citations as of its time. The workflow's transitions and the dataset loader write
    through it; nothing else saves an entry."""
    adding = entry._state.adding
    if parts is not None:
        _history_switches(entry, skip_history_when_saving=True)
        try:
            if adding:
                entry.save()  # the parts need the entry's id
            parts()
        finally:
            del vars(entry)["skip_history_when_saving"]
    _stamp(entry, by, reason)
    entry.save()
    if adding and parts is not None:
        # The record written by the second save is the entry's creation.
        type(entry).history.filter(id=entry.pk).update(history_type="+")
    return entry


# -- transitions -------------------------------------------------------------------------


def entry_submit(entry: Curated, *, by: User, comment: str = "") -> Curated:
    with transaction.atomic():
        entry = _locked(entry)
        _require_allowed(SUBMIT, by, entry, comment)
        _require_original_published(entry, "submitted")
        return _move(
            entry,
            SUBMIT,
            by=by,
            comment=comment,
            submitted_by=by,
            review_note="",
        )


def entry_request_changes(entry: Curated, *, by: User, comment: str) -> Curated:
    with transaction.atomic():
        entry = _locked(entry)
        _require_allowed(REQUEST_CHANGES, by, entry, comment)
        return _move(
            entry,
            REQUEST_CHANGES,
            by=by,
            comment=comment,
            review_note=comment,
        )


def entry_publish(entry: Curated, *, by: User, comment: str = "") -> Curated:
    """Approve and publish; for the edit of a published entry, apply it and return the entry."""
    with transaction.atomic():
        entry = _locked(entry)
        _require_allowed(PUBLISH, by, entry, comment)
        _require_original_published(entry, "published")
        problems = publication_problems(entry, reason=comment)
        _require(not problems, "Cannot publish yet. " + " ".join(problems))
        if entry.draft_of_id:
            return _apply_edit(entry, by=by, comment=comment)
        comment = _with_corrections(comment, entry)
        Correction.objects.leading_to(entry).unpublished().update(published_at=clock.now())
        return _move(
            entry,
            PUBLISH,
            by=by,
            comment=comment,
            published_at=clock.now(),
            review_note="",
        )


def entry_unpublish(entry: Curated, *, by: User, reason: str) -> Curated:
    """Withdraw it from the public. A pending edit stays (nobody's work is lost) but waits:
    it cannot be submitted or published until the entry is reopened, which takes it in."""
    with transaction.atomic():
        entry = _locked(entry)
        _require_allowed(UNPUBLISH, by, entry, reason)
        problems = entry.withdrawal_problems()
        _require(not problems, "Cannot unpublish yet. " + " ".join(problems))
        return _move(
            entry,
            UNPUBLISH,
            by=by,
            comment=reason,
            withdrawn_reason=reason,
        )


def entry_reopen(entry: Curated, *, by: User, comment: str = "") -> Curated:
    """Back to draft. A pending edit left from when it was published is folded in (its fields,
    citations and links become the draft's) and deleted, so it goes through review again."""
    with transaction.atomic():
        entry = _locked(entry)
        _require_allowed(REOPEN, by, entry, comment)
        pending = entry.pending_edits.first()
        if pending is None:
            return _move(entry, REOPEN, by=by, comment=comment)
        _take_edit(
            entry,
            pending,
            by=by,
            reason=f"reopened, with the pending edit #{pending.pk}",
            state=State.DRAFT,
            updated_by=by,
        )
        _record(entry, REOPEN.code, by=by, comment=comment, from_state=State.UNPUBLISHED)
        _record(
            entry,
            "pending_edit_folded",
            by=by,
            comment=f"The pending edit #{pending.pk} became this draft's content.",
            from_state=State.DRAFT,
        )
        return entry


def entry_comment(entry: Curated, *, by: User, comment: str) -> Transition:
    _require_allowed(COMMENT, by, entry, comment)
    return _record(entry, COMMENT.code, by=by, comment=comment, from_state=entry.state)


def entry_start_edit(entry: Curated, *, by: User, comment: str = "") -> Curated:
    """The draft in which `by` edits a published entry (an existing pending edit, or a new one);
    `comment` says why, in the entry's log (a reader's correction it comes from)."""
    with transaction.atomic():
        entry = _locked(entry)
        _require_allowed(START_EDIT, by, entry)
        pending = entry.pending_edits.first()
        if pending is not None:
            if comment:
                _record(entry, COMMENT.code, by=by, comment=comment, from_state=entry.state)
            return pending
        copy = _clone(entry, by=by)
        note = f"Draft #{copy.pk}" + (f". {comment}" if comment else "")
        _record(entry, START_EDIT.code, by=by, comment=note, from_state=entry.state)
        return copy


# -- the table of actions: each declared once -------------------------------------------
#
# The workflow's checks (`_require_allowed`), the buttons offered (`allowed_actions`), the
# admin's labels and messages, and the actions the API accepts all read these rows. They
# follow the functions above, which each name their own row.


class Who(NamedTuple):
    """Who may take an action on an entry."""

    name: str
    allows: Callable[[RequestUser, Curated], bool]


CONTRIBUTOR = Who("contributor", may_change_kind)  # whoever may change this kind of entry
AUTHOR = Who("author", can_edit)  # whoever may edit this entry now
REVIEWER = Who("reviewer", lambda user, entry: can_review(user, type(entry)))
DISCUSSANT = Who("discussant", can_comment)  # its author, its submitter, editors


@dataclass(frozen=True, kw_only=True)
class Action:
    """One action on an entry: which function performs it, from which states, who may, what
    it records, and how the admin shows it."""

    name: str  # as the admin's form and the API send it
    perform: Callable[..., Curated | Transition]
    label: str  # the admin's button
    done: str  # the admin's message once it is done
    from_states: tuple[State, ...]
    to_state: State | None  # None: the entry keeps its state
    who: Who
    refusal: str  # what someone `who` does not allow is told
    can_be: str  # in the refusal from another state: "Only a draft entry can be <can_be>"
    code: str  # the Transition recorded: "<app>.<model>.<code>"
    comment_as: str | None = "comment"  # the keyword `perform` takes the comment as
    needs_comment: str = ""  # what a blank comment is told, when a comment is required
    rule: Callable[[RequestUser, Curated], str | None] | None = None  # a further refusal, or None

    def offered(self, user: RequestUser, entry: Curated) -> bool:
        """Would `user` be allowed to take it on `entry` now (with a comment, if it needs one)?"""
        return (
            entry.state in self.from_states
            and self.who.allows(user, entry)
            and (self.rule is None or self.rule(user, entry) is None)
        )

    def run(self, entry: Curated, *, by: User, comment: str = "") -> Curated | Transition:
        """The entry the action leaves (of start_edit, the draft), or a comment's record."""
        if self.comment_as is None:
            return self.perform(entry, by=by)
        return self.perform(entry, by=by, **{self.comment_as: comment})


def _require_allowed(step: Action, user: User, entry: Curated, comment: str = "") -> None:
    """The rules `step` declares, in the order its refusal names them: being an editor first
    (it does not depend on the entry), then the entry's state, then the comment, then whether
    this person may act on this entry."""
    if step.who is REVIEWER:
        _require(REVIEWER.allows(user, entry), step.refusal)
    _require_state(entry, *step.from_states, verb=step.can_be)
    _require(not step.needs_comment or bool(comment.strip()), step.needs_comment)
    _require(step.who.allows(user, entry), step.refusal)
    refusal = step.rule(user, entry) if step.rule else None
    _require(refusal is None, refusal or "")


SUBMIT = Action(
    name="submit",
    perform=entry_submit,
    label="Submit for review",
    done="Submitted for review.",
    from_states=(State.DRAFT,),
    to_state=State.IN_REVIEW,
    who=AUTHOR,
    refusal="Only the author or an editor can submit this draft.",
    can_be="submitted for review",
    code="submitted",
)
REQUEST_CHANGES = Action(
    name="request_changes",
    perform=entry_request_changes,
    label="Request changes",
    done="Sent back to the author with your comment.",
    from_states=(State.IN_REVIEW,),
    to_state=State.DRAFT,
    who=REVIEWER,
    refusal="Only an editor can request changes to entries.",
    can_be="sent back for changes",
    code="changes_requested",
    needs_comment="Say what needs to change: the comment goes to the author.",
)
PUBLISH = Action(
    name="publish",
    perform=entry_publish,
    label="Approve and publish",
    done="Published: it is now on the public site.",
    from_states=(State.IN_REVIEW,),
    to_state=State.PUBLISHED,
    who=REVIEWER,
    refusal="Only an editor can publish entries.",
    can_be="published",
    code="published",
    rule=publish_refusal,  # four eyes
)
START_EDIT = Action(
    name="start_edit",
    perform=entry_start_edit,
    label="Edit (as a draft for review)",
    done="This is your draft of the published entry; the published version stays live until "
    "an editor approves it.",
    from_states=(State.PUBLISHED,),
    to_state=None,  # the edit is a draft copy; the entry stays published
    who=CONTRIBUTOR,
    refusal="You may not edit this kind of entry.",
    can_be="edited through a reviewed draft",
    code="edit_started",
    comment_as=None,
)
UNPUBLISH = Action(
    name="unpublish",
    perform=entry_unpublish,
    label="Unpublish",
    done="Unpublished: it is no longer on the public site.",
    from_states=(State.PUBLISHED,),
    to_state=State.UNPUBLISHED,
    who=REVIEWER,
    refusal="Only an editor can unpublish entries.",
    can_be="unpublished",
    code="unpublished",
    comment_as="reason",
    needs_comment="Give the reason for withdrawing it; editors will see it.",
)
REOPEN = Action(
    name="reopen",
    perform=entry_reopen,
    label="Reopen as a draft",
    done="Reopened as a draft.",
    from_states=(State.UNPUBLISHED,),
    to_state=State.DRAFT,
    who=REVIEWER,
    refusal="Only an editor can reopen entries.",
    can_be="reopened",
    code="reopened",
)
# Not a transition: a note in the entry's log, in any state.
COMMENT = Action(
    name="comment",
    perform=entry_comment,
    label="Add a comment",
    done="Comment added.",
    from_states=tuple(State),
    to_state=None,
    who=DISCUSSANT,
    refusal="Only the author and editors can comment on this entry.",
    can_be="commented on",
    code="commented",
    needs_comment="A comment cannot be empty.",
)

# The transitions, in the order the admin shows their buttons.
TRANSITIONS = (SUBMIT, REQUEST_CHANGES, PUBLISH, START_EDIT, UNPUBLISH, REOPEN)
ACTIONS = {step.name: step for step in (*TRANSITIONS, COMMENT)}


def entry_transition(entry: Curated, action: str, *, by: User, comment: str = "") -> Curated:
    """Run one named action: the single entry point for the admin's buttons and the API."""
    # A comment becomes the review note or the withdrawal reason, shown and exported as text.
    try:
        PublishableText("comment")(comment)
    except ValidationError as error:
        raise WorkflowError(error.messages[0]) from None
    step = ACTIONS.get(action)
    if step is None:
        raise WorkflowError(f"Unknown action {action!r}; use one of {', '.join(ACTIONS)}.")
    result = step.run(entry, by=by, comment=comment)
    return result if isinstance(result, Curated) else entry  # a comment returns its record


def entry_revert(
    entry: Curated, *, to_version: HistoricalRecord, by: User, comment: str = ""
) -> Curated:
    """Bring back an earlier version: its fields, its citations and its links.

    A published entry is not changed in place: the revert becomes a new version of its
    pending edit, for review. When someone else already works on that pending edit the
    revert is refused, so that nobody's work is overwritten.
    """
    with transaction.atomic():
        entry = _locked(entry)
        _require_reviewer(by, entry, "revert")
        _require(to_version.id == entry.pk, "That version belongs to another entry.")
        _require(
            entry.state != State.UNPUBLISHED, "Reopen this unpublished entry before reverting it."
        )
        if entry.state == State.PUBLISHED:
            pending = entry.pending_edits.first()
            others = _workers(pending) - {by.pk} if pending is not None else set()
            _require(
                not others,
                f"Someone else is editing this entry in its pending edit (draft #"
                f"{pending.pk if pending else ''}); nothing was reverted. Revert within that "
                "draft, or wait until it is published or folded in.",
            )
            target = entry_start_edit(entry, by=by)
        else:
            target = entry
        for field in _content_fields(entry):
            setattr(target, field.attname, getattr(to_version, field.attname))
        target.version += 1
        target.updated_by = by
        _full_clean(target)
        reason = f"reverted to the version of {to_version.history_date:%Y-%m-%d %H:%M}"
        save_version(
            target,
            by=by,
            reason=reason,
            parts=lambda: _restore_parts(target, entry=entry, record=to_version, by=by),
        )
        _record(target, "reverted", by=by, comment=comment or reason, from_state=target.state)
        return target


def _workers(pending: Curated) -> set[int]:
    """Who has put work into a pending edit: who started it and who changed it since."""
    return {
        pk for pk in (pending.created_by_id, *authors_since_publication(pending)) if pk is not None
    }


# -- parts: citations and links, changed with their entry ------------------------------


def _content_fields(entry: Curated) -> list[Field[Any, Any]]:
    return [f for f in entry._meta.concrete_fields if f.name not in EDITORIAL_FIELDS]


def _through_models(entry: Curated) -> list[tuple[type[Model], str]]:
    """(through model, the column pointing at the entry) for each many-to-many of the entry."""
    return [(_through(f), f.m2m_field_name()) for f in entry._meta.many_to_many]


def _through(field: ManyToManyField[Any, Any]) -> type[Model]:
    through = field.remote_field.through
    # Every many-to-many has one once its model is ready; the stubs allow None before then.
    assert through is not None
    return through


def _stamped_save(row: Model, by: User, reason: str) -> None:
    _stamp(row, by, reason)
    row.save()


def _stamped_delete(rows: Iterable[Model], by: User, reason: str) -> None:
    for row in rows:
        _stamp(row, by, reason)
        row.delete()


def _copy_parts(target: Curated, *, rows_by_kind: Parts, by: User, reason: str) -> None:
    """Give `target` copies of the given citations and link rows, each recorded in history."""
    citations, links = rows_by_kind
    for citation in citations:
        citation.pk = citation.id = None
        citation._state.adding = True
        citation.object_id = target.pk
        _stamped_save(citation, by, reason)
    for (_through, column), rows in links:
        for row in rows:
            row.pk = None
            row._state.adding = True
            setattr(row, column, target)
            _stamped_save(row, by, reason)


def _current_parts(entry: Curated) -> Parts:
    citations = list(entry.citations.all())
    links = [
        ((through, column), list(through._default_manager.filter(**{column: entry})))
        for through, column in _through_models(entry)
    ]
    return citations, links


def _clear_parts(target: Curated, *, by: User, reason: str) -> None:
    _stamped_delete(target.citations.all(), by, reason)
    for through, column in _through_models(target):
        _stamped_delete(through._default_manager.filter(**{column: target}), by, reason)


def _take_parts(target: Curated, *, source: Curated, by: User) -> None:
    """Replace the target's citations and links with those of `source` (a pending edit)."""
    reason = f"from the edit #{source.pk}"
    parts = _current_parts(source)
    _clear_parts(target, by=by, reason=reason)
    _copy_parts(target, rows_by_kind=parts, by=by, reason=reason)


def citations_at(entry: Curated, at: dt.datetime) -> list[CitationRow]:
    """The entry's citations as they were at the moment `at` (a version's history_date: the
    version's record is written after its citations), from the citations' own history."""
    return _citations_as_of(type(entry), [(entry.pk, at)])[(entry.pk, at)]


def _citations_as_of(
    model: type[Curated], moments: Sequence[tuple[int, dt.datetime]]
) -> dict[tuple[int, dt.datetime], list[CitationRow]]:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    history = apps.get_model(settings.CITATION_MODEL).history.filter(content_type=content_type)
    return _rows_as_of(history, "object_id", moments)


def _rows_as_of(
    history: QuerySet[Any], column: str, moments: Sequence[tuple[int, dt.datetime]]
) -> dict[tuple[int, dt.datetime], list[Model]]:
    """The rows of a part kept in its own history (citations, a policy's actors) that an entry
    had at a moment, for each (entry id, moment) of `moments`: each row's latest record up to
    the moment, unless that record is its deletion, as simple-history's `as_of` reads one
    moment. `column` is the history's column naming the entry. One query for every moment: a
    page of versions reads them at once."""
    if not moments:
        return {}
    records = history.filter(
        **{f"{column}__in": {pk for pk, _ in moments}},
        history_date__lte=max(at for _, at in moments),
    ).order_by("history_date", "history_id")
    row_id = history.model.instance_type._meta.pk.attname
    by_entry: defaultdict[int, list[HistoricalRecord]] = defaultdict(list)
    for record in records:
        by_entry[getattr(record, column)].append(record)
    found: dict[tuple[int, dt.datetime], list[Model]] = {}
    for pk, at in moments:
        latest = {
            getattr(record, row_id): record for record in by_entry[pk] if record.history_date <= at
        }
        found[(pk, at)] = [r.instance for r in latest.values() if r.history_type != "-"]
    return found


def parts_at(model: type[Curated], records: Sequence[HistoricalRecord]) -> dict[int, Parts]:
    """The citations and links of each version of entries of `model` (their history records),
    by history id, as `_restore_parts` brings them back: a few queries for any number of
    versions."""
    moments = [(record.id, record.history_date) for record in records]
    citations = _citations_as_of(model, moments)
    links: dict[int, Links] = {record.history_id: [] for record in records}
    for field in model._meta.many_to_many:
        rows = _links_at(model, field, records)
        for record in records:
            links[record.history_id].append(
                ((_through(field), field.m2m_field_name()), rows[record.history_id])
            )
    return {r.history_id: (citations[(r.id, r.history_date)], links[r.history_id]) for r in records}


def _links_at(
    model: type[Curated], field: ManyToManyField[Any, Any], records: Sequence[HistoricalRecord]
) -> dict[int, list[Model]]:
    """The link rows of `field` at each version (by history id): kept in the version itself
    (an event's), in the link's own history (a policy's actors), or, with neither, as now."""
    through, column = _through(field), f"{field.m2m_field_name()}_id"
    if field in _recorded_m2m(model):
        other = f"{field.m2m_reverse_field_name()}_id"
        kept = getattr(model.history.model, field.name).model._default_manager
        found: dict[int, list[Model]] = {record.history_id: [] for record in records}
        for history_id, pk in kept.filter(history_id__in=list(found)).values_list(
            "history_id", other
        ):
            found[history_id].append(through(**{other: pk}))
        return found
    if hasattr(through, "history"):
        moments = [(record.id, record.history_date) for record in records]
        at = _rows_as_of(through.history.all(), column, moments)
        return {r.history_id: at[(r.id, r.history_date)] for r in records}
    now: defaultdict[int, list[Model]] = defaultdict(list)
    for row in through._default_manager.filter(**{f"{column}__in": {r.id for r in records}}):
        now[getattr(row, column)].append(row)
    return {r.history_id: now[r.id] for r in records}


def _restore_parts(target: Curated, *, entry: Curated, record: HistoricalRecord, by: User) -> None:
    """Give `target` the citations and links `entry` had at the version `record`."""
    parts = parts_at(type(entry), [record])[record.history_id]
    reason = f"reverted to the version of {record.history_date:%Y-%m-%d %H:%M}"
    _clear_parts(target, by=by, reason=reason)
    _copy_parts(target, rows_by_kind=parts, by=by, reason=reason)


def _clone(entry: Curated, *, by: User) -> Curated:
    copy = type(entry).objects.get(pk=entry.pk)
    copy.pk = None
    copy._state.adding = True
    copy.draft_of = entry
    copy.state = State.DRAFT
    copy.created_by = copy.updated_by = by
    copy.submitted_by = None
    copy.published_at = None
    copy.version = 1
    copy.review_note = copy.withdrawn_reason = ""
    parts = _current_parts(entry)
    reason = f"draft edit of #{entry.pk}"
    return save_version(
        copy,
        by=by,
        reason=reason,
        parts=lambda: _copy_parts(copy, rows_by_kind=parts, by=by, reason=reason),
    )


def _apply_edit(edit: Curated, *, by: User, comment: str) -> Curated:
    assert edit.draft_of is not None  # a pending edit
    entry = _locked(edit.draft_of)
    with freshness.changing(entry):
        return _apply_locked_edit(edit, entry, by=by, comment=comment)


def _apply_locked_edit(edit: Curated, entry: Curated, *, by: User, comment: str) -> Curated:
    comment = _with_corrections(comment, edit)
    reason = _with_corrections(f"published the reviewed edit #{edit.pk}", edit)
    Correction.objects.leading_to(edit).unpublished().update(published_at=clock.now())
    _take_edit(
        entry,
        edit,
        by=by,
        reason=reason,
        updated_by=edit.updated_by,
        published_at=clock.now(),
    )
    _record(entry, "edit_published", by=by, comment=comment, from_state=State.PUBLISHED)
    return entry


def _with_corrections(text: str, draft: Curated) -> str:
    """`text`, saying which readers' corrections the draft comes from, for the entry's history."""
    waiting = Correction.objects.leading_to(draft).unpublished().order_by("pk")
    numbers = [f"#{pk}" for pk in waiting.values_list("pk", flat=True)]
    if not numbers:
        return text
    said = f"from reader correction {', '.join(numbers)}"
    return f"{text} ({said})" if text else said.capitalize()


def _take_edit(entry: Curated, edit: Curated, *, by: User, reason: str, **fields: Any) -> None:
    """Make the pending edit's content (fields, citations, links) the entry's next version, with
    `fields` set beside it, then delete the edit."""
    for field in _content_fields(edit):
        setattr(entry, field.attname, getattr(edit, field.attname))
    _full_clean(entry)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.version += 1
    save_version(entry, by=by, reason=reason, parts=lambda: _take_parts(entry, source=edit, by=by))
    # The corrections the edit came from now point at the entry that carries it.
    Correction.objects.leading_to(edit).update(edit_id=entry.pk)
    edit.delete()


def _stamp(entry: Model, by: User | None, reason: str) -> None:
    """Who and why, for the history record the save writes (requests set the user too)."""
    _history_switches(entry, _history_user=by, _change_reason=reason)


def _history_switches(row: Model, **switches: object) -> None:
    """Set simple-history's switches for the row's next save: attributes of the instance that
    its model does not declare, so written to the instance's dict."""
    vars(row).update(switches)


def _full_clean(entry: Model) -> None:
    try:
        entry.full_clean()
    except ValidationError as exc:
        raise WorkflowError(" ".join(exc.messages)) from None


def creates_in_bulk(model: type[Curated]) -> bool:
    """Whether `entries_create` can create entries of `model`: those whose only parts are
    citations (a kind with links keeps them in each version's history, one save at a time)."""
    return not model._meta.many_to_many


def entries_create(
    batch: list[tuple[Curated, list[dict[str, Any]]]], *, by: User, reason: str
) -> list[Curated]:
    """Create new entries at once, each as `entry_save` creates one: a draft owned by `by` at
    version 1, its citations written first and its history record of creation after them.

    `batch` is a list of (unsaved entry, [citation fields]) of one kind, where each citation
    is a dict of Citation fields (source, quote, page, section, footnote). An import writes
    thousands of rows through it in a few queries, where `entry_save` takes several a row.
    """
    entries = [entry for entry, _ in batch]
    if not entries:
        return []
    model = type(entries[0])
    _require(
        all(type(e) is model for e in entries) and creates_in_bulk(model),
        f"Entries of {model._meta.verbose_name_plural} are created one at a time (entry_save).",
    )
    _require(
        all(e.pk is None for e in entries), "Only new entries are created; save others one by one."
    )
    with transaction.atomic():
        for entry in entries:
            _start_as_draft(entry, by=by)
            entry.updated_by = by
        model.objects.bulk_create(entries)
        citation_model = entries[0].citations.model
        citations = [
            citation_model(record=entry, **fields) for entry, parts in batch for fields in parts
        ]
        if citations:
            for citation in citations:
                citation.verify()  # what save() records, which bulk_create does not call
            citation_model.objects.bulk_create(citations)
            citation_model.history.bulk_history_create(
                citations, default_user=by, default_change_reason=reason
            )
        # Written after the citations, as save_version writes it: the version as a whole.
        model.history.bulk_history_create(entries, default_user=by, default_change_reason=reason)
    return entries


def _start_as_draft(entry: Curated, *, by: User) -> None:
    """A new entry starts as a draft of `by` at version 1, whatever its fields said."""
    entry.state = State.DRAFT
    entry.created_by = by
    entry.submitted_by = None
    entry.published_at = None
    entry.version = 1


def entry_save(
    entry: Curated,
    *,
    by: User,
    seen_version: int | None = None,
    reason: str = "",
    parts: Callable[[], object] | None = None,
) -> Curated:
    """Save an edit of the entry's content, with `parts()` changing its citations and links
    in the same version. A new entry starts as a draft owned by `by`; an existing one must be
    one `by` may edit, saved from the version stored now (`seen_version`)."""
    with transaction.atomic():
        if entry.pk is None:
            _start_as_draft(entry, by=by)
        else:
            stored = _locked(entry)
            # A stale version first: what happened since says more than "you may not".
            require_version(stored, seen_version=seen_version)
            _require(can_edit(by, stored), "You may not change this entry in its current state.")
            for name in (
                "state",
                "created_by_id",
                "submitted_by_id",
                "published_at",
                "draft_of_id",
            ):
                setattr(entry, name, getattr(stored, name))
            entry.version = stored.version + 1
        entry.updated_by = by
        return save_version(
            entry,
            by=by,
            reason=reason or ("created" if entry._state.adding else "edited"),
            parts=parts,
        )
