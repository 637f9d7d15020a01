"""The pledged-against-delivered timeline, as geometry: a pure function over plain values.

`build_timeline` takes commitments (pledge date, due date, derived progress) and events, and
returns value objects with x positions and widths in SVG user units. The template only draws
them. Fuzzy dates are spans of their precision ("by 2024" covers the whole of 2024), never
false points; the reference day ("today", or the "as of" day) is a vertical line.
"""

import datetime as dt
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
ROW_HEIGHT = 58
MIN_SPAN = 3.0  # a one-day date is still visible, and still a span


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
class Row:
    y: float
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
    def unchecked_y(self) -> float:
        return self.y + 42

    @property
    def text_y(self) -> float:
        return self.y + 16

    @property
    def bar_y(self) -> float:
        return self.y + 26

    @property
    def marker_y(self) -> float:
        return self.y + 33


@dataclass(frozen=True, slots=True)
class PlacedEvent:
    x: float
    width: float
    title: str
    url: str
    when: str


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    start: dt.date
    end: dt.date
    ticks: tuple[Tick, ...]
    rows: tuple[Row, ...]
    events: tuple[PlacedEvent, ...]
    today: dt.date
    today_x: float
    today_label: str
    plot_top: float
    description: str

    @property
    def is_empty(self) -> bool:
        return not self.rows and not self.events


ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Scale:
    """Whole years from `start` (1 January) to `end` (31 December) across the plot's width."""

    start: dt.date
    end: dt.date

    @property
    def total_days(self) -> int:
        return (self.end - self.start).days + 1

    def x(self, day: dt.date) -> float:
        return round(MARGIN + (day - self.start).days / self.total_days * PLOT_WIDTH, 2)

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
    lines: Sequence[CommitmentLine], events: Sequence[EventMark], today: dt.date
) -> Scale:
    """The whole years that hold `today` and every date of `lines` and `events`."""
    days = [today]
    for line in lines:
        for fuzzy in (line.pledged, line.due, line.progress.delivered_on, line.progress.horizon):
            if fuzzy is not None:
                days += [fuzzy.start, fuzzy.end]
    for event in events:
        days += [event.occurred.start, event.occurred.end]
    return Scale(dt.date(min(days).year, 1, 1), dt.date(max(days).year, 12, 31))


def tick_step(years: int) -> int:
    """Years between labelled ticks: 14 labels at most."""
    for step in (1, 2, 5, 10, 20, 50):
        if years / step <= 14:
            return step
    return 100


def ticks_for(scale: Scale) -> tuple[Tick, ...]:
    step = tick_step(scale.end.year - scale.start.year + 1)
    return tuple(
        Tick(scale.x(dt.date(year, 1, 1)), str(year))
        for year in range(scale.start.year, scale.end.year + 1)
        if year % step == 0 or step == 1
    )


def place_events(events: Sequence[EventMark], scale: Scale) -> tuple[PlacedEvent, ...]:
    """The events in date order, each spanning its date's precision."""
    placed = []
    for event in sorted(events, key=lambda e: e.occurred):
        where = scale.span(event.occurred, "")
        placed.append(
            PlacedEvent(where.x, where.width, event.title, event.url, str(event.occurred))
        )
    return tuple(placed)


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


def row_for(line: CommitmentLine, *, y: float, scale: Scale, today: dt.date, reference: str) -> Row:
    progress, due = line.progress, line.due
    standing = standing_of(progress, due=due)
    delivered = progress.delivered_on
    return Row(
        y=y,
        title=line.title,
        url=line.url,
        standing=standing,
        standing_label=LABELS[standing],
        status=status_text(progress, due=due),
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


def build_timeline(
    lines: Sequence[CommitmentLine],
    *,
    today: dt.date,
    events: Sequence[EventMark] = (),
    as_of: bool = False,
) -> Timeline:
    """Lay out one row per commitment (in the given order) and the events above them.

    `today` is the reference day: the real today, or the "as of" day (then `as_of=True`,
    and the progress in `lines` must have been derived as of that day).
    """
    scale = scale_for(lines, events, today)
    placed = place_events(events, scale)
    plot_top = AXIS_HEIGHT + (EVENT_LANE if placed else 0)
    reference = "as of" if as_of else "today"
    rows = tuple(
        row_for(
            line, y=plot_top + index * ROW_HEIGHT, scale=scale, today=today, reference=reference
        )
        for index, line in enumerate(lines)
    )
    return Timeline(
        width=WIDTH,
        height=int(plot_top + len(rows) * ROW_HEIGHT + 8),
        start=scale.start,
        end=scale.end,
        ticks=ticks_for(scale),
        rows=rows,
        events=placed,
        today=today,
        today_x=scale.x(today),
        today_label=f"As of {today:%-d %b %Y}" if as_of else "Today",
        plot_top=plot_top,
        description=describe(rows, placed, scale, today=today, reference=reference),
    )
