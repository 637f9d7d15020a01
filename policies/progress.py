"""Where a commitment stands: pure functions over its due date and its assessments.

A commitment's history is the series of its published assessments; its status is the
latest one, and its status "as of" a day is the latest one dated on or before that day.
"Latest" is one rule, defined here and nowhere else: of the verdicts whose period had begun
by the day (`known_on`), the one with the greatest (as_of_start, as_of_end, id). Python ranks
by `verdict_key`, the database by `LATEST_FIRST`; both read the same three values.
The platform adds what it can derive: delivered late (delivery after the due date), with the
slippage in days, and, for an open commitment whose due date has passed, one of two things:

- overdue, when the due date passed *before* its evidence horizon: the date up to which its
  evidence was checked, the latest of its published assessments known on the day (a verdict,
  or a check that found nothing new). Someone looked after the deadline and saw no delivery.
- not checked since the horizon, when the due date passed after it (or nothing was ever
  checked): the site does not know, and says so instead of calling it overdue.

A period counts from its start: evidence "as of December 2020" may date from 1 December, so a
commitment due "by 2020" is not checked since then, not overdue.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from tracker.core.dates import FuzzyDate


class Status(models.TextChoices):
    NO_EVIDENCE = "no_evidence", "No evidence yet"
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    STALLED = "stalled", "Stalled"
    DELIVERED = "delivered", "Delivered"
    PARTLY_DELIVERED = "partly_delivered", "Partly delivered"
    MISSED = "missed", "Missed"
    ABANDONED = "abandoned", "Abandoned"


OPEN = frozenset({Status.NO_EVIDENCE, Status.NOT_STARTED, Status.IN_PROGRESS, Status.STALLED})
DELIVERED = frozenset({Status.DELIVERED, Status.PARTLY_DELIVERED})


@dataclass(frozen=True, slots=True)
class Verdict:
    """One published assessment, reduced to what status derivation needs."""

    as_of: FuzzyDate
    # None for a check: the evidence was reviewed up to `as_of` and gave no new verdict. A
    # check moves the evidence horizon and never changes the status.
    status: Status | None
    delivered: FuzzyDate | None = None
    # The assessment's id breaks a tie between two verdicts on the same period (the one
    # recorded later counts), so the latest verdict never depends on the order of a list.
    id: int = field(kw_only=True)


# The columns of an assessment that rank its verdict, most significant first, and the same
# ranking as `order_by` terms, latest first, for the querysets and the window that pick the
# latest verdict in the database.
VERDICT_KEY = ("as_of_start", "as_of_end", "id")
LATEST_FIRST = tuple(f"-{column}" for column in VERDICT_KEY)


def verdict_key(verdict: Verdict) -> tuple[dt.date, dt.date, int]:
    """`VERDICT_KEY` read from a verdict: the greatest is the latest."""
    return (verdict.as_of.start, verdict.as_of.end, verdict.id)


# The version of the status rules and the rubric that /methodology/ documents. Each assessment
# records the version it was made under; change it when the vocabulary or a derivation changes.
METHODOLOGY_VERSION = "2026-12"

# A check is stored as an assessment with no status.
NO_VERDICT = ""


def known_on(day: dt.date) -> Q:
    """The assessments that could have been known on `day`: their period had begun."""
    return Q(as_of_start__lte=day)


def verdicts_known_on(day: dt.date) -> Q:
    """The assessments known on `day` that give a verdict (checks do not)."""
    return known_on(day) & ~Q(status=NO_VERDICT)


@dataclass(frozen=True, slots=True)
class Progress:
    status: Status
    overdue: bool
    delivered_late: bool
    delivered_on: FuzzyDate | None
    # Days from the due date's end to delivery (negative: early), or, while overdue, to the
    # check that found it still open; None when there is nothing to measure.
    slippage_days: int | None
    latest: Verdict | None
    # The date up to which the evidence was checked; None when nothing was.
    horizon: FuzzyDate | None = None
    # Due date passed after the horizon (or with none), still open as far as anyone checked.
    unchecked: bool = False

    @property
    def label(self) -> str:
        if self.delivered_late:
            return "Delivered late"
        if self.overdue:
            return "Overdue"
        if self.unchecked:
            return f"Not checked since {self.horizon}" if self.horizon else "Not checked"
        return Status(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def latest_verdict(verdicts: Iterable[Verdict], *, on: dt.date) -> Verdict | None:
    """The latest verdict that could have been known on `on`, in whatever order they come;
    checks give none."""
    return max(
        (v for v in verdicts if v.status is not None and v.as_of.start <= on),
        key=verdict_key,
        default=None,
    )


def evidence_horizon(verdicts: Iterable[Verdict], *, on: dt.date) -> FuzzyDate | None:
    """The date up to which the evidence was checked, as known on `on`: the latest period of
    the verdicts and checks known by then."""
    return max((v.as_of for v in verdicts if v.as_of.start <= on), default=None)


def checked_after(due: FuzzyDate | None, horizon: FuzzyDate | None) -> bool:
    """Whether the evidence was checked after the due date had wholly passed."""
    return due is not None and horizon is not None and due.has_passed(horizon.start)


def came_late(due: FuzzyDate | None, delivered_on: FuzzyDate | None) -> bool:
    """Whether the delivery began only after the due date had ended."""
    return due is not None and delivered_on is not None and delivered_on.start > due.end


def derive_progress(
    *, due: FuzzyDate | None, verdicts: Iterable[Verdict], today: dt.date
) -> Progress:
    """The commitment's standing as known on `today` (pass an earlier day for "as of").

    `verdicts` are its published verdicts: a draft assessment is nobody's verdict yet.
    """
    verdicts = list(verdicts)
    latest = latest_verdict(verdicts, on=today)
    horizon = evidence_horizon(verdicts, on=today)
    status = latest.status if latest and latest.status else Status.NO_EVIDENCE
    delivered_on = latest.delivered if latest and status in DELIVERED else None
    lapsed = status in OPEN and due is not None and due.has_passed(today)
    overdue = lapsed and checked_after(due, horizon)
    return Progress(
        status=status,
        overdue=overdue,
        delivered_late=came_late(due, delivered_on),
        delivered_on=delivered_on,
        slippage_days=slippage(due, delivered_on, horizon if overdue else None),
        latest=latest,
        horizon=horizon,
        unchecked=lapsed and not overdue,
    )


def slippage(
    due: FuzzyDate | None, delivered_on: FuzzyDate | None, overdue_at: FuzzyDate | None
) -> int | None:
    """Days from the due date to delivery; for an overdue commitment, to the check that found
    it still open (`overdue_at`): late by at least that much, and what happened since is not
    known. None when there is nothing to measure."""
    if due is None:
        return None
    if delivered_on is not None:
        return delivered_on.days_after(due)
    if overdue_at is not None:
        return (overdue_at.start - due.end).days
    return None
