"""Readers' corrections: what a reader says is wrong or new about a public entry, and what
curators do with it. Every step is one function here, which the public form and the admin call:

    new --start an edit (a pending edit of the entry, or a new entry about it)--> accepted
    new --decline (with a reason)--> declined
    new --duplicate (of another correction)--> duplicate
    declined, duplicate, accepted without an edit --reopen--> new

Nothing here changes anything public. An accepted correction points at its draft, which goes
through review as any change does; when an editor publishes that draft, the workflow marks the
correction published (`Correction.objects.leading_to`), and the entry's page says "Corrected on".
"""

# The user model is named for the type checker only: annotations stay unevaluated.
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction

from tracker.core import clock, workflow
from tracker.core.editorial import Curated, State
from tracker.core.models import Correction
from tracker.core.workflow import RequestUser, WorkflowError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def may_triage(user: RequestUser) -> bool:
    """May `user` read the queue and start edits from a correction (every curator)?"""
    return user.is_active and user.has_perm("tracker.change_correction")


def may_decide(user: RequestUser) -> bool:
    """May `user` decline a correction, mark it a duplicate, reopen it, read the reporter's
    email and reply (editors)?"""
    return user.is_active and user.has_perm("tracker.review_correction")


def submit(
    entry: Curated,
    *,
    message: str,
    source_url: str = "",
    document: File[bytes] | None = None,
    quote: str = "",
    page: str = "",
    email: str = "",
) -> Correction:
    """Store a reader's correction of `entry`, a public entry, as new. The caller (the public
    form) has checked who sends it and how often; this checks what is sent, under the model's
    rules (lengths, an address, characters a page can publish), and raises ValidationError."""
    correction = Correction(
        entry=entry,
        message=message,
        source_url=source_url,
        quote=quote,
        page=page,
        email=email,
        submitted_at=clock.now(),
    )
    if document is not None:
        correction.document = document
    correction.full_clean()
    with transaction.atomic():
        correction.save()
    return correction


def entry_of(correction: Correction) -> Curated | None:
    """The entry the correction is about, or None when it has since been deleted."""
    return _curated(correction.entry)


def edit_of(correction: Correction) -> Curated | None:
    """The draft started from the correction (or, once published, the entry carrying it), or
    None when none was started or it has since been deleted."""
    return _curated(correction.edit)


def _curated(found: object) -> Curated | None:
    # A generic relation may name any model; a correction's name curated entries.
    return found if isinstance(found, Curated) else None


# -- the steps -------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of a correction's triage: its name, its label, from which states, who may."""

    name: str
    label: str
    done: str  # what the correction has been, after the step
    from_states: tuple[str, ...]
    allows: Callable[[RequestUser], bool]

    def offered(self, user: RequestUser, correction: Correction) -> bool:
        return correction.state in self.from_states and self.allows(user)

    def require(self, user: RequestUser, correction: Correction) -> None:
        if not self.allows(user):
            raise WorkflowError(f"You may not {self.label.lower()} a correction.")
        if correction.state not in self.from_states:
            raise WorkflowError(
                f"This correction is {correction.get_state_display().lower()}: it cannot be "
                f"{self.done} now."
            )


NEW = (Correction.State.NEW,)
START = Step("start", "Start an edit", "accepted", NEW, may_triage)
DECLINE = Step("decline", "Decline", "declined", NEW, may_decide)
DUPLICATE = Step("duplicate", "Mark as duplicate", "marked a duplicate", NEW, may_decide)
REOPEN = Step(
    "reopen",
    "Reopen",
    "reopened",
    (Correction.State.ACCEPTED, Correction.State.DECLINED, Correction.State.DUPLICATE),
    may_decide,
)
STEPS = {step.name: step for step in (START, DECLINE, DUPLICATE, REOPEN)}


def _locked(correction: Correction) -> Correction:
    return Correction.objects.select_for_update().get(pk=correction.pk)


def _decided(correction: Correction, state: str, *, by: User, **fields: object) -> Correction:
    correction.state = state
    correction.decided_by = by
    correction.decided_at = clock.now()
    for name, value in fields.items():
        setattr(correction, name, value)
    _full_clean(correction)
    correction.save()
    return correction


def _full_clean(correction: Correction) -> None:
    try:
        correction.full_clean()
    except ValidationError as exc:
        raise WorkflowError(" ".join(exc.messages)) from None


def decline(correction: Correction, *, by: User, reason: str) -> Correction:
    """Decline it, saying why (the reason is for curators, and for a reply to the reporter)."""
    with transaction.atomic():
        correction = _locked(correction)
        DECLINE.require(by, correction)
        if not reason.strip():
            raise WorkflowError("Say why it is declined: a reason is needed.")
        return _decided(correction, Correction.State.DECLINED, by=by, reason=reason.strip())


def mark_duplicate(
    correction: Correction, *, by: User, of: Correction | None, reason: str = ""
) -> Correction:
    """Mark it a duplicate of another correction (or, saying what it repeats, of something
    else curators already have)."""
    with transaction.atomic():
        correction = _locked(correction)
        DUPLICATE.require(by, correction)
        if of is not None and of.pk == correction.pk:
            raise WorkflowError("A correction cannot be a duplicate of itself.")
        if of is None and not reason.strip():
            raise WorkflowError(
                "Say which correction it repeats, or what it repeats in the reason."
            )
        return _decided(
            correction, Correction.State.DUPLICATE, by=by, duplicate_of=of, reason=reason.strip()
        )


def reopen(correction: Correction, *, by: User) -> Correction:
    """Back to new. An accepted correction whose draft is still waiting keeps it; one whose
    edit was published cannot be reopened: the correction is done."""
    with transaction.atomic():
        correction = _locked(correction)
        REOPEN.require(by, correction)
        if correction.published_at is not None:
            raise WorkflowError("Its edit was published: a published correction stays accepted.")
        if correction.state == Correction.State.ACCEPTED and edit_of(correction) is not None:
            raise WorkflowError(
                "Its draft is still waiting for review: delete the draft first, or let it be "
                "reviewed."
            )
        return _decided(
            correction,
            Correction.State.NEW,
            by=by,
            reason="",
            duplicate_of=None,
            edit_type=None,
            edit_id=None,
        )


def start_edit(correction: Correction, *, by: User, note: str) -> Curated:
    """Start the pending edit of the correction's entry (or take the one already waiting), and
    accept the correction with it: the edit then goes through review as any edit does. `note`
    is the line the entry's page shows once the edit is published."""
    with transaction.atomic():
        correction = _locked(correction)
        START.require(by, correction)
        entry = entry_of(correction)
        if entry is None:
            raise WorkflowError("The entry it is about no longer exists: decline it instead.")
        if entry.state != State.PUBLISHED:
            raise WorkflowError(
                f"The entry is {entry.get_state_display().lower()}, not published: edit it "
                "directly, then start from this correction once it is published again."
            )
        draft = workflow.entry_start_edit(
            entry, by=by, comment=f"From reader correction #{correction.pk}."
        )
        _accept(correction, draft, by=by, note=note)
        return draft


def started(correction: Correction, draft: Curated, *, by: User, note: str = "") -> Correction:
    """Accept the correction with `draft`, a new entry just saved from it (an assessment of the
    commitment it is about, say), which goes through review as any new entry does. Without
    `note`, the one written when the new entry was planned (`set_note`)."""
    with transaction.atomic():
        correction = _locked(correction)
        START.require(by, correction)
        if draft.state not in (State.DRAFT, State.IN_REVIEW):
            raise WorkflowError("Only a draft can be started from a correction.")
        return _accept(correction, draft, by=by, note=note or correction.public_note)


def set_note(correction: Correction, *, by: User, note: str) -> Correction:
    """Write the line the entry's page will show, until the edit is published: then it is part
    of what the public read, and stays as the editor published it."""
    with transaction.atomic():
        correction = _locked(correction)
        if not may_triage(by):
            raise WorkflowError("You may not change a correction.")
        if correction.published_at is not None:
            raise WorkflowError("Its edit is published: the note on the entry's page stays.")
        if correction.state not in (Correction.State.NEW, Correction.State.ACCEPTED):
            raise WorkflowError(
                f"This correction is {correction.get_state_display().lower()}: reopen it first."
            )
        correction.public_note = note.strip()
        _full_clean(correction)
        correction.save(update_fields=["public_note"])
        return correction


def _accept(correction: Correction, draft: Curated, *, by: User, note: str) -> Correction:
    if not note.strip():
        raise WorkflowError(
            "Write the one line the entry's page will show once the change is published, "
            "e.g. “The due date was 2024; the decree says 2025.”"
        )
    return _decided(
        correction,
        Correction.State.ACCEPTED,
        by=by,
        edit_type=ContentType.objects.get_for_model(draft),
        edit_id=draft.pk,
        public_note=note.strip(),
    )


def reply(correction: Correction, *, by: User, subject: str, message: str) -> Correction:
    """Write to the reporter, through the site's email backend, and keep what was written."""
    if not may_decide(by):
        raise WorkflowError("Only editors reply to readers.")
    if not correction.email:
        raise WorkflowError("The reader gave no email address: there is nobody to reply to.")
    if not (subject.strip() and message.strip()):
        raise WorkflowError("A reply needs a subject and a message.")
    send_mail(subject.strip(), message.strip(), None, [correction.email])
    correction.reply = message.strip()
    correction.replied_at = clock.now()
    correction.save(update_fields=["reply", "replied_at"])
    return correction
