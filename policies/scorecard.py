"""Where a commitment stands in words and shape, and the scorecard that counts them.

Pure functions over `policies.progress.Progress`: no database, no HTTP. The public pages, the
timeline chart and the scorecards all read a commitment's standing from `standing_of`, so a
commitment counted "overdue" in a scorecard is drawn and labelled overdue on its timeline.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from policies.progress import Progress, Status
from tracker.core.dates import FuzzyDate


class Standing(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    IN_PROGRESS = "in_progress"
    STALLED = "stalled"
    OVERDUE = "overdue"
    NOT_CHECKED = "not_checked"
    MISSED = "missed"
    NOT_YET_DUE = "not_yet_due"
    NO_DEADLINE = "no_deadline"


LABELS = {
    Standing.ON_TIME: "Delivered on time",
    Standing.LATE: "Delivered late",
    Standing.IN_PROGRESS: "In progress",
    Standing.STALLED: "Stalled",
    Standing.OVERDUE: "Overdue",
    Standing.NOT_CHECKED: "Not checked since due date",
    Standing.MISSED: "Missed or abandoned",
    Standing.NOT_YET_DUE: "Not yet due",
    Standing.NO_DEADLINE: "Open, no deadline",
}

# Status is drawn by shape as well as colour, so the chart reads in greyscale and print: each
# standing its own shape (and its own colour, --standing-<key> in static/css/site.css).
SHAPES = {
    Standing.ON_TIME: "circle",
    Standing.LATE: "hexagon",
    Standing.IN_PROGRESS: "diamond",
    Standing.STALLED: "pause",
    Standing.OVERDUE: "triangle",
    Standing.NOT_CHECKED: "square",
    Standing.MISSED: "cross",
    Standing.NOT_YET_DUE: "ring",
    Standing.NO_DEADLINE: "dash",
}


def standing_of(progress: Progress, *, due: FuzzyDate | None) -> Standing:
    if progress.delivered_on is not None:
        return Standing.LATE if progress.delivered_late else Standing.ON_TIME
    if progress.status in (Status.MISSED, Status.ABANDONED):
        return Standing.MISSED
    if progress.overdue:
        return Standing.OVERDUE
    if progress.unchecked:
        return Standing.NOT_CHECKED
    if progress.status is Status.IN_PROGRESS:
        return Standing.IN_PROGRESS
    if progress.status is Status.STALLED:
        return Standing.STALLED
    # A delivered verdict without a delivery date still counts as delivered, on time as far
    # as anyone can tell.
    if progress.status in (Status.DELIVERED, Status.PARTLY_DELIVERED):
        return Standing.ON_TIME
    return Standing.NOT_YET_DUE if due is not None else Standing.NO_DEADLINE


def describe_slippage(days: int | None) -> str:
    """ "101 days late (about 3 months)"; "12 days early"; "" when there is nothing to say."""
    if days is None or days == 0:
        return "" if days is None else "on the due date"
    word = "late" if days > 0 else "early"
    text = f"{abs(days)} day{'s' if abs(days) != 1 else ''} {word}"
    if abs(days) >= 60:
        months = round(abs(days) / 30.44)
        if months >= 24:
            text += f" (about {round(abs(days) / 365.25)} years)"
        else:
            text += f" (about {months} months)"
    return text


def status_text(progress: Progress, *, due: FuzzyDate | None) -> str:
    """The words shown beside a commitment: "Delivered late, 101 days late (about 3 months)";
    "Overdue, at least 240 days late when last checked (May 2023)"."""
    label = progress.label
    if progress.status is Status.PARTLY_DELIVERED and progress.delivered_late:
        label = "Partly delivered, late"
    days = progress.slippage_days
    slip = describe_slippage(days)
    if not slip:
        return label
    if progress.delivered_late:
        return f"{label}, {slip}"
    if progress.delivered_on is not None:
        # Early is worth saying; on time is what the label already says.
        return f"{label}, {slip}" if days is not None and days < 0 else label
    if progress.overdue:
        # Measured to the last check, not to today: nobody looked since.
        return f"{label}, at least {slip} when last checked ({progress.horizon})"
    return label


@dataclass(frozen=True, slots=True)
class ScoreLine:
    standing: Standing
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Scorecard:
    lines: tuple[ScoreLine, ...]
    total: int
    # The evidence horizons of the commitments counted: the oldest and the newest last check,
    # and how many were never checked. A count is no fresher than its evidence.
    oldest_check: FuzzyDate | None = None
    newest_check: FuzzyDate | None = None
    never_checked: int = 0

    def count(self, standing: Standing | str) -> int:
        return next((line.count for line in self.lines if line.standing == standing), 0)


def scorecard(items: Iterable[tuple[Progress, FuzzyDate | None]]) -> Scorecard:
    """Counts of commitments by standing; pass (progress, due) pairs of published ones only."""
    items = list(items)
    checked = [progress.horizon for progress, _ in items if progress.horizon is not None]
    return tally(
        Counter(standing_of(progress, due=due) for progress, due in items),
        oldest=min(checked, default=None),
        newest=max(checked, default=None),
        never_checked=len(items) - len(checked),
    )


def tally(
    counts: Mapping[Standing, int],
    *,
    oldest: FuzzyDate | None = None,
    newest: FuzzyDate | None = None,
    never_checked: int = 0,
) -> Scorecard:
    """The scorecard of commitments already counted by standing (the stored read model)."""
    return Scorecard(
        lines=tuple(ScoreLine(s, LABELS[s], counts.get(s, 0)) for s in Standing),
        total=sum(counts.values()),
        oldest_check=oldest,
        newest_check=newest,
        never_checked=never_checked,
    )


def combined(cards: Iterable[Scorecard]) -> Scorecard:
    """The scorecard of every commitment that `cards` count (each counted once)."""
    cards = list(cards)
    counts: Counter[Standing] = Counter()
    for card in cards:
        counts.update({line.standing: line.count for line in card.lines})
    oldest = [c.oldest_check for c in cards if c.oldest_check is not None]
    newest = [c.newest_check for c in cards if c.newest_check is not None]
    return tally(
        counts,
        oldest=min(oldest, default=None),
        newest=max(newest, default=None),
        never_checked=sum(c.never_checked for c in cards),
    )


class Tracked(Protocol):
    """A commitment's due date and its progress as of some day (`standings.Counted`)."""

    @property
    def due(self) -> FuzzyDate | None: ...

    @property
    def current(self) -> Progress: ...


def card_for(commitments: Iterable[Tracked]) -> Scorecard:
    """The scorecard of commitments that carry their `current` progress (`standings.Counted`,
    or entries after `standings.with_progress`)."""
    return scorecard((c.current, c.due) for c in commitments)
