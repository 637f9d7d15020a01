"""The timeline in its two frames, a screen's (WIDE) and a phone's (NARROW): text wrapped to
stay inside the chart, the today label turned to stay in it, events on lanes that keep them
apart. Pure functions, no HTTP."""

import datetime as dt

from policies import timeline
from policies.timeline import NARROW, WIDE, EventMark, build_timeline
from tests.test_timeline import TODAY, delivered, in_progress, line
from tracker.core.dates import FuzzyDate

LATE = line(
    "Present a national strategy for artificial intelligence to the President",
    pledged="2019-02-27",
    due="2019-07-01",
    verdicts=[delivered("2019-10-10", "2019-10-10")],
)
SHORT = line("Lead by 2030", pledged="2019", due="2030")


def event(day, title="Decree signed"):
    return EventMark(title, f"/e/{day}/", FuzzyDate.parse(day))


def test_a_narrow_scale_runs_from_its_own_margin_to_the_other():
    scale = timeline.Scale(dt.date(2019, 1, 1), dt.date(2026, 12, 31), NARROW)
    assert scale.x(scale.start) == NARROW.margin
    assert scale.x(scale.end + dt.timedelta(days=1)) == NARROW.width - NARROW.margin


def test_a_short_row_keeps_its_title_and_status_on_one_line_in_either_frame():
    for layout in (WIDE, NARROW):
        row = build_timeline([SHORT], today=TODAY, layout=layout).rows[0]
        assert [text.text for text in row.lines] == ["Lead by 2030 — No evidence yet"]
        # The screen's row as it always was: text at 16, bar at 26, 58 high.
        assert (row.lines[0].y - row.y, row.bar_y - row.y, row.bottom - row.y) == (16, 26, 58)


def test_a_long_row_wraps_on_a_phone_with_its_status_on_a_line_of_its_own():
    row = build_timeline([LATE], today=TODAY, layout=NARROW).rows[0]
    lines = [text.text for text in row.lines]
    assert lines == [
        "Present a national strategy for",
        "artificial intelligence to the President",
        "Delivered late, 101 days late (about 3",
        "months)",
    ]
    assert all(len(text) <= NARROW.line_chars for text in lines)
    assert [text.y - row.y for text in row.lines] == [16, 32, 48, 64]
    assert row.bar_y == row.lines[-1].y + 10


def test_the_same_row_fits_one_line_on_a_screen():
    row = build_timeline([LATE], today=TODAY, layout=WIDE).rows[0]
    assert len(row.lines) == 1


def test_each_row_starts_below_the_one_before_however_many_lines_it_has():
    chart = build_timeline([LATE, SHORT], today=TODAY, layout=NARROW)
    first, second = chart.rows
    assert second.y == first.bottom
    assert chart.height == second.bottom + 8


def test_a_title_longer_than_eighty_characters_is_cut_with_an_ellipsis():
    title = "Substantially improve the wellbeing and quality of life of the population by 2024"
    assert timeline.shortened(title) == title[:79] + "…"
    assert timeline.shortened("Lead by 2030") == "Lead by 2030"


def test_the_today_label_turns_left_of_its_line_near_the_right_edge():
    # The chart ends with the year of today, 1 December: "Today" would run past the edge.
    december = dt.date(2026, 12, 1)
    late = build_timeline([LATE], today=december)
    assert (late.today_anchor, late.today_dx) == ("end", -3)
    assert build_timeline([LATE], today=december, layout=NARROW).today_anchor == "end"
    # With years to go after it, the label runs right, as it always did.
    early = build_timeline([SHORT], today=TODAY)
    assert (early.today_anchor, early.today_dx) == ("start", 3)


def test_events_that_would_touch_take_the_next_lane_and_the_rows_move_down():
    apart = build_timeline([SHORT], today=TODAY, events=[event("2019-02"), event("2019-10")])
    assert [e.lane for e in apart.events] == [0, 0]
    close = build_timeline(
        [SHORT], today=TODAY, events=[event("2019-10-10"), event("2019-10-11"), event("2020")]
    )
    assert [e.lane for e in close.events] == [0, 1, 0]
    assert [e.y for e in close.events] == [40, 56, 40]
    assert close.plot_top == apart.plot_top + timeline.EVENT_LANE_STEP


def test_a_phone_puts_on_lanes_events_a_screen_keeps_on_one():
    # 30 days, from 2019 to 2030: 6.4 units apart on a screen, 2.1 on a phone; a mark is 3
    # units wide, and two keep 2 apart.
    days = [event("2019-10-10"), event("2019-11-09")]
    assert [e.lane for e in build_timeline([SHORT], today=TODAY, events=days).events] == [0, 0]
    narrow = build_timeline([SHORT], today=TODAY, events=days, layout=NARROW)
    assert [e.lane for e in narrow.events] == [0, 1]


def test_past_three_lanes_an_event_joins_the_lane_that_ended_first():
    spans = [timeline.Span(x, 3.0, "") for x in (100, 100.5, 101, 101.5)]
    assert timeline.event_lanes(spans) == (0, 1, 2, 0)


def test_a_phone_s_axis_labels_fewer_years_and_none_past_its_edge():
    chart = build_timeline([line("a", pledged="2017", due="2030")], today=TODAY, layout=NARROW)
    labels = [tick.label for tick in chart.ticks]
    assert labels == ["2018", "2020", "2022", "2024", "2026", "2028", ""]
    assert all(t.x + timeline.TICK_LABEL_WIDTH <= NARROW.width for t in chart.ticks if t.label)
    wide = build_timeline([line("a", pledged="2017", due="2030")], today=TODAY)
    assert [tick.label for tick in wide.ticks][-1] == "2030"


def test_both_frames_draw_the_same_rows_with_the_same_words():
    lines = [LATE, SHORT, line("checked", due="2024", verdicts=[in_progress("2025-03")])]
    wide = build_timeline(lines, today=TODAY)
    narrow = build_timeline(lines, today=TODAY, layout=NARROW)
    assert [(r.url, r.status, r.shape) for r in wide.rows] == [
        (r.url, r.status, r.shape) for r in narrow.rows
    ]
    assert narrow.description == wide.description
