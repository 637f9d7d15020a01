"""The home page's overview: jurisdictions with scorecards, what is new, what is due."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from policies import selectors
from policies.models import Assessment
from policies.progress import LATEST_FIRST, Progress, Verdict, derive_progress, known_on
from policies.scorecard import scorecard
from tracker.core.dates import FuzzyDate, optional_period

DUE_SOON_DAYS = 365
LIST_LENGTH = 8


def by_due(commitment):
    due = commitment.due
    return (due is None, due.end if due else dt.date.max, commitment.title)


def with_progress(commitments, *, verdicts: Mapping[int, Iterable[Verdict]], on: dt.date):
    """Set `current` (the Progress as of `on`) on each commitment, from `verdicts`: its
    published ones by commitment id (`selectors.published_verdicts`)."""
    for commitment in commitments:
        commitment.current = commitment.progress(verdicts=verdicts[commitment.pk], today=on)
    return commitments


def verdicts_of(assessments: Mapping[int, Iterable]) -> dict[int, list[Verdict]]:
    """The verdicts of `selectors.published_assessments`, by commitment id, for `with_progress`."""
    return {pk: [a.verdict for a in found] for pk, found in assessments.items()}


def card_for(commitments):
    return scorecard((c.current, c.due) for c in commitments)


class Counted(NamedTuple):
    """One commitment's progress, without the commitment: what counts and rankings need."""

    id: int
    jurisdiction_id: int
    title: str
    due: FuzzyDate | None
    current: Progress


def progress_of_all(commitments: QuerySet, *, on: dt.date) -> list[Counted]:
    """The progress as of `on` of every commitment of `commitments`, from plain values.

    Two queries whatever the number: the commitments' columns, and each one's latest published
    verdict known on `on` (ranked by the database by `progress.LATEST_FIRST`).
    The overview pages count 100,000 commitments; instances and their assessments would take
    seconds where these take a fraction of one.
    """
    latest = (
        Assessment.objects.published()
        .filter(known_on(on), commitment__in=commitments.values("id"))
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("commitment_id")], order_by=list(LATEST_FIRST))
        )
        .filter(rank=1)
        .order_by()
        .values_list(*selectors.VERDICT_COLUMNS)
    )
    verdicts = {commitment_id: selectors.verdict_of(*columns) for commitment_id, *columns in latest}
    result = []
    rows = commitments.order_by().values_list(
        "id", "policy__jurisdiction_id", "title", "due_start", "due_end"
    )
    for pk, jurisdiction_id, title, due_start, due_end in rows.iterator(chunk_size=5000):
        due = optional_period(due_start, due_end)
        verdict = verdicts.get(pk)
        current = derive_progress(due=due, verdicts=[verdict] if verdict else [], today=on)
        result.append(Counted(pk, jurisdiction_id, title, due, current))
    return result


def entries_of(*lists: list[Counted]) -> list[list]:
    """The commitments behind each list (one query for all the lists), in their order, each
    with its `current` progress."""
    wanted = {c.id: c for counted in lists for c in counted}
    found = selectors.commitments_bare().select_related("policy__jurisdiction")
    by_id = {c.pk: c for c in found.filter(pk__in=list(wanted))} if wanted else {}
    for pk, entry in by_id.items():
        entry.current = wanted[pk].current
    return [[by_id[c.id] for c in counted if c.id in by_id] for counted in lists]


def home_context(*, today: dt.date) -> dict:
    everything = sorted(progress_of_all(selectors.commitments_bare(), on=today), key=by_due)
    by_jurisdiction = defaultdict(list)
    for s in everything:
        by_jurisdiction[s.jurisdiction_id].append(s)
    jurisdictions = [j for j in selectors.jurisdictions() if by_jurisdiction[j.pk]]
    for j in jurisdictions:
        j.scorecard = card_for(by_jurisdiction[j.pk])
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    due_soon = [
        s for s in everything if s.current.is_open and s.due and today <= s.due.end <= horizon
    ]
    overdue = sorted(
        (s for s in everything if s.current.overdue),
        key=lambda s: -(s.current.slippage_days or 0),
    )
    latest = list(selectors.events().order_by("-published_at", "-occurred_start")[:LIST_LENGTH])
    due_soon, overdue_shown = entries_of(due_soon[:LIST_LENGTH], overdue[:LIST_LENGTH])
    return {
        "jurisdictions": jurisdictions,
        "scorecard": card_for(everything),
        "due_soon": due_soon,
        "overdue": overdue_shown,
        "overdue_count": len(overdue),
        "latest": latest,
        "today": today,
        "horizon": horizon,
    }
