"""The home page: jurisdictions with their scorecards, what is due soon, what is overdue, what
fell due after its last check, and what is new."""

import datetime as dt
from collections.abc import Mapping, Sequence

from policies import selectors
from policies.models import Jurisdiction
from policies.scorecard import card_for
from policies.standings import Counted, by_due, by_jurisdiction, entries_of, progress_of_all

DUE_SOON_DAYS = 365
LIST_LENGTH = 8


def due_soon(everything: Sequence[Counted], *, today: dt.date, horizon: dt.date) -> list[Counted]:
    """The open commitments due between `today` and `horizon`, in the given order."""
    return [s for s in everything if s.current.is_open and s.due and today <= s.due.end <= horizon]


def overdue_worst_first(everything: Sequence[Counted]) -> list[Counted]:
    """The overdue commitments, the longest overdue first (ties in the given order)."""
    return sorted(
        (s for s in everything if s.current.overdue),
        key=lambda s: -(s.current.slippage_days or 0),
    )


def unchecked_stalest_first(everything: Sequence[Counted]) -> list[Counted]:
    """The commitments past due but not checked since, the longest unchecked first (never
    checked before any; ties in the given order)."""
    return sorted(
        (s for s in everything if s.current.unchecked),
        key=lambda s: s.current.horizon.start if s.current.horizon else dt.date.min,
    )


def with_scorecards(
    jurisdictions: list[Jurisdiction], groups: Mapping[int, Sequence[Counted]]
) -> list[Jurisdiction]:
    """Set `scorecard` on each of `jurisdictions`: that of its group of commitments (by
    jurisdiction id, `standings.by_jurisdiction`), or an empty one."""
    for j in jurisdictions:
        # The templates read `scorecard` on the entry (issue 16 leaves that protocol as it is).
        j.scorecard = card_for(groups.get(j.pk, []))  # type: ignore[attr-defined]
    return jurisdictions


def jurisdictions_with_scorecards(everything: Sequence[Counted]) -> list[Jurisdiction]:
    """The published jurisdictions that have commitments, each with its `scorecard`."""
    groups = by_jurisdiction(everything)
    return with_scorecards([j for j in selectors.jurisdictions() if groups.get(j.pk)], groups)


def home_context(*, today: dt.date) -> dict[str, object]:
    everything = sorted(progress_of_all(selectors.commitments_bare(), on=today), key=by_due)
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    overdue = overdue_worst_first(everything)
    unchecked = unchecked_stalest_first(everything)
    soon, overdue_shown, unchecked_shown = entries_of(
        due_soon(everything, today=today, horizon=horizon)[:LIST_LENGTH],
        overdue[:LIST_LENGTH],
        unchecked[:LIST_LENGTH],
    )
    latest = selectors.events().order_by("-published_at", "-occurred_start")[:LIST_LENGTH]
    return {
        "jurisdictions": jurisdictions_with_scorecards(everything),
        "scorecard": card_for(everything),
        "due_soon": soon,
        "overdue": overdue_shown,
        "overdue_count": len(overdue),
        "unchecked": unchecked_shown,
        "unchecked_count": len(unchecked),
        "latest": list(latest),
        "today": today,
        "horizon": horizon,
    }
