"""The stored standings (`policies.readmodel`) count what deriving every commitment afresh
counts, on any day, and a rebuild reproduces what the write path stored."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policies import readmodel, selectors, standings
from policies.models import Assessment, CommitmentStanding
from policies.progress import Status, Verdict, derive_progress
from policies.scorecard import Standing, card_for, standing_of
from tests import factories as make
from tests.test_overview import commitments_in_every_standing
from tracker.core import workflow
from tracker.core.dates import FuzzyDate
from tracker.core.editorial import State
from tracker.site import home

pytestmark = pytest.mark.django_db

DAYS = [
    dt.date(2019, 1, 1),  # before everything was derived: every row is stale
    dt.date(2026, 11, 22),
    dt.date(2027, 6, 1),  # an assessment dated 2027 becomes known
    dt.date(2031, 1, 1),  # "by 2030" has passed
    dt.date(2032, 3, 1),  # "by 2031" too
]

days = st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31))
periods = st.one_of(
    days.map(lambda d: FuzzyDate.parse(d.isoformat())),
    days.map(lambda d: FuzzyDate.parse(f"{d.year}-{d.month:02}")),
    days.map(lambda d: FuzzyDate.parse(f"{d.year}-Q{(d.month + 2) // 3}")),
    days.map(lambda d: FuzzyDate.parse(str(d.year))),
)
verdicts = st.lists(
    st.tuples(periods, st.sampled_from([*Status, None]), st.none() | periods), max_size=4
).map(lambda found: [Verdict(a, s, d, id=i) for i, (a, s, d) in enumerate(found, start=1)])


@given(due=st.none() | periods, found=verdicts, today=days, later=st.integers(1, 4000))
def test_a_stored_standing_holds_every_day_until_its_until(due, found, today, later):
    """Nothing `derive_progress` answers changes between the day it is derived and `until`."""
    ends = readmodel.until(due, found, today=today)
    day = today + dt.timedelta(days=later)
    if ends is not None and day >= ends:
        return
    assert derive_progress(due=due, verdicts=found, today=day) == derive_progress(
        due=due, verdicts=found, today=today
    )


def afresh(on):
    return standings.progress_of_all(selectors.commitments_bare(), on=on)


@pytest.fixture
def world(frozen_clock):
    frozen_clock(dt.date(2026, 11, 22))
    russia = make.jurisdiction(code="RU")
    commitments_in_every_standing(russia)
    france = make.jurisdiction(code="FR")
    strategy = make.published_policy(jurisdiction=france)
    make.published_commitment(policy=strategy, due="2026-12")
    hidden = make.policy(jurisdiction=france, state=State.DRAFT)
    make.published_commitment(policy=hidden, due="2020")  # of a draft policy: not public
    return russia, france


@pytest.mark.parametrize("day", DAYS)
def test_the_stored_scorecards_count_what_deriving_afresh_counts(world, frozen_clock, day):
    russia, france = world
    frozen_clock(day)
    everything = afresh(day)
    rows = CommitmentStanding.objects.all()
    assert readmodel.scorecard_of(rows, today=day) == card_for(everything)
    cards = readmodel.scorecards(rows, today=day, by="jurisdiction_id")
    for country in (russia, france):
        mine = [c for c in everything if c.jurisdiction_id == country.pk]
        assert cards[country.pk] == card_for(mine)
    assert rows.count() == len(everything) == 8


@pytest.mark.parametrize("day", DAYS)
def test_the_home_page_lists_what_deriving_afresh_lists(world, frozen_clock, day):
    frozen_clock(day)
    everything = sorted(afresh(day), key=standings.by_due)
    stored = home.home_context(today=day)
    soon = home.due_soon(everything, today=day, horizon=day + dt.timedelta(days=365))
    overdue = home.overdue_worst_first(everything)
    unchecked = home.unchecked_stalest_first(everything)
    for name, expected in [("due_soon", soon), ("overdue", overdue), ("unchecked", unchecked)]:
        shown = stored[name]
        assert [c.pk for c in shown] == [c.id for c in expected[: home.LIST_LENGTH]], name
    assert stored["overdue_count"] == len(overdue)
    assert stored["unchecked_count"] == len(unchecked)


def test_each_save_keeps_the_rows_as_a_rebuild_writes_them(world, editor, contributor):
    russia, _ = world
    pledge = make.published_commitment(
        policy=make.published_policy(jurisdiction=russia), due="2030"
    )
    verdict = make.assessment(
        commitment=pledge, as_of="2026-01", status="in_progress", created_by=contributor
    )
    make.cite(verdict)
    workflow.entry_publish(workflow.entry_submit(verdict, by=contributor), by=editor)
    assert CommitmentStanding.objects.get(pk=pledge.pk).standing == Standing.IN_PROGRESS
    stored = readmodel.snapshot()
    readmodel.rebuild_standings(today=dt.date(2026, 11, 22))
    assert readmodel.snapshot() == stored


def test_withdrawing_a_verdict_or_its_policy_rewrites_the_rows(world, editor):
    russia, _ = world
    strategy = make.published_policy(jurisdiction=russia)
    pledge = make.published_commitment(policy=strategy, due="2030")
    verdict = make.published_assessment(commitment=pledge, as_of="2026-01", status="stalled")
    make.cite(verdict)
    assert CommitmentStanding.objects.get(pk=pledge.pk).status == Status.STALLED
    workflow.entry_unpublish(Assessment.objects.get(pk=verdict.pk), by=editor, reason="Misread")
    assert CommitmentStanding.objects.get(pk=pledge.pk).status == Status.NO_EVIDENCE
    make.cite(strategy)
    workflow.entry_unpublish(strategy, by=editor, reason="Not a strategy")
    assert not CommitmentStanding.objects.filter(pk=pledge.pk).exists()


def test_a_deleted_assessment_leaves_its_commitment_s_row_in_step(world):
    russia, _ = world
    pledge = make.published_commitment(policy=make.published_policy(jurisdiction=russia))
    verdict = make.published_assessment(commitment=pledge, as_of="2026-01", status="stalled")
    verdict.delete()
    assert CommitmentStanding.objects.get(pk=pledge.pk).status == Status.NO_EVIDENCE


def test_a_row_past_its_day_is_derived_afresh_not_trusted(world, frozen_clock):
    russia, _ = world
    pledge = make.published_commitment(
        policy=make.published_policy(jurisdiction=russia), due="2026-12-31"
    )
    row = CommitmentStanding.objects.get(pk=pledge.pk)
    assert row.standing == Standing.NOT_YET_DUE and row.until == dt.date(2027, 1, 1)
    day = frozen_clock(dt.date(2027, 1, 1))
    card = readmodel.scorecard_of(CommitmentStanding.objects.filter(pk=pledge.pk), today=day)
    (counted,) = standings.progress_of_all(
        selectors.commitments_bare().filter(pk=pledge.pk), on=day
    )
    assert card.count(Standing.NOT_CHECKED) == 1
    assert standing_of(counted.current, due=counted.due) == Standing.NOT_CHECKED


def test_a_tie_at_the_end_of_a_list_is_broken_as_deriving_afresh_breaks_it(
    frozen_clock, monkeypatch
):
    """Two commitments last checked from the same day (one for the year, one for its first
    month): the stalest-first list orders them by due date, then title, as Python does."""
    day = frozen_clock(dt.date(2026, 11, 22))
    monkeypatch.setattr(home, "LIST_LENGTH", 1)
    strategy = make.published_policy()
    for title, checked in [("Aardvark", "2021"), ("Zebra", "2021-01")]:
        pledge = make.published_commitment(policy=strategy, due="2022", title=title)
        make.published_assessment(commitment=pledge, as_of=checked, status="in_progress")
    (shown,) = home.home_context(today=day)["unchecked"]
    assert shown.title == "Aardvark"
