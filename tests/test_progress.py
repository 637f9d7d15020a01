"""Where a commitment stands, derived from its due date and its dated assessments."""

import datetime as dt

from policies.progress import Status, Verdict, derive_progress
from tracker.dates import FuzzyDate

BY_1_JULY_2019 = FuzzyDate.day(2019, 7, 1)
BY_2024 = FuzzyDate.year(2024)


def test_a_strategy_signed_after_its_deadline_was_delivered_late_by_101_days():
    signed = Verdict(
        FuzzyDate.month(2020, 12), Status.DELIVERED, delivered=FuzzyDate.day(2019, 10, 10)
    )
    progress = derive_progress(due=BY_1_JULY_2019, verdicts=[signed], today=dt.date(2026, 1, 1))
    assert progress.delivered_late
    assert not progress.overdue
    assert progress.slippage_days == 101
    assert progress.label == "Delivered late"


def test_a_delivery_on_time_is_not_late_and_has_no_positive_slippage():
    on_time = Verdict(FuzzyDate.year(2019), Status.DELIVERED, delivered=FuzzyDate.day(2019, 6, 20))
    progress = derive_progress(due=BY_1_JULY_2019, verdicts=[on_time], today=dt.date(2026, 1, 1))
    assert not progress.delivered_late
    assert progress.slippage_days == -11
    assert progress.label == "Delivered"


def test_a_fuzzy_delivery_overlapping_the_due_period_is_not_called_late():
    sometime_2024 = Verdict(FuzzyDate.year(2025), Status.DELIVERED, delivered=FuzzyDate.year(2024))
    assert not derive_progress(
        due=BY_2024, verdicts=[sometime_2024], today=dt.date(2026, 1, 1)
    ).delivered_late


def test_a_commitment_due_by_2024_is_not_overdue_on_the_last_day_of_2024():
    progress = derive_progress(due=BY_2024, verdicts=[], today=dt.date(2024, 12, 31))
    assert not progress.overdue
    assert progress.status == Status.NO_EVIDENCE
    assert progress.label == "No evidence yet"


def test_a_commitment_due_by_2024_with_nothing_delivered_is_overdue_from_2025():
    in_progress = Verdict(FuzzyDate.year(2023), Status.IN_PROGRESS)
    progress = derive_progress(due=BY_2024, verdicts=[in_progress], today=dt.date(2025, 1, 31))
    assert progress.overdue
    assert progress.slippage_days == 31
    assert progress.label == "Overdue"


def test_a_missed_or_abandoned_commitment_is_closed_not_overdue():
    for status in (Status.MISSED, Status.ABANDONED):
        progress = derive_progress(
            due=BY_2024, verdicts=[Verdict(FuzzyDate.year(2025), status)], today=dt.date(2026, 1, 1)
        )
        assert not progress.overdue
        assert progress.label == status.label


def test_a_commitment_without_a_due_date_is_never_overdue():
    assert not derive_progress(due=None, verdicts=[], today=dt.date(2100, 1, 1)).overdue


def test_the_latest_assessment_sets_the_status():
    verdicts = [
        Verdict(FuzzyDate.month(2021, 3), Status.STALLED),
        Verdict(FuzzyDate.month(2019, 5), Status.IN_PROGRESS),
        Verdict(FuzzyDate.month(2020, 12), Status.NOT_STARTED),
    ]
    assert (
        derive_progress(due=BY_2024, verdicts=verdicts, today=dt.date(2022, 1, 1)).status
        == Status.STALLED
    )


def test_as_of_a_day_only_assessments_dated_by_then_count():
    verdicts = [
        Verdict(FuzzyDate.month(2019, 5), Status.IN_PROGRESS),
        Verdict(FuzzyDate.month(2020, 12), Status.DELIVERED, delivered=FuzzyDate.day(2019, 10, 10)),
    ]
    then = derive_progress(due=BY_1_JULY_2019, verdicts=verdicts, today=dt.date(2019, 8, 1))
    assert then.status == Status.IN_PROGRESS
    assert then.overdue
    assert then.slippage_days == 31
    before_anything = derive_progress(
        due=BY_1_JULY_2019, verdicts=verdicts, today=dt.date(2019, 4, 30)
    )
    assert before_anything.latest is None
    assert before_anything.status == Status.NO_EVIDENCE
