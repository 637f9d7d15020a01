"""The home page's overview: jurisdictions with scorecards, what is new, what is due."""

import datetime as dt
from collections import defaultdict

from policies import public
from policies.scorecard import scorecard

DUE_SOON_DAYS = 365
LIST_LENGTH = 8


def by_due(commitment):
    due = commitment.due
    return (due is None, due.end if due else dt.date.max, commitment.title)


def with_progress(commitments, *, on: dt.date):
    """Set `current` (the Progress as of `on`) on each commitment; its assessments are prefetched."""
    for commitment in commitments:
        commitment.current = commitment.progress(today=on)
    return commitments


def card_for(commitments):
    return scorecard((c.current, c.due) for c in commitments)


def home_context(*, today: dt.date) -> dict:
    commitments = with_progress(sorted(public.commitments(), key=by_due), on=today)
    by_jurisdiction = defaultdict(list)
    for c in commitments:
        by_jurisdiction[c.policy.jurisdiction_id].append(c)
    jurisdictions = [j for j in public.jurisdictions() if by_jurisdiction[j.pk]]
    for j in jurisdictions:
        j.scorecard = card_for(by_jurisdiction[j.pk])
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    due_soon = [
        c for c in commitments if c.current.is_open and c.due and today <= c.due.end <= horizon
    ]
    overdue = sorted(
        (c for c in commitments if c.current.overdue),
        key=lambda c: -(c.current.slippage_days or 0),
    )
    latest = list(public.events().order_by("-published_at", "-occurred_start")[:LIST_LENGTH])
    return {
        "jurisdictions": jurisdictions,
        "scorecard": card_for(commitments),
        "due_soon": due_soon[:LIST_LENGTH],
        "overdue": overdue[:LIST_LENGTH],
        "overdue_count": len(overdue),
        "latest": latest,
        "today": today,
        "horizon": horizon,
    }
