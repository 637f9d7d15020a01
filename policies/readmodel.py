"""The public read model of where commitments stand: written when it changes, read by counting.

The overview pages count and rank every public commitment (100,000 and more). Deriving each
one's progress on every uncached request took seconds; here it is derived once, when a save
changes it, by the same pure functions as everywhere (`progress.derive_progress`,
`scorecard.standing_of`), and stored in `CommitmentStanding`, one row per public commitment.
Pages then count it with one grouped query.

Today moves without a save. A row stores `until`, the first day on which its standing may no
longer hold (its due date passes, an assessment dated ahead becomes known); on and after that
day it is *stale*, and readers derive the few stale rows afresh from the assessments
(`standings.progress_of_all`) instead of trusting them. `manage.py rebuild_read_model` (daily,
say) rewrites every row, so that stale rows stay few.
"""

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import Collate, Substr

from policies import selectors
from policies.models import Assessment, Commitment, CommitmentStanding, Jurisdiction, Policy
from policies.progress import Verdict, derive_progress
from policies.scorecard import Scorecard, Standing, standing_of, tally
from policies.standings import Counted, progress_of_all
from tracker.core import clock
from tracker.core.dates import FuzzyDate, optional_period, period
from tracker.core.editorial import Curated

CHUNK = 5000
COMMITMENT_COLUMNS = ("id", "policy_id", "policy__jurisdiction_id", "title", "due_start", "due_end")


# -- writing ------------------------------------------------------------------------------


def until(due: FuzzyDate | None, verdicts: Iterable[Verdict], *, today: dt.date) -> dt.date | None:
    """The first day after `today` on which `derive_progress` may answer differently: the day
    the due date passes, or the day an assessment dated ahead becomes known. None: never."""
    ahead = [v.as_of.start for v in verdicts if v.as_of.start > today]
    if due is not None and not due.has_passed(today):
        ahead.append(due.end + dt.timedelta(days=1))
    return min(ahead, default=None)


def standing_row(
    columns: Sequence, verdicts: list[Verdict], *, today: dt.date
) -> CommitmentStanding:
    """The stored standing of one commitment (its `COMMITMENT_COLUMNS`) as of `today`."""
    pk, policy_id, jurisdiction_id, title, due_start, due_end = columns
    due = optional_period(due_start, due_end)
    progress = derive_progress(due=due, verdicts=verdicts, today=today)
    horizon = progress.horizon
    return CommitmentStanding(
        commitment_id=pk,
        policy_id=policy_id,
        jurisdiction_id=jurisdiction_id,
        title=title,
        due_start=due_start,
        due_end=due_end,
        standing=standing_of(progress, due=due),
        status=progress.status,
        slippage_days=progress.slippage_days,
        horizon=f"{horizon.start.isoformat()}/{horizon.end.isoformat()}" if horizon else None,
        since=today,
        until=until(due, verdicts, today=today),
    )


def refresh_standings(commitments: QuerySet[Commitment], *, today: dt.date) -> int:
    """Rewrite the stored standing of `commitments` (a queryset of any commitments): a row for
    each public one, none for the others; in the caller's transaction. Returns rows written."""
    ids = list(commitments.order_by().values_list("pk", flat=True))
    written = 0
    for chunk in itertools.batched(ids, CHUNK, strict=False):
        CommitmentStanding.objects.filter(commitment_id__in=chunk).delete()
        rows = selectors.commitments_bare().filter(pk__in=chunk).values_list(*COMMITMENT_COLUMNS)
        found = list(rows)
        verdicts = selectors.published_verdicts(columns[0] for columns in found)
        CommitmentStanding.objects.bulk_create(
            standing_row(columns, verdicts[columns[0]], today=today) for columns in found
        )
        written += len(found)
    return written


def rebuild_standings(*, today: dt.date) -> int:
    """Every public commitment's stored standing, from scratch. Returns rows written."""
    CommitmentStanding.objects.all().delete()
    return refresh_standings(Commitment.objects.all(), today=today)


def affected_by(entry: Curated) -> QuerySet[Commitment] | None:
    """The commitments whose stored standing a save of `entry` may change, or None."""
    if isinstance(entry, Commitment):
        return Commitment.objects.filter(pk=entry.pk)
    if isinstance(entry, Assessment):
        return Commitment.objects.filter(pk=entry.commitment_id)
    if isinstance(entry, Policy):
        return Commitment.objects.filter(policy=entry.pk)
    if isinstance(entry, Jurisdiction):
        return Commitment.objects.filter(policy__jurisdiction=entry.pk)
    return None


def snapshot() -> list[tuple]:
    """Every stored row as values, in order, but the day each was derived: what a rebuild must
    reproduce."""
    names = [f.attname for f in CommitmentStanding._meta.concrete_fields if f.name != "since"]
    return list(CommitmentStanding.objects.order_by("pk").values_list(*names))


# -- reading ------------------------------------------------------------------------------


def holds(since: dt.date, until: dt.date | None, *, today: dt.date) -> bool:
    """Whether a row stored on `since` that holds until `until` holds on `today`."""
    return since <= today and (until is None or until > today)


def fresh(today: dt.date) -> Q:
    """The rows whose stored standing holds on `today` (`holds`, as a filter): derived on or
    before it, and still holding."""
    return Q(since__lte=today) & (Q(until__isnull=True) | Q(until__gt=today))


def past_their_day(today: dt.date) -> Q:
    """The other rows: `~fresh(today)`, spelled so that the database can read it from the
    indexes on `until` and `since`."""
    return Q(until__lte=today) | Q(since__gt=today)


def stale(rows: QuerySet[CommitmentStanding], *, today: dt.date) -> list[Counted]:
    """The rows of `rows` whose day has come, derived afresh from their assessments: one query
    when there are none, four when there are."""
    ids = list(rows.filter(past_their_day(today)).values_list("commitment_id", flat=True))
    return progress_of_all(Commitment.objects.filter(pk__in=ids), on=today) if ids else []


def _horizon(text: str | None) -> FuzzyDate | None:
    if text is None:
        return None
    start, end = text.split("/")
    return period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def scorecards(
    rows: QuerySet[CommitmentStanding], *, today: dt.date, by: str | None = None
) -> dict[object, Scorecard]:
    """The scorecard of `rows` (a filter of the stored standings), one by value of column `by`
    (e.g. "jurisdiction_id"), or one under the key None: a grouped query, and `stale`'s."""
    counts: defaultdict[object, Counter[Standing]] = defaultdict(Counter)
    checks: defaultdict[object, list[FuzzyDate]] = defaultdict(list)
    never: Counter[object] = Counter()
    grouped = (
        rows.filter(fresh(today))
        .order_by()
        .values_list(*([by] if by else []), "standing")
        .annotate(n=Count("pk"), checked=Count("horizon"), low=Min("horizon"), high=Max("horizon"))
    )
    for *group, standing, n, checked, low, high in grouped:
        key = group[0] if by else None
        counts[key][Standing(standing)] += n
        never[key] += n - checked
        checks[key] += [d for d in (_horizon(low), _horizon(high)) if d is not None]
    for c in stale(rows, today=today):
        key = getattr(c, by) if by else None
        counts[key][standing_of(c.current, due=c.due)] += 1
        if c.current.horizon is None:
            never[key] += 1
        else:
            checks[key].append(c.current.horizon)
    return {
        key: tally(
            found,
            oldest=min(checks[key], default=None),
            newest=max(checks[key], default=None),
            never_checked=never[key],
        )
        for key, found in counts.items()
    }


def scorecard_of(rows: QuerySet[CommitmentStanding], *, today: dt.date) -> Scorecard:
    return scorecards(rows, today=today).get(None) or tally(Counter())


def _by_title() -> F | Collate:
    """Titles in code-point order, as Python sorts them (the database's collation may not)."""
    return Collate("title", "C") if connection.vendor == "postgresql" else F("title")


def candidates(rows: QuerySet[CommitmentStanding], *, today: dt.date, limit: int) -> list[int]:
    """The ids that may rank among the first `limit` of the home page's lists: the fresh rows
    first in each list's order, and every stale row (derived afresh by the caller). Four
    queries."""
    fresh_rows = rows.filter(fresh(today))
    lists = [
        # Due soon: open, due from today on, the earliest due first.
        fresh_rows.filter(
            standing__in=[Standing.IN_PROGRESS, Standing.STALLED, Standing.NOT_YET_DUE]
        )
        .filter(due_end__gte=today)
        .order_by("due_end", _by_title()),
        # Overdue, the longest overdue first.
        fresh_rows.filter(standing=Standing.OVERDUE).order_by(
            F("slippage_days").desc(nulls_last=True), "due_end", _by_title()
        ),
        # Past due and not checked since, the stalest first: by the day the last check
        # began (the horizon's first ten characters), never checked before any.
        fresh_rows.filter(standing=Standing.NOT_CHECKED).order_by(
            Substr("horizon", 1, 10).asc(nulls_first=True), "due_end", _by_title()
        ),
    ]
    found = {
        pk for ranked in lists for pk in ranked.values_list("commitment_id", flat=True)[:limit]
    }
    found.update(rows.filter(past_their_day(today)).values_list("commitment_id", flat=True))
    return sorted(found)


def with_standing(
    queryset: QuerySet[Commitment], standing: Standing, *, today: dt.date
) -> QuerySet[Commitment]:
    """The commitments of `queryset` that stand at `standing` on `today`: those whose fresh
    stored row says so, and among the others (stale rows, and entries the public does not
    see, which have none) those that derive it afresh."""
    rows = CommitmentStanding.objects.filter(commitment__in=queryset.values("pk"))
    stale = rows.filter(past_their_day(today)).values("commitment_id")
    derived = progress_of_all(queryset.filter(Q(is_public=False) | Q(pk__in=stale)), on=today)
    ids = [c.id for c in derived if standing_of(c.current, due=c.due) is standing]
    stored = rows.filter(fresh(today), standing=standing).values("commitment_id")
    return queryset.filter(Q(pk__in=stored) | Q(pk__in=ids))


def keep_in_step(sender: type[Curated], entry: Curated, **kwargs: object) -> None:
    """`editorial.public_entry_saved`'s receiver: the standings a save changed, rewritten."""
    commitments = affected_by(entry)
    if commitments is not None:
        refresh_standings(commitments, today=clock.today())


def assessment_deleted(sender: type[Assessment], instance: Assessment, **kwargs: object) -> None:
    """`post_delete`'s receiver for assessments: their commitment's standing, rewritten."""
    refresh_standings(Commitment.objects.filter(pk=instance.commitment_id), today=clock.today())


def nearest_due_candidates(
    rows: QuerySet[CommitmentStanding], *, today: dt.date, limit: int
) -> list[int]:
    """The ids among which the `limit` commitments due nearest to `today` are: the nearest
    due on or after today, the nearest before it, and the first without a due date."""
    sides = [
        rows.filter(due_end__gte=today).order_by("due_end", "pk"),
        rows.filter(due_end__lt=today).order_by("-due_end", "pk"),
        rows.filter(due_end__isnull=True).order_by("pk"),
    ]
    return sorted(
        {pk for side in sides for pk in side.values_list("commitment_id", flat=True)[:limit]}
    )
