"""The timeline chart and the scorecard are pure functions: no database, no HTTP."""

import datetime as dt

from policies.progress import Status, Verdict, derive_progress
from policies.scorecard import Standing, describe_slippage, scorecard, standing_of
from policies.timeline import CommitmentLine, EventMark, Scale, build_timeline
from tracker.core.dates import FuzzyDate

TODAY = dt.date(2026, 6, 1)


def line(title, *, pledged=None, due=None, verdicts=(), today=TODAY):
    pledged = FuzzyDate.parse(pledged) if pledged else None
    due = FuzzyDate.parse(due) if due else None
    progress = derive_progress(due=due, verdicts=list(verdicts), today=today)
    return CommitmentLine(
        title=title, url=f"/c/{title}/", pledged=pledged, due=due, progress=progress
    )


def build_scale(chart):
    return Scale(chart.start, chart.end)


def delivered(as_of, on):
    return Verdict(FuzzyDate.parse(as_of), Status.DELIVERED, FuzzyDate.parse(on), id=1)


def in_progress(as_of):
    return Verdict(FuzzyDate.parse(as_of), Status.IN_PROGRESS, id=1)


def test_it_draws_a_late_delivery_with_its_slippage():
    # The strategy was due by 1 July 2019 and the decree came on 10 October 2019.
    late = line(
        "strategy",
        pledged="2019-02-27",
        due="2019-07-01",
        verdicts=[delivered("2019-10-10", "2019-10-10")],
    )
    row = build_timeline([late], today=TODAY).rows[0]
    assert row.standing is Standing.LATE
    assert row.status.startswith("Delivered late, 101 days late")
    assert row.slippage is not None
    assert row.delivered.x > row.due.x
    assert row.slippage.x + row.slippage.width >= row.delivered.x


def test_it_draws_an_on_time_delivery_without_slippage():
    on_time = line(
        "on time", pledged="2019", due="2021", verdicts=[delivered("2020-05", "2020-05")]
    )
    row = build_timeline([on_time], today=TODAY).rows[0]
    assert row.standing is Standing.ON_TIME
    assert row.slippage is None
    assert row.shape == "circle"


def test_it_runs_an_overdue_commitment_s_slippage_up_to_its_last_check_and_no_further():
    overdue = line("overdue", pledged="2019", due="2024", verdicts=[in_progress("2025-03-01")])
    chart = build_timeline([overdue], today=TODAY)
    row = chart.rows[0]
    assert row.standing is Standing.OVERDUE
    assert row.shape == "triangle"
    assert row.status == (
        "Overdue, at least 60 days late (about 2 months) when last checked (1 March 2025)"
    )
    checked_x = build_scale(chart).x(dt.date(2025, 3, 2))
    assert abs(row.slippage.x + row.slippage.width - checked_x) <= 1
    assert row.marker_x == checked_x
    # From the check to today the chart draws the stretch nobody checked, apart.
    assert row.unchecked.label == "Not checked since 1 March 2025"
    assert abs(row.unchecked.x - checked_x) <= 0.01
    assert abs(row.unchecked.x + row.unchecked.width - chart.today_x) <= 3


def test_it_draws_a_commitment_due_after_its_last_check_as_not_checked():
    stale = line("stale", pledged="2019", due="2024", verdicts=[in_progress("2022")])
    chart = build_timeline([stale], today=TODAY)
    row = chart.rows[0]
    assert row.standing is Standing.NOT_CHECKED
    assert row.shape == "square"
    assert row.status == "Not checked since 2022"
    assert row.slippage is None
    assert row.unchecked.label == "Not checked since 2022"
    assert row.marker_x == build_scale(chart).x(dt.date(2023, 1, 1))


def test_it_draws_a_commitment_never_checked_as_unchecked_from_its_pledge():
    row = build_timeline([line("never", pledged="2019", due="2024")], today=TODAY).rows[0]
    assert row.standing is Standing.NOT_CHECKED
    assert row.unchecked.label == "Evidence never checked"
    assert row.marker_x is not None


def test_it_leaves_an_open_commitment_not_yet_due_without_slippage():
    open_one = line("open", pledged="2025", due="2030")
    row = build_timeline([open_one], today=TODAY).rows[0]
    assert row.standing is Standing.NOT_YET_DUE
    assert row.slippage is None
    assert row.shape == "ring"


def test_it_draws_a_fuzzy_due_date_as_a_span_of_its_precision():
    chart = build_timeline(
        [line("year", due="2024"), line("day", due="2024-07-01")],
        today=dt.date(2024, 1, 1),
    )
    year, day = chart.rows[0].due, chart.rows[1].due
    days_in_chart = (chart.end - chart.start).days + 1
    assert year.width > 100 * day.width / 2
    assert abs(year.width - (366 / days_in_chart) * (chart.width - 32)) < 1
    assert year.label == "Due: 2024"


def test_it_does_not_count_a_year_deadline_as_passed_before_the_year_ends():
    still_due = line("by 2024", due="2024", today=dt.date(2024, 12, 31))
    row = build_timeline([still_due], today=dt.date(2024, 12, 31)).rows[0]
    assert row.standing is Standing.NOT_YET_DUE


def test_it_marks_today_and_spans_whole_years():
    chart = build_timeline([line("a", pledged="2019-02", due="2024")], today=TODAY)
    assert chart.start == dt.date(2019, 1, 1)
    assert chart.end == dt.date(2026, 12, 31)
    assert [t.label for t in chart.ticks][:2] == ["2019", "2020"]
    assert chart.ticks[0].x < chart.today_x < chart.width
    assert chart.today_label == "Today"


def test_it_labels_an_as_of_view():
    chart = build_timeline([line("a", due="2024")], today=dt.date(2019, 8, 1), as_of=True)
    assert chart.today_label == "As of 1 Aug 2019"
    assert "as of (1 August 2019)" in chart.description


def test_it_describes_the_chart_in_words():
    chart = build_timeline(
        [line("a", due="2024"), line("b", due="2030")],
        today=TODAY,
        events=[EventMark("Decree signed", "/e/1/", FuzzyDate.parse("2019-10-10"))],
    )
    assert chart.description.startswith("2 commitments and 1 event from 2019 to 2030")
    assert "1 not checked since due date; 1 not yet due" in chart.description
    assert chart.events[0].title == "Decree signed"


def test_it_lays_out_nothing_without_commitments_or_events():
    chart = build_timeline([], today=TODAY)
    assert chart.is_empty
    assert chart.start.year == chart.end.year == 2026


def test_it_counts_standings_in_a_scorecard():
    items = [
        (
            line("late", due="2019-07-01", verdicts=[delivered("2019-10", "2019-10")]).progress,
            FuzzyDate.parse("2019-07-01"),
        ),
        (
            line("overdue", due="2024", verdicts=[in_progress("2025-06")]).progress,
            FuzzyDate.parse("2024"),
        ),
        (line("unchecked", due="2024").progress, FuzzyDate.parse("2024")),
        (line("future", due="2030").progress, FuzzyDate.parse("2030")),
        (line("undated").progress, None),
    ]
    card = scorecard(items)
    assert card.total == 5
    assert card.count(Standing.LATE) == 1
    assert card.count(Standing.OVERDUE) == 1
    assert card.count(Standing.NOT_CHECKED) == 1
    # A count is no fresher than its evidence: the card says how old its checks are.
    assert (card.oldest_check, card.newest_check) == (
        FuzzyDate.parse("2019-10"),
        FuzzyDate.parse("2025-06"),
    )
    assert card.never_checked == 3
    assert card.count(Standing.NOT_YET_DUE) == 1
    assert card.count(Standing.NO_DEADLINE) == 1
    assert card.count(Standing.ON_TIME) == 0


def test_it_treats_missed_and_abandoned_as_missed():
    missed = derive_progress(
        due=FuzzyDate.parse("2020"),
        verdicts=[Verdict(FuzzyDate.parse("2021"), Status.ABANDONED, id=1)],
        today=TODAY,
    )
    assert standing_of(missed, due=FuzzyDate.parse("2020")) is Standing.MISSED


def test_it_words_slippage_for_people():
    assert describe_slippage(101) == "101 days late (about 3 months)"
    assert describe_slippage(-12) == "12 days early"
    assert describe_slippage(1) == "1 day late"
    assert describe_slippage(800) == "800 days late (about 2 years)"
    assert describe_slippage(None) == ""
