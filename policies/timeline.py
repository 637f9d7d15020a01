"""The pledged-against-delivered timeline, as geometry: a pure function over plain values.

`build_timeline` takes commitments (pledge date, due date, derived progress) and events, and
returns value objects with x positions and widths in SVG user units. The template only draws
them. Fuzzy dates are spans of their precision ("by 2024" covers the whole of 2024), never
false points; the reference day ("today", or the "as of" day) is a vertical line.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from policies.progress import Progress
from policies.scorecard import LABELS, SHAPES, Standing, standing_of, status_text
from tracker.core.dates import FuzzyDate

WIDTH = 960
MARGIN = 16
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


def _bounds(lines: Sequence[CommitmentLine], events: Sequence[EventMark], today: dt.date):
    days = [today]
    for line in lines:
        for fuzzy in (line.pledged, line.due, line.progress.delivered_on):
            if fuzzy is not None:
                days += [fuzzy.start, fuzzy.end]
    for event in events:
        days += [event.occurred.start, event.occurred.end]
    return dt.date(min(days).year, 1, 1), dt.date(max(days).year, 12, 31)


def _tick_step(years: int) -> int:
    for step in (1, 2, 5, 10, 20, 50):
        if years / step <= 14:
            return step
    return 100


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
    start, end = _bounds(lines, events, today)
    total_days = (end - start).days + 1
    plot_left, plot_width = MARGIN, WIDTH - 2 * MARGIN

    def x_of(day: dt.date) -> float:
        return round(plot_left + (day - start).days / total_days * plot_width, 2)

    def span(fuzzy: FuzzyDate, label: str) -> Span:
        left = x_of(fuzzy.start)
        right = x_of(fuzzy.end + dt.timedelta(days=1))
        return Span(left, round(max(right - left, MIN_SPAN), 2), f"{label}: {fuzzy}")

    def between(first: dt.date, last: dt.date, label: str) -> Span | None:
        if last < first:
            return None
        left, right = x_of(first), x_of(last + dt.timedelta(days=1))
        return Span(left, round(max(right - left, MIN_SPAN), 2), label)

    step = _tick_step(end.year - start.year + 1)
    ticks = tuple(
        Tick(x_of(dt.date(year, 1, 1)), str(year))
        for year in range(start.year, end.year + 1)
        if year % step == 0 or step == 1
    )

    placed_events = tuple(
        PlacedEvent(
            x=span(e.occurred, "").x,
            width=span(e.occurred, "").width,
            title=e.title,
            url=e.url,
            when=str(e.occurred),
        )
        for e in sorted(events, key=lambda e: e.occurred)
    )
    plot_top = AXIS_HEIGHT + (EVENT_LANE if placed_events else 0)
    reference = "as of" if as_of else "today"

    rows = []
    for index, line in enumerate(lines):
        progress, due = line.progress, line.due
        standing = standing_of(progress, due=due)
        delivered = progress.delivered_on
        slippage = None
        if due is not None and delivered is not None and progress.delivered_late:
            slippage = between(
                due.end + dt.timedelta(days=1), delivered.end, "Slipped past the due date"
            )
        elif due is not None and progress.overdue:
            slippage = between(
                due.end + dt.timedelta(days=1), today, f"Overdue, still open {reference}"
            )
        if delivered is not None:
            marker = x_of(delivered.end + dt.timedelta(days=1))
        elif standing is Standing.MISSED and due is not None:
            marker = x_of(due.end + dt.timedelta(days=1))
        elif due is not None or line.pledged is not None:
            marker = x_of(today)
        else:
            marker = None
        rows.append(
            Row(
                y=plot_top + index * ROW_HEIGHT,
                title=line.title,
                url=line.url,
                standing=standing,
                standing_label=LABELS[standing],
                status=status_text(progress, due=due),
                shape=SHAPES[standing],
                marker_x=marker,
                pledged=span(line.pledged, "Pledged") if line.pledged else None,
                planned=(
                    between(line.pledged.start, due.end, f"Planned: {line.pledged} to {due}")
                    if line.pledged and due
                    else None
                ),
                due=span(due, "Due") if due else None,
                delivered=span(delivered, "Delivered") if delivered else None,
                slippage=slippage,
            )
        )

    counts = {}
    for row in rows:
        counts[row.standing_label] = counts.get(row.standing_label, 0) + 1
    summary = "; ".join(f"{n} {label.lower()}" for label, n in counts.items())
    description = (
        f"{len(rows)} commitment{'s' if len(rows) != 1 else ''} and {len(placed_events)} "
        f"event{'s' if len(placed_events) != 1 else ''} from {start.year} to {end.year}"
        + (f": {summary}" if summary else "")
        + f". The vertical line marks {reference} ({today:%-d %B %Y})."
    )
    return Timeline(
        width=WIDTH,
        height=int(plot_top + len(rows) * ROW_HEIGHT + 8),
        start=start,
        end=end,
        ticks=ticks,
        rows=tuple(rows),
        events=placed_events,
        today=today,
        today_x=x_of(today),
        today_label=f"As of {today:%-d %b %Y}" if as_of else "Today",
        plot_top=plot_top,
        description=description,
    )
