"""The home page: jurisdictions with their scorecards, what is due soon, what is overdue, what
fell due after its last check, and what is new."""

import datetime as dt
from collections.abc import Mapping, Sequence

from policies import readmodel, selectors
from policies.models import CommitmentStanding, Jurisdiction
from policies.scorecard import Scorecard, Standing, combined, tally
from policies.standings import Counted, by_due, entries_of, progress_of_all

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
    jurisdictions: list[Jurisdiction], cards: Mapping[object, Scorecard]
) -> list[Jurisdiction]:
    """Set `scorecard` on each of `jurisdictions`: its card from `cards` (by jurisdiction id,
    `readmodel.scorecards(..., by="jurisdiction_id")`), or an empty one."""
    for j in jurisdictions:
        # The templates read `scorecard` on the entry (issue 16 leaves that protocol as it is).
        j.scorecard = cards.get(j.pk) or tally({})  # type: ignore[attr-defined]
    return jurisdictions


def cards_by_jurisdiction(*, today: dt.date) -> dict[object, Scorecard]:
    """Every jurisdiction's scorecard, counted from the stored standings."""
    return readmodel.scorecards(CommitmentStanding.objects.all(), today=today, by="jurisdiction_id")


def home_context(*, today: dt.date) -> dict[str, object]:
    # The lists rank the few commitments that can head them, derived afresh; the counts come
    # from the stored standings.
    rows = CommitmentStanding.objects.all()
    named = readmodel.candidates(rows, today=today, limit=LIST_LENGTH)
    ranked = sorted(
        progress_of_all(selectors.commitments_bare().filter(pk__in=named), on=today), key=by_due
    )
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    soon, overdue_shown, unchecked_shown = entries_of(
        due_soon(ranked, today=today, horizon=horizon)[:LIST_LENGTH],
        overdue_worst_first(ranked)[:LIST_LENGTH],
        unchecked_stalest_first(ranked)[:LIST_LENGTH],
    )
    latest = selectors.events().order_by("-published_at", "-occurred_start")[:LIST_LENGTH]
    cards = cards_by_jurisdiction(today=today)
    card = combined(cards.values())
    shown = with_scorecards(list(selectors.jurisdictions()), cards)
    return {
        # Those that have public commitments.
        "jurisdictions": [j for j in shown if j.pk in cards],
        "scorecard": card,
        "due_soon": soon,
        "overdue": overdue_shown,
        "overdue_count": card.count(Standing.OVERDUE),
        "unchecked": unchecked_shown,
        "unchecked_count": card.count(Standing.NOT_CHECKED),
        "latest": list(latest),
        "today": today,
        "horizon": horizon,
    }
