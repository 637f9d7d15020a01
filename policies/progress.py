"""Where a commitment stands: pure functions over its due date and its assessments.

A commitment's history is the series of its published assessments; its status is the
latest one, and its status "as of" a day is the latest one dated on or before that day.
"Latest" is one rule, defined here and nowhere else: of the verdicts whose period had begun
by the day (`known_on`), the one with the greatest (as_of_start, as_of_end, id). Python ranks
by `verdict_key`, the database by `LATEST_FIRST`; both read the same three values.
The platform adds what it can derive: overdue (due date passed, nothing delivered)
and delivered late (delivery after the due date), with the slippage in days.
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
    status: Status
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


def known_on(day: dt.date) -> Q:
    """The assessments that could have been known on `day`: their period had begun."""
    return Q(as_of_start__lte=day)


@dataclass(frozen=True, slots=True)
class Progress:
    status: Status
    overdue: bool
    delivered_late: bool
    delivered_on: FuzzyDate | None
    # Days from the due date's end to delivery (negative: early), or to the reference
    # day while an overdue commitment stays open; None when there is nothing to measure.
    slippage_days: int | None
    latest: Verdict | None

    @property
    def label(self) -> str:
        if self.delivered_late:
            return "Delivered late"
        if self.overdue:
            return "Overdue"
        return Status(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def latest_verdict(verdicts: Iterable[Verdict], *, on: dt.date) -> Verdict | None:
    """The latest verdict that could have been known on `on`, in whatever order they come."""
    return max((v for v in verdicts if v.as_of.start <= on), key=verdict_key, default=None)


def derive_progress(
    *, due: FuzzyDate | None, verdicts: Iterable[Verdict], today: dt.date
) -> Progress:
    """The commitment's standing as known on `today` (pass an earlier day for "as of").

    `verdicts` are its published verdicts: a draft assessment is nobody's verdict yet.
    """
    latest = latest_verdict(verdicts, on=today)
    status = latest.status if latest else Status.NO_EVIDENCE
    delivered_on = latest.delivered if latest and status in DELIVERED else None

    overdue = due is not None and status in OPEN and due.has_passed(today)
    delivered_late = due is not None and delivered_on is not None and delivered_on.start > due.end
    if due is not None and delivered_on is not None:
        slippage = delivered_on.days_after(due)
    elif due is not None and overdue:
        slippage = (today - due.end).days
    else:
        slippage = None
    return Progress(
        status=status,
        overdue=overdue,
        delivered_late=delivered_late,
        delivered_on=delivered_on,
        slippage_days=slippage,
        latest=latest,
    )
