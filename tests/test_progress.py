"""Where a commitment stands, derived from its due date and its dated assessments."""

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from policies.progress import (
    OPEN,
    Status,
    Verdict,
    derive_progress,
    evidence_horizon,
    latest_verdict,
    verdict_key,
)
from tracker.core.dates import FuzzyDate

BY_1_JULY_2019 = FuzzyDate.day(2019, 7, 1)
BY_2024 = FuzzyDate.year(2024)


def test_a_strategy_signed_after_its_deadline_was_delivered_late_by_101_days():
    signed = Verdict(
        FuzzyDate.month(2020, 12), Status.DELIVERED, delivered=FuzzyDate.day(2019, 10, 10), id=1
    )
    progress = derive_progress(due=BY_1_JULY_2019, verdicts=[signed], today=dt.date(2026, 1, 1))
    assert progress.delivered_late
    assert not progress.overdue
    assert progress.slippage_days == 101
    assert progress.label == "Delivered late"


def test_a_delivery_on_time_is_not_late_and_has_no_positive_slippage():
    on_time = Verdict(
        FuzzyDate.year(2019), Status.DELIVERED, delivered=FuzzyDate.day(2019, 6, 20), id=1
    )
    progress = derive_progress(due=BY_1_JULY_2019, verdicts=[on_time], today=dt.date(2026, 1, 1))
    assert not progress.delivered_late
    assert progress.slippage_days == -11
    assert progress.label == "Delivered"


def test_a_fuzzy_delivery_overlapping_the_due_period_is_not_called_late():
    sometime_2024 = Verdict(
        FuzzyDate.year(2025), Status.DELIVERED, delivered=FuzzyDate.year(2024), id=1
    )
    assert not derive_progress(
        due=BY_2024, verdicts=[sometime_2024], today=dt.date(2026, 1, 1)
    ).delivered_late


def test_a_commitment_due_by_2024_is_not_overdue_on_the_last_day_of_2024():
    progress = derive_progress(due=BY_2024, verdicts=[], today=dt.date(2024, 12, 31))
    assert not progress.overdue
    assert progress.status == Status.NO_EVIDENCE
    assert progress.label == "No evidence yet"


def test_a_commitment_checked_in_progress_after_its_due_date_is_overdue_by_the_days_to_the_check():
    checked = Verdict(FuzzyDate.day(2025, 1, 31), Status.IN_PROGRESS, id=1)
    progress = derive_progress(due=BY_2024, verdicts=[checked], today=dt.date(2026, 12, 1))
    assert progress.overdue
    assert not progress.unchecked
    assert progress.horizon == FuzzyDate.day(2025, 1, 31)
    # Late by 31 days when checked; the 669 days since are nobody's knowledge.
    assert progress.slippage_days == 31
    assert progress.label == "Overdue"


def test_a_commitment_last_checked_before_its_due_date_is_not_checked_since_never_overdue():
    in_progress = Verdict(FuzzyDate.month(2023, 5), Status.IN_PROGRESS, id=1)
    progress = derive_progress(due=BY_2024, verdicts=[in_progress], today=dt.date(2026, 12, 1))
    assert not progress.overdue
    assert progress.unchecked
    assert progress.slippage_days is None
    assert progress.label == "Not checked since May 2023"


def test_a_commitment_never_checked_whose_due_date_passed_is_not_checked():
    progress = derive_progress(due=BY_2024, verdicts=[], today=dt.date(2026, 12, 1))
    assert (progress.overdue, progress.unchecked, progress.horizon) == (False, True, None)
    assert progress.label == "Not checked"


def test_a_check_moves_the_horizon_and_keeps_the_verdict():
    verdict = Verdict(FuzzyDate.month(2023, 5), Status.STALLED, id=1)
    check = Verdict(FuzzyDate.day(2025, 3, 1), None, id=2)
    progress = derive_progress(due=BY_2024, verdicts=[check, verdict], today=dt.date(2026, 12, 1))
    assert progress.status is Status.STALLED
    assert progress.latest == verdict
    assert progress.horizon == FuzzyDate.day(2025, 3, 1)
    assert progress.overdue
    assert progress.slippage_days == 60


def test_a_check_alone_gives_no_verdict():
    check = Verdict(FuzzyDate.year(2025), None, id=1)
    progress = derive_progress(due=BY_2024, verdicts=[check], today=dt.date(2026, 12, 1))
    assert progress.status is Status.NO_EVIDENCE
    assert progress.latest is None
    assert progress.overdue


def test_evidence_of_the_due_month_itself_does_not_make_a_commitment_overdue():
    # "As of December 2024" may be 1 December: "by 2024" had not passed yet.
    checked = Verdict(FuzzyDate.month(2024, 12), Status.IN_PROGRESS, id=1)
    progress = derive_progress(due=BY_2024, verdicts=[checked], today=dt.date(2026, 1, 1))
    assert progress.unchecked and not progress.overdue


def test_a_missed_or_abandoned_commitment_is_closed_not_overdue():
    for status in (Status.MISSED, Status.ABANDONED):
        progress = derive_progress(
            due=BY_2024,
            verdicts=[Verdict(FuzzyDate.year(2025), status, id=1)],
            today=dt.date(2026, 1, 1),
        )
        assert not progress.overdue
        assert progress.label == status.label


def test_a_commitment_without_a_due_date_is_never_overdue():
    assert not derive_progress(due=None, verdicts=[], today=dt.date(2100, 1, 1)).overdue


def test_the_latest_assessment_sets_the_status():
    verdicts = [
        Verdict(FuzzyDate.month(2021, 3), Status.STALLED, id=1),
        Verdict(FuzzyDate.month(2019, 5), Status.IN_PROGRESS, id=2),
        Verdict(FuzzyDate.month(2020, 12), Status.NOT_STARTED, id=3),
    ]
    assert (
        derive_progress(due=BY_2024, verdicts=verdicts, today=dt.date(2022, 1, 1)).status
        == Status.STALLED
    )


def test_as_of_a_day_only_assessments_dated_by_then_count():
    verdicts = [
        Verdict(FuzzyDate.month(2019, 5), Status.IN_PROGRESS, id=1),
        Verdict(
            FuzzyDate.month(2020, 12), Status.DELIVERED, delivered=FuzzyDate.day(2019, 10, 10), id=2
        ),
    ]
    then = derive_progress(due=BY_1_JULY_2019, verdicts=verdicts, today=dt.date(2019, 8, 1))
    assert then.status == Status.IN_PROGRESS
    # Checked in May 2019, before the deadline: as of August, nobody had looked since.
    assert then.unchecked and not then.overdue
    assert then.horizon == FuzzyDate.month(2019, 5)
    before_anything = derive_progress(
        due=BY_1_JULY_2019, verdicts=verdicts, today=dt.date(2019, 4, 30)
    )
    assert before_anything.latest is None
    assert before_anything.status == Status.NO_EVIDENCE


def test_of_two_verdicts_on_the_same_period_the_one_recorded_later_counts_in_any_order():
    year = FuzzyDate.year(2024)
    first = Verdict(year, Status.STALLED, id=7)
    second = Verdict(year, Status.MISSED, id=8)
    assert latest_verdict([first, second], on=dt.date(2026, 1, 1)) is second
    assert latest_verdict([second, first], on=dt.date(2026, 1, 1)) is second


def test_of_a_year_and_its_first_month_the_year_is_the_later_verdict():
    year = Verdict(FuzzyDate.year(2024), Status.STALLED, id=2)
    january = Verdict(FuzzyDate.month(2024, 1), Status.MISSED, id=9)
    for verdicts in itertools.permutations([year, january]):
        assert latest_verdict(verdicts, on=dt.date(2026, 1, 1)) is year


PERIODS = st.sampled_from(
    [
        FuzzyDate.year(2023),
        FuzzyDate.year(2024),
        FuzzyDate.month(2024, 1),
        FuzzyDate.day(2030, 1, 1),
    ]
)


@given(
    recorded=st.lists(st.tuples(PERIODS, st.sampled_from(Status)), max_size=6),
    order=st.randoms(use_true_random=False),
    on=st.dates(dt.date(2022, 1, 1), dt.date(2031, 1, 1)),
)
def test_it_reads_the_same_latest_verdict_whatever_order_the_verdicts_come_in(recorded, order, on):
    # Ids as the database gives them: distinct, in the order the verdicts were recorded.
    verdicts = [Verdict(as_of, status, id=n) for n, (as_of, status) in enumerate(recorded, 1)]
    shuffled = list(verdicts)
    order.shuffle(shuffled)
    known = [v for v in verdicts if v.as_of.start <= on]
    expected = sorted(known, key=verdict_key)[-1] if known else None
    assert latest_verdict(shuffled, on=on) == expected
    assert derive_progress(due=None, verdicts=shuffled, today=on).latest == expected


DUES = st.one_of(
    st.none(),
    st.sampled_from(
        [FuzzyDate.year(2019), FuzzyDate.year(2024), FuzzyDate.month(2024, 6), BY_1_JULY_2019]
    ),
)


@given(
    due=DUES,
    recorded=st.lists(
        st.tuples(PERIODS, st.one_of(st.none(), st.sampled_from(Status))), max_size=6
    ),
    on=st.dates(dt.date(2018, 1, 1), dt.date(2031, 1, 1)),
)
def test_it_never_calls_a_commitment_overdue_beyond_its_evidence_horizon(due, recorded, on):
    verdicts = [Verdict(as_of, status, id=n) for n, (as_of, status) in enumerate(recorded, 1)]
    progress = derive_progress(due=due, verdicts=verdicts, today=on)
    horizon = evidence_horizon(verdicts, on=on)
    assert progress.horizon == horizon
    # Overdue only if someone checked after the due date had ended, and found it still open.
    if progress.overdue:
        assert due is not None and horizon is not None
        assert horizon.start > due.end
        assert progress.status in OPEN
        assert progress.slippage_days == (horizon.start - due.end).days
    # Every open commitment past its due date is exactly one of the two, never both.
    lapsed = due is not None and progress.status in OPEN and due.has_passed(on)
    assert (progress.overdue or progress.unchecked) == lapsed
    assert not (progress.overdue and progress.unchecked)
    # Checks never change the status: without them, the same verdict decides it.
    verdicts_only = [v for v in verdicts if v.status is not None]
    assert progress.latest == latest_verdict(verdicts_only, on=on)
