"""The pledged-against-delivered timeline, as geometry: a pure function over plain values.

`build_timeline` takes commitments (pledge date, due date, derived progress) and events, and
returns value objects with x positions and widths in SVG user units. The template only draws
them. Fuzzy dates are spans of their precision ("by 2024" covers the whole of 2024), never
false points; the reference day ("today", or the "as of" day) is a vertical line.

A chart is laid out in one of two frames (`Layout`): WIDE for a screen and NARROW for a phone,
which the page shows instead, chosen by the width of the screen. Text is not measured, it is
estimated (`CHAR_EM`, generous for the fonts pages use), so lines are wrapped and labels placed
to stay inside the frame.
"""

import datetime as dt
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from policies.progress import Progress
from policies.scorecard import LABELS, SHAPES, Standing, standing_of, status_text
from tracker.core.dates import FuzzyDate

WIDTH = 960
MARGIN = 16
PLOT_WIDTH = WIDTH - 2 * MARGIN
AXIS_HEIGHT = 36
EVENT_LANE = 28
MIN_SPAN = 3.0  # a one-day date is still visible, and still a span

# A row: its lines of text, LINE_HEIGHT apart, then the bar, BAR_BELOW_TEXT under the last
# line's baseline, and ROW_BELOW_BAR of room for the marker and the unchecked stretch. A row of
# one line is 58 high.
LINE_HEIGHT = 16
BAR_BELOW_TEXT = 10
ROW_BELOW_BAR = 32
TITLE_CHARS = 80  # a longer title is cut with an ellipsis; the table below the chart has it whole
# Text is not measured but estimated, by the average width of a character in ems. In DejaVu
# Sans, wider than most fonts pages are read in, English titles and statuses average 0.49 to
# 0.54 em, Cyrillic and capitals 0.60, digits 0.64, and bold text 0.60 to 0.68.
CHAR_EM = 0.58
DIGIT_EM = 0.64
BOLD_CHAR_EM = 0.7
ROW_TEXT_SIZE = 13  # .row-title in site.css
LABEL_SIZE = 12  # .tick and .today-label
TICK_LABEL_WIDTH = 3 + 4 * DIGIT_EM * LABEL_SIZE  # "2030", after its 3-unit offset

# Events are marks on a lane above the rows; where two would touch, the later one takes the
# next lane down, up to EVENT_LANES.
EVENT_GAP = 2.0
EVENT_LANES = 3
EVENT_TOP = 40
EVENT_LANE_STEP = 16


@dataclass(frozen=True, slots=True)
class Layout:
    """A chart's frame in SVG user units, and how many year labels its axis holds. Row text
    wraps to the plot's width, so a narrower frame has taller rows, not smaller text."""

    width: int
    margin: int
    most_ticks: int

    @property
    def plot_width(self) -> int:
        return self.width - 2 * self.margin

    @property
    def line_chars(self) -> int:
        """The characters of row text a line of the plot holds."""
        return int(self.plot_width / (CHAR_EM * ROW_TEXT_SIZE))


# The chart of a screen, drawn at least 40rem wide (site.css).
WIDE = Layout(width=WIDTH, margin=MARGIN, most_ticks=14)
# The chart of a phone: drawn about as wide as the screen (288 px at 320, 358 px at 390), so a
# user unit is close to a pixel and the text reads at its own size.
NARROW = Layout(width=320, margin=8, most_ticks=8)


@dataclass(frozen=True, slots=True)
class CommitmentLine:
    """One commitment, reduced to what the chart needs."""

    title: str
    url: str
    pledged: FuzzyDate | None
    due: FuzzyDate | None
    progress: Progress


@dataclass(frozen=True, slots=True)
class EventMark:
    title: str
    url: str
    occurred: FuzzyDate


@dataclass(frozen=True, slots=True)
class Span:
    x: float
    width: float
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class TextLine:
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class Row:
    y: float
    lines: tuple[TextLine, ...]
    bar_y: float
    title: str
    url: str
    standing: Standing
    standing_label: str
    status: str
    shape: str
    marker_x: float | None
    pledged: Span | None
    planned: Span | None
    due: Span | None
    delivered: Span | None
    slippage: Span | None
    # From the last check of the evidence to the reference day, while the commitment is open:
    # what happened then is not known, and is drawn apart from what is.
    unchecked: Span | None = None

    @property
    def spoken(self) -> str:
        """The row's link as a screen reader says it: the words it shows, its lines joined."""
        return " ".join(line.text for line in self.lines)

    @property
    def unchecked_y(self) -> float:
        return self.bar_y + 16

    @property
    def marker_y(self) -> float:
        return self.bar_y + 7

    @property
    def bottom(self) -> float:
        return self.bar_y + ROW_BELOW_BAR


@dataclass(frozen=True, slots=True)
class PlacedEvent:
    x: float
    width: float
    title: str
    url: str
    when: str
    lane: int = 0

    @property
    def y(self) -> float:
        return EVENT_TOP + self.lane * EVENT_LANE_STEP


@dataclass(frozen=True, slots=True)
class Timeline:
    layout: Layout
    height: int
    start: dt.date
    end: dt.date
    ticks: tuple[Tick, ...]
    rows: tuple[Row, ...]
    events: tuple[PlacedEvent, ...]
    today: dt.date
    today_x: float
    today_label: str
    today_anchor: str
    plot_top: float
    description: str

    @property
    def width(self) -> int:
        return self.layout.width

    @property
    def today_dx(self) -> int:
        """The label's offset from the line: to its right, or to its left when anchored at its
        end."""
        return 3 if self.today_anchor == "start" else -3

    @property
    def is_empty(self) -> bool:
        return not self.rows and not self.events


ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Scale:
    """Whole years from `start` (1 January) to `end` (31 December) across the plot's width."""

    start: dt.date
    end: dt.date
    layout: Layout = WIDE

    @property
    def total_days(self) -> int:
        return (self.end - self.start).days + 1

    def x(self, day: dt.date) -> float:
        offset = (day - self.start).days / self.total_days * self.layout.plot_width
        return round(self.layout.margin + offset, 2)

    def between(self, first: dt.date, last: dt.date, label: str) -> Span | None:
        """The days `first` to `last` inclusive, at least MIN_SPAN wide; None if `last` is
        before `first`."""
        if last < first:
            return None
        return self._span(first, last, label)

    def span(self, fuzzy: FuzzyDate, label: str) -> Span:
        """A fuzzy date as the span of its precision, labelled "label: date"."""
        # A fuzzy date never ends before it starts (its constructor refuses it).
        return self._span(fuzzy.start, fuzzy.end, f"{label}: {fuzzy}")

    def _span(self, first: dt.date, last: dt.date, label: str) -> Span:
        left, right = self.x(first), self.x(last + ONE_DAY)
        return Span(left, round(max(right - left, MIN_SPAN), 2), label)


def scale_for(
    lines: Sequence[CommitmentLine],
    events: Sequence[EventMark],
    today: dt.date,
    layout: Layout = WIDE,
) -> Scale:
    """The whole years that hold `today` and every date of `lines` and `events`."""
    days = [today]
    for line in lines:
        for fuzzy in (line.pledged, line.due, line.progress.delivered_on, line.progress.horizon):
            if fuzzy is not None:
                days += [fuzzy.start, fuzzy.end]
    for event in events:
        days += [event.occurred.start, event.occurred.end]
    return Scale(dt.date(min(days).year, 1, 1), dt.date(max(days).year, 12, 31), layout)


def tick_step(years: int, most: int = 14) -> int:
    """Years between labelled ticks: `most` labels at most."""
    for step in (1, 2, 5, 10, 20, 50):
        if years / step <= most:
            return step
    return 100


def ticks_for(scale: Scale) -> tuple[Tick, ...]:
    """A tick at the start of every `tick_step`th year, labelled unless its label would run
    past the right edge (the last year of a narrow chart is narrower than its label)."""
    step = tick_step(scale.end.year - scale.start.year + 1, scale.layout.most_ticks)
    ticks = []
    for year in range(scale.start.year, scale.end.year + 1):
        if year % step == 0 or step == 1:
            x = scale.x(dt.date(year, 1, 1))
            ticks.append(Tick(x, str(year) if x + TICK_LABEL_WIDTH <= scale.layout.width else ""))
    return tuple(ticks)


def event_lanes(spans: Sequence[Span]) -> tuple[int, ...]:
    """A lane for each of `spans` (in date order): the first whose last mark ends EVENT_GAP
    before it; where none does, a new lane, up to EVENT_LANES; past that, the lane whose
    last mark ended first, where marks may then overlap (the event list has each apart)."""
    ends: list[float] = []
    lanes = []
    for span in spans:
        lane = next((i for i, end in enumerate(ends) if span.x >= end + EVENT_GAP), None)
        if lane is None and len(ends) < EVENT_LANES:
            lane = len(ends)
            ends.append(span.x + span.width)
        elif lane is None:
            lane = min(range(len(ends)), key=ends.__getitem__)
        ends[lane] = max(ends[lane], span.x + span.width)
        lanes.append(lane)
    return tuple(lanes)


def place_events(events: Sequence[EventMark], scale: Scale) -> tuple[PlacedEvent, ...]:
    """The events in date order, each spanning its date's precision, on lanes that keep
    neighbours apart."""
    ordered = sorted(events, key=lambda e: e.occurred)
    spans = [scale.span(event.occurred, "") for event in ordered]
    return tuple(
        PlacedEvent(where.x, where.width, event.title, event.url, str(event.occurred), lane)
        for event, where, lane in zip(ordered, spans, event_lanes(spans), strict=True)
    )


def event_lane_height(events: Sequence[PlacedEvent]) -> int:
    """The room the events take above the rows: none without events."""
    if not events:
        return 0
    return EVENT_LANE + max(e.lane for e in events) * EVENT_LANE_STEP


def slippage_span(line: CommitmentLine, scale: Scale) -> Span | None:
    """From the day after the due date to the late delivery, or, while overdue, to the last
    check of the evidence (nobody knows about the time since)."""
    progress, due = line.progress, line.due
    if due is None:
        return None
    if progress.delivered_on is not None and progress.delivered_late:
        return scale.between(
            due.end + ONE_DAY, progress.delivered_on.end, "Slipped past the due date"
        )
    if progress.overdue and progress.horizon is not None:
        return scale.between(
            due.end + ONE_DAY,
            progress.horizon.start,
            f"Overdue, still open when last checked ({progress.horizon})",
        )
    return None


def unchecked_span(line: CommitmentLine, scale: Scale, *, today: dt.date) -> Span | None:
    """From the last check (or the pledge, if nothing was checked) to `today`, for a commitment
    still open: the stretch the evidence does not cover."""
    progress = line.progress
    if not progress.is_open:
        return None
    horizon = progress.horizon
    if horizon is not None:
        return scale.between(horizon.end + ONE_DAY, today, f"Not checked since {horizon}")
    start = line.pledged or line.due
    if start is None:
        return None
    return scale.between(start.start, today, "Evidence never checked")


def marker_x(
    line: CommitmentLine, standing: Standing, scale: Scale, *, today: dt.date
) -> float | None:
    """Where the status marker sits: at the delivery, at a missed due date, at the last check
    of the evidence for a commitment still open, or at `today` when nothing was checked; no
    marker for one with no date at all."""
    delivered, due, horizon = line.progress.delivered_on, line.due, line.progress.horizon
    if delivered is not None:
        return scale.x(delivered.end + ONE_DAY)
    if standing is Standing.MISSED and due is not None:
        return scale.x(due.end + ONE_DAY)
    if due is None and line.pledged is None:
        return None
    if horizon is not None and line.progress.is_open:
        return scale.x(min(horizon.end + ONE_DAY, today))
    return scale.x(today)


def planned_span(line: CommitmentLine, scale: Scale) -> Span | None:
    """From the pledge to the due date, when both are known."""
    if line.pledged is None or line.due is None:
        return None
    label = f"Planned: {line.pledged} to {line.due}"
    return scale.between(line.pledged.start, line.due.end, label)


def shortened(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def text_lines(title: str, status: str, *, chars: int) -> tuple[str, ...]:
    """A row's words: "title — status" on one line where it fits in `chars`; else the title's
    lines, then the status's, so that the status starts a line of its own."""
    title = shortened(title)
    together = f"{title} — {status}"
    if len(together) <= chars:
        return (together,)
    return (*textwrap.wrap(title, chars), *textwrap.wrap(status, chars))


def row_for(line: CommitmentLine, *, y: float, scale: Scale, today: dt.date, reference: str) -> Row:
    progress, due = line.progress, line.due
    standing = standing_of(progress, due=due)
    delivered = progress.delivered_on
    status = status_text(progress, due=due)
    words = text_lines(line.title, status, chars=scale.layout.line_chars)
    return Row(
        y=y,
        lines=tuple(TextLine(y + LINE_HEIGHT * (n + 1), text) for n, text in enumerate(words)),
        bar_y=y + LINE_HEIGHT * len(words) + BAR_BELOW_TEXT,
        title=line.title,
        url=line.url,
        standing=standing,
        standing_label=LABELS[standing],
        status=status,
        shape=SHAPES[standing],
        marker_x=marker_x(line, standing, scale, today=today),
        pledged=scale.span(line.pledged, "Pledged") if line.pledged else None,
        planned=planned_span(line, scale),
        due=scale.span(due, "Due") if due else None,
        delivered=scale.span(delivered, "Delivered") if delivered else None,
        slippage=slippage_span(line, scale),
        unchecked=unchecked_span(line, scale, today=today),
    )


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def describe(
    rows: Sequence[Row],
    events: Sequence[PlacedEvent],
    scale: Scale,
    *,
    today: dt.date,
    reference: str,
) -> str:
    """The chart in words, for screen readers: what it holds and how many of each standing."""
    counts = Counter(row.standing_label for row in rows)
    summary = "; ".join(f"{n} {label.lower()}" for label, n in counts.items())
    return (
        f"{plural(len(rows), 'commitment')} and {plural(len(events), 'event')} "
        f"from {scale.start.year} to {scale.end.year}"
        + (f": {summary}" if summary else "")
        + f". The vertical line marks {reference} ({today:%-d %B %Y})."
    )


def today_anchor(x: float, label: str, layout: Layout) -> str:
    """Which end of the today label sits at the line: its start, the label running right,
    unless it would then run past the chart's right edge."""
    width = 3 + len(label) * BOLD_CHAR_EM * LABEL_SIZE
    return "start" if x + width <= layout.width else "end"


def build_timeline(
    lines: Sequence[CommitmentLine],
    *,
    today: dt.date,
    events: Sequence[EventMark] = (),
    as_of: bool = False,
    layout: Layout = WIDE,
) -> Timeline:
    """Lay out one row per commitment (in the given order) and the events above them, in
    `layout`'s frame.

    `today` is the reference day: the real today, or the "as of" day (then `as_of=True`,
    and the progress in `lines` must have been derived as of that day).
    """
    scale = scale_for(lines, events, today, layout)
    placed = place_events(events, scale)
    plot_top = AXIS_HEIGHT + event_lane_height(placed)
    reference = "as of" if as_of else "today"
    rows: list[Row] = []
    for line in lines:
        y = rows[-1].bottom if rows else plot_top
        rows.append(row_for(line, y=y, scale=scale, today=today, reference=reference))
    today_x = scale.x(today)
    today_label = f"As of {today:%-d %b %Y}" if as_of else "Today"
    return Timeline(
        layout=layout,
        height=int((rows[-1].bottom if rows else plot_top) + 8),
        start=scale.start,
        end=scale.end,
        ticks=ticks_for(scale),
        rows=tuple(rows),
        events=placed,
        today=today,
        today_x=today_x,
        today_label=today_label,
        today_anchor=today_anchor(today_x, today_label, layout),
        plot_top=plot_top,
        description=describe(rows, placed, scale, today=today, reference=reference),
    )
