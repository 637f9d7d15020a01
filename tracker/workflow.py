"""The editorial workflow: each transition is one function that the admin, the API and
management commands all call. Each checks who is asking and from which state, runs in a
transaction, saves, and writes a Transition with a dotted code.

    draft --submit--> in_review --publish--> published --unpublish--> unpublished --reopen--> draft
                      in_review --request_changes--> draft

A published entry is never edited in place: `entry_start_edit` makes a draft copy that goes
through review, and publishing the copy applies it to the published entry in one step.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker import freshness
from tracker.editorial import Curated, State
from tracker.models import Transition

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
    }
)
# Kinds that are reference data rather than claims: they need no citation to be published.
UNCITED_MODELS = frozenset({"sources.source", "policies.jurisdiction"})


class WorkflowError(Exception):
    """A transition that is not allowed; the message says why, in words a person can act on."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def label(entry: Curated) -> str:
    return entry._meta.label_lower


def can_review(user, model) -> bool:
    return user.is_active and user.has_perm(
        f"{model._meta.app_label}.review_{model._meta.model_name}"
    )


def can_edit(user, entry: Curated) -> bool:
    """May `user` change this entry's content directly (in the admin or the API)?"""
    if not user.has_perm(f"{entry._meta.app_label}.change_{entry._meta.model_name}"):
        return False
    if entry.state == State.DRAFT:
        return can_review(user, type(entry)) or entry.created_by_id == user.pk
    if entry.state == State.IN_REVIEW:
        return can_review(user, type(entry))
    return False  # published and unpublished entries change only through a reviewed draft


def publication_problems(entry: Curated) -> list[str]:
    """What stops this entry from being published: missing citations, unpublished sources."""
    if label(entry) in UNCITED_MODELS:
        return []
    citations = list(entry.citations.select_related("source"))
    if not citations:
        return ["It has no citation: add at least one source passage that supports it."]
    unpublished = sorted({c.source.title for c in citations if c.source.state != State.PUBLISHED})
    if unpublished:
        return [f"It cites sources that are not published yet: {'; '.join(unpublished)}."]
    return []


def allowed_actions(user, entry: Curated) -> list[str]:
    """The transitions `user` may take on `entry` now, for showing only those buttons."""
    reviewer = can_review(user, type(entry))
    actions = []
    if entry.state == State.DRAFT and (reviewer or entry.created_by_id == user.pk):
        actions.append("submit")
    if entry.state == State.IN_REVIEW and reviewer:
        actions.append("request_changes")
        if _may_publish_own(user, entry):
            actions.append("publish")
    if entry.state == State.PUBLISHED:
        if user.has_perm(f"{entry._meta.app_label}.change_{entry._meta.model_name}"):
            actions.append("start_edit")
        if reviewer:
            actions.append("unpublish")
    if entry.state == State.UNPUBLISHED and reviewer:
        actions.append("reopen")
    return actions


def _may_publish_own(user, entry) -> bool:
    return entry.submitted_by_id != user.pk or settings.TRACKER_ALLOW_SELF_PUBLISH


def _record(entry, action, *, by, comment="", from_state="") -> Transition:
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


def _require_state(entry, *states, verb: str) -> None:
    names = " or ".join(State(s).label.lower() for s in states)
    _require(
        entry.state in states,
        f"Only a {names} entry can be {verb}; this one is {State(entry.state).label.lower()}.",
    )


def _require_reviewer(user, entry, verb: str) -> None:
    _require(can_review(user, type(entry)), f"Only an editor can {verb} entries.")


def _move(entry, *, to: str, by, action: str, comment: str = "", **fields) -> Curated:
    from_state = entry.state
    with freshness.changing(entry, edited=False):
        entry.state = to
        entry.version += 1
        entry.updated_by = by
        for name, value in fields.items():
            setattr(entry, name, value)
        _stamp(entry, by, action)
        entry.save(update_fields=["state", "version", "updated_by", "updated_at", *fields])
        _record(entry, action, by=by, comment=comment, from_state=from_state)
    return entry


def entry_submit(entry: Curated, *, by, comment: str = "") -> Curated:
    with transaction.atomic():
        entry = _locked(entry)
        _require_state(entry, State.DRAFT, verb="submitted for review")
        _require(
            entry.created_by_id == by.pk or can_review(by, type(entry)),
            "Only the author or an editor can submit this draft.",
        )
        return _move(
            entry,
            to=State.IN_REVIEW,
            by=by,
            action="submitted",
            comment=comment,
            submitted_by=by,
            review_note="",
        )


def entry_request_changes(entry: Curated, *, by, comment: str) -> Curated:
    with transaction.atomic():
        entry = _locked(entry)
        _require_reviewer(by, entry, "request changes to")
        _require_state(entry, State.IN_REVIEW, verb="sent back for changes")
        _require(bool(comment.strip()), "Say what needs to change: the comment goes to the author.")
        return _move(
            entry,
            to=State.DRAFT,
            by=by,
            action="changes_requested",
            comment=comment,
            review_note=comment,
        )


def entry_publish(entry: Curated, *, by, comment: str = "") -> Curated:
    """Approve and publish; for the edit of a published entry, apply it and return the entry."""
    with transaction.atomic():
        entry = _locked(entry)
        _require_reviewer(by, entry, "publish")
        _require_state(entry, State.IN_REVIEW, verb="published")
        _require(
            _may_publish_own(by, entry),
            "Nobody publishes their own submission: another editor must review it.",
        )
        problems = publication_problems(entry)
        _require(not problems, "Cannot publish yet. " + " ".join(problems))
        if entry.draft_of_id:
            return _apply_edit(entry, by=by, comment=comment)
        return _move(
            entry,
            to=State.PUBLISHED,
            by=by,
            action="published",
            comment=comment,
            published_at=timezone.now(),
            review_note="",
        )


def entry_unpublish(entry: Curated, *, by, reason: str) -> Curated:
    with transaction.atomic():
        entry = _locked(entry)
        _require_reviewer(by, entry, "unpublish")
        _require_state(entry, State.PUBLISHED, verb="unpublished")
        _require(bool(reason.strip()), "Give the reason for withdrawing it; editors will see it.")
        return _move(
            entry,
            to=State.UNPUBLISHED,
            by=by,
            action="unpublished",
            comment=reason,
            withdrawn_reason=reason,
        )


def entry_reopen(entry: Curated, *, by, comment: str = "") -> Curated:
    with transaction.atomic():
        entry = _locked(entry)
        _require_reviewer(by, entry, "reopen")
        _require_state(entry, State.UNPUBLISHED, verb="reopened")
        return _move(entry, to=State.DRAFT, by=by, action="reopened", comment=comment)


def entry_comment(entry: Curated, *, by, comment: str) -> Transition:
    _require(bool(comment.strip()), "A comment cannot be empty.")
    _require(
        entry.created_by_id == by.pk
        or can_review(by, type(entry))
        or entry.submitted_by_id == by.pk,
        "Only the author and editors can comment on this entry.",
    )
    return _record(entry, "commented", by=by, comment=comment, from_state=entry.state)


def entry_start_edit(entry: Curated, *, by) -> Curated:
    """The draft in which `by` edits a published entry (an existing pending edit, or a new one)."""
    with transaction.atomic():
        entry = _locked(entry)
        _require_state(entry, State.PUBLISHED, verb="edited through a reviewed draft")
        _require(
            by.has_perm(f"{entry._meta.app_label}.change_{entry._meta.model_name}"),
            "You may not edit this kind of entry.",
        )
        pending = entry.pending_edits.first()
        if pending is not None:
            return pending
        copy = _clone(entry, by=by)
        _record(entry, "edit_started", by=by, comment=f"Draft #{copy.pk}", from_state=entry.state)
        return copy


def entry_revert(entry: Curated, *, to_version, by, comment: str = "") -> Curated:
    """Bring back an earlier version's fields (citations keep their own history).

    A published entry is not changed in place: the revert becomes a draft edit for review.
    """
    with transaction.atomic():
        entry = _locked(entry)
        _require_reviewer(by, entry, "revert")
        _require(to_version.id == entry.pk, "That version belongs to another entry.")
        _require(
            entry.state != State.UNPUBLISHED, "Reopen this unpublished entry before reverting it."
        )
        target = entry_start_edit(entry, by=by) if entry.state == State.PUBLISHED else entry
        for field in _content_fields(entry):
            setattr(target, field.attname, getattr(to_version, field.attname))
        target.version += 1
        target.updated_by = by
        reason = f"reverted to the version of {to_version.history_date:%Y-%m-%d %H:%M}"
        _stamp(target, by, reason)
        _full_clean(target)
        target.save()
        _record(target, "reverted", by=by, comment=comment or reason, from_state=target.state)
        return target


def _content_fields(entry):
    return [f for f in entry._meta.concrete_fields if f.name not in EDITORIAL_FIELDS]


def _through_models(entry):
    """(through model, the column pointing at the entry) for each many-to-many of the entry."""
    return [(f.remote_field.through, f.m2m_field_name()) for f in entry._meta.many_to_many]


def _clone(entry: Curated, *, by) -> Curated:
    copy = type(entry).objects.get(pk=entry.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    copy.draft_of = entry
    copy.state = State.DRAFT
    copy.created_by = copy.updated_by = by
    copy.submitted_by = None
    copy.published_at = None
    copy.version = 1
    copy.review_note = copy.withdrawn_reason = ""
    _stamp(copy, by, f"draft edit of #{entry.pk}")
    copy.save()
    citations = list(entry.citations.all())
    for citation in citations:
        citation.pk = citation.id = None
        citation.object_id = copy.pk
    if citations:
        type(citations[0]).objects.bulk_create(citations)
    for through, column in _through_models(entry):
        rows = list(through.objects.filter(**{column: entry}))
        for row in rows:
            row.pk = row.id = None
            setattr(row, column, copy)
        through.objects.bulk_create(rows)
    return copy


def _apply_edit(edit: Curated, *, by, comment: str) -> Curated:
    entry = _locked(edit.draft_of)
    with freshness.changing(entry):
        return _apply_locked_edit(edit, entry, by=by, comment=comment)


def _apply_locked_edit(edit: Curated, entry: Curated, *, by, comment: str) -> Curated:
    for field in _content_fields(edit):
        setattr(entry, field.attname, getattr(edit, field.attname))
    _full_clean(entry)
    entry.version += 1
    entry.updated_by = edit.updated_by
    entry.published_at = timezone.now()
    _stamp(entry, by, f"published the reviewed edit #{edit.pk}")
    entry.citations.all().delete()
    edit.citations.update(object_id=entry.pk)
    for through, column in _through_models(entry):
        through.objects.filter(**{column: entry}).delete()
        through.objects.filter(**{column: edit}).update(**{column: entry})
    _record(entry, "edit_published", by=by, comment=comment, from_state=State.PUBLISHED)
    edit.delete()
    entry.save()
    return entry


def _stamp(entry, by, reason: str) -> None:
    """Who and why, for the history record the save writes (requests set the user too)."""
    entry._history_user = by
    entry._change_reason = reason


def _full_clean(entry) -> None:
    try:
        entry.full_clean()
    except ValidationError as exc:
        raise WorkflowError(" ".join(exc.messages)) from None


ACTIONS = ("submit", "request_changes", "publish", "unpublish", "reopen", "start_edit", "comment")


def entry_transition(entry: Curated, action: str, *, by, comment: str = "") -> Curated:
    """Run one named transition: the single entry point for the admin's buttons and the API."""
    match action:
        case "submit":
            return entry_submit(entry, by=by, comment=comment)
        case "request_changes":
            return entry_request_changes(entry, by=by, comment=comment)
        case "publish":
            return entry_publish(entry, by=by, comment=comment)
        case "unpublish":
            return entry_unpublish(entry, by=by, reason=comment)
        case "reopen":
            return entry_reopen(entry, by=by, comment=comment)
        case "start_edit":
            return entry_start_edit(entry, by=by)
        case "comment":
            entry_comment(entry, by=by, comment=comment)
            return entry
    raise WorkflowError(f"Unknown action {action!r}; use one of {', '.join(ACTIONS)}.")


def entry_save(entry: Curated, *, by) -> Curated:
    """Save an edit of the entry's content: a new entry starts as a draft owned by `by`."""
    with transaction.atomic():
        if entry.pk is None:
            entry.state = State.DRAFT
            entry.created_by = by
        else:
            stored = _locked(entry)
            _require(can_edit(by, stored), "You may not change this entry in its current state.")
            entry.version = stored.version + 1
        entry.updated_by = by
        _stamp(entry, by, "created" if entry._state.adding else "edited")
        entry.save()
        return entry
