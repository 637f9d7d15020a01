"""The steps `build_timeline` is made of, each a pure function over plain values."""

import datetime as dt

from policies import timeline
from policies.progress import Status, Verdict
from policies.scorecard import Standing
from tests.test_timeline import TODAY, delivered, in_progress, line
from tracker.core.dates import FuzzyDate

SCALE = timeline.Scale(dt.date(2019, 1, 1), dt.date(2026, 12, 31))


def test_a_scale_runs_from_the_left_margin_to_the_right_one():
    assert SCALE.x(SCALE.start) == timeline.MARGIN
    assert SCALE.x(SCALE.end + dt.timedelta(days=1)) == timeline.WIDTH - timeline.MARGIN


def test_a_scale_draws_one_day_at_least_min_span_wide_and_nothing_for_a_reversed_span():
    day = dt.date(2024, 7, 1)
    assert SCALE.between(day, day, "a day").width == timeline.MIN_SPAN
    assert SCALE.between(day, day - dt.timedelta(days=1), "reversed") is None
    assert SCALE.span(FuzzyDate.parse("2024"), "Due").label == "Due: 2024"


def test_the_scale_holds_today_and_every_date_in_whole_years():
    scale = timeline.scale_for([line("a", due="2030")], [], dt.date(2024, 3, 3))
    assert (scale.start, scale.end) == (dt.date(2024, 1, 1), dt.date(2030, 12, 31))


def test_ticks_label_at_most_fourteen_years():
    assert timeline.tick_step(14) == 1
    assert timeline.tick_step(15) == 2
    assert timeline.tick_step(100) == 10
    assert timeline.tick_step(2000) == 100
    scale = timeline.Scale(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
    assert [t.label for t in timeline.ticks_for(scale)][:2] == ["1990", "1995"]


def test_a_missed_commitment_s_marker_sits_just_after_its_due_date():
    abandoned = Verdict(FuzzyDate.parse("2021"), Status.ABANDONED, id=1)
    missed = line("missed", due="2020", verdicts=[abandoned])
    x = timeline.marker_x(missed, Standing.MISSED, SCALE, today=TODAY)
    assert x == SCALE.x(dt.date(2021, 1, 1))


def test_a_commitment_without_any_date_has_no_marker_nor_plan():
    undated = line("undated")
    assert timeline.marker_x(undated, Standing.NO_DEADLINE, SCALE, today=TODAY) is None
    assert timeline.planned_span(undated, SCALE) is None


def test_an_on_time_delivery_has_no_slippage_and_an_overdue_one_runs_to_its_last_check():
    on_time = line("on time", due="2021", verdicts=[delivered("2020-05", "2020-05")])
    assert timeline.slippage_span(on_time, SCALE) is None
    overdue = line("overdue", due="2024", verdicts=[in_progress("2025-06")])
    span = timeline.slippage_span(overdue, SCALE)
    assert span.label == "Overdue, still open when last checked (June 2025)"
    assert span.x == SCALE.x(dt.date(2025, 1, 1))
    assert span.x + span.width == SCALE.x(dt.date(2025, 6, 2))
    unchecked = line("unchecked", due="2024", verdicts=[in_progress("2022")])
    assert timeline.slippage_span(unchecked, SCALE) is None


def test_the_unchecked_stretch_runs_from_the_last_check_to_the_reference_day_while_open():
    open_one = line("open", due="2030", verdicts=[in_progress("2022")])
    span = timeline.unchecked_span(open_one, SCALE, today=TODAY)
    assert (span.x, span.label) == (SCALE.x(dt.date(2023, 1, 1)), "Not checked since 2022")
    closed = line("closed", due="2021", verdicts=[delivered("2020-05", "2020-05")])
    assert timeline.unchecked_span(closed, SCALE, today=TODAY) is None


def test_the_description_counts_in_singular_and_plural():
    assert timeline.plural(1, "event") == "1 event"
    assert timeline.plural(0, "event") == "0 events"
