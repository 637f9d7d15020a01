"""Where many commitments stand at once: each one's progress, for lists, charts and scorecards.

A page that names a few commitments reads them as entries and sets their `current` progress
(`with_progress`); one that counts thousands reads plain values (`progress_of_all`) and turns
into entries only the few it names (`entries_of`). Both derive progress with the same pure
function, `policies.progress.derive_progress`, so a count and a page always agree.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from policies import selectors
from policies.models import Assessment, Commitment
from policies.progress import (
    LATEST_FIRST,
    Progress,
    Verdict,
    derive_progress,
    known_on,
    verdicts_known_on,
)
from policies.scorecard import Scorecard, scorecard
from tracker.core.dates import FuzzyDate, optional_period


def by_due(commitment: "Commitment | Counted") -> tuple[bool, dt.date, str]:
    """Sort key: the earliest due first, then by title; those without a due date last."""
    due = commitment.due
    return (due is None, due.end if due else dt.date.max, commitment.title)


def with_progress(
    commitments: Iterable[Commitment], *, verdicts: Mapping[int, Iterable[Verdict]], on: dt.date
) -> dict[int, Progress]:
    """Each commitment's Progress as of `on`, by id, from `verdicts`: its published ones by
    commitment id (`selectors.published_verdicts`). Each one's `current` is set to it too."""
    found = {}
    for commitment in commitments:
        current = commitment.progress(verdicts=verdicts[commitment.pk], today=on)
        # The templates read `current` on the entry (issue 16 leaves that protocol as it is);
        # Python callers read the returned values.
        commitment.current = current  # type: ignore[attr-defined]
        found[commitment.pk] = current
    return found


def card_of(commitments: Iterable[Commitment], progress: Mapping[int, Progress]) -> Scorecard:
    """The scorecard of `commitments`, whose progress by id `with_progress` returned."""
    return scorecard((progress[c.pk], c.due) for c in commitments)


def verdicts_of(assessments: Mapping[int, Iterable[Assessment]]) -> dict[int, list[Verdict]]:
    """The verdicts of `selectors.published_assessments`, by commitment id, for `with_progress`."""
    return {pk: [a.verdict for a in found] for pk, found in assessments.items()}


class Counted(NamedTuple):
    """One commitment's progress, without the commitment: what counts and rankings need."""

    id: int
    jurisdiction_id: int
    title: str
    due: FuzzyDate | None
    current: Progress


def progress_of_all(commitments: QuerySet[Commitment], *, on: dt.date) -> list[Counted]:
    """The progress as of `on` of every commitment of `commitments`, from plain values.

    Three queries whatever the number: the commitments' columns; each one's latest published
    verdict known on `on`; and its latest published assessment of any kind (a verdict or a
    check), which sets its evidence horizon. The database ranks both by
    `progress.LATEST_FIRST`, and `derive_progress` reads the two as it reads them all.
    The overview pages count 100,000 commitments; instances and their assessments would take
    seconds where these take a fraction of one.
    """
    verdicts = _latest_by_commitment(commitments, verdicts_known_on(on))
    horizons = _latest_by_commitment(commitments, known_on(on))
    result: list[Counted] = []
    rows = commitments.order_by().values_list(
        "id", "policy__jurisdiction_id", "title", "due_start", "due_end"
    )
    for pk, jurisdiction_id, title, due_start, due_end in rows.iterator(chunk_size=5000):
        due = optional_period(due_start, due_end)
        known = [found[pk] for found in (verdicts, horizons) if pk in found]
        current = derive_progress(due=due, verdicts=known, today=on)
        result.append(Counted(pk, jurisdiction_id, title, due, current))
    return result


def _latest_by_commitment(commitments: QuerySet[Commitment], which: Q) -> dict[int, Verdict]:
    """Each commitment's latest published assessment among `which`, as a verdict, by id."""
    latest = (
        Assessment.objects.published()
        .filter(which, commitment__in=commitments.values("id"))
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("commitment_id")], order_by=list(LATEST_FIRST))
        )
        .filter(rank=1)
        .order_by()
        .values_list(*selectors.VERDICT_COLUMNS)
    )
    return {commitment_id: selectors.verdict_of(*columns) for commitment_id, *columns in latest}


def entries_of(*lists: list[Counted]) -> list[list[Commitment]]:
    """The commitments behind each list (one query for all the lists), in their order, each
    with its `current` progress."""
    wanted = {c.id: c for counted in lists for c in counted}
    found = selectors.commitments_bare().select_related("policy__jurisdiction")
    by_id = {c.pk: c for c in found.filter(pk__in=list(wanted))} if wanted else {}
    for pk, entry in by_id.items():
        # The templates read `current` on the entry (issue 16 leaves that protocol as it is).
        entry.current = wanted[pk].current  # type: ignore[attr-defined]
    return [[by_id[c.id] for c in counted if c.id in by_id] for counted in lists]


def by_jurisdiction(counted: Iterable[Counted]) -> dict[int, list[Counted]]:
    """`counted` grouped by jurisdiction id, each group in the given order."""
    groups: defaultdict[int, list[Counted]] = defaultdict(list)
    for c in counted:
        groups[c.jurisdiction_id].append(c)
    return dict(groups)
