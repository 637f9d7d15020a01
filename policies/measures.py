"""Which estimates compare like with like: the one rule the estimate page, the estimates list and
the jurisdiction page group figures by.

Two estimates are of the same measure when they name the same measure (character for character:
curators give competing estimates one shared name, `Estimate.measure`) in the same unit. Robot
density per 10,000 workers and per 100,000 workers are two measures; a share in % and a count of
companies are two measures. Money is one unit whatever the currency: a source's currency is a
fact about the source, and EUR 380 million against USD 380 million of one market are two
competing claims, each shown in the currency its source gives. Money and a count are never one
unit, so a figure with a currency never meets one without.

Estimates of one measure compete (they are rival claims about one fact) only when they are also
about the same jurisdiction: China's 228 supercomputers are no rival of Russia's 3, they are the
same measure elsewhere. An estimate about no jurisdiction competes only with others about none.

Pure functions over plain values: anything with `measure`, `unit`, `currency` and
`jurisdiction_id` (an `Estimate`, or a test's own record) will do.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


class Figure(Protocol):
    """What the rule reads of an estimate."""

    @property
    def measure(self) -> str: ...

    @property
    def unit(self) -> str: ...

    @property
    def currency(self) -> str: ...

    @property
    def jurisdiction_id(self) -> int | None: ...


def normal_unit(unit: str) -> str:
    """A unit as compared: "Robots per 10,000  workers" is "robots per 10,000 workers"."""
    return " ".join(unit.split()).casefold()


@dataclass(frozen=True, order=True, slots=True)
class Yardstick:
    """What a figure measures, and in which unit: figures with one yardstick compare."""

    measure: str
    money: bool
    unit: str  # normalised (`normal_unit`): what is compared
    written: str = field(default="", compare=False)  # the unit as the first figure gives it

    @property
    def unit_label(self) -> str:
        """The unit in words, for a heading ("" for a plain number)."""
        written = " ".join(self.written.split()) or self.unit
        if self.money:
            return f"money, {written}" if written else "money"
        return written

    def __str__(self) -> str:
        return f"{self.measure} ({self.unit_label})" if self.unit_label else self.measure


def yardstick(figure: Figure) -> Yardstick:
    return Yardstick(figure.measure, bool(figure.currency), normal_unit(figure.unit), figure.unit)


def same_measure(one: Figure, other: Figure) -> bool:
    """The same measure in the same unit (money in any currency being one unit)."""
    return yardstick(one) == yardstick(other)


def competes(one: Figure, other: Figure) -> bool:
    """Rival claims about one fact: the same measure, in the same unit, of the same jurisdiction."""
    return same_measure(one, other) and one.jurisdiction_id == other.jurisdiction_id


@dataclass(frozen=True, slots=True)
class Comparison[F: Figure]:
    """The other estimates worth showing beside one, in the order given."""

    rivals: list[F]  # competing claims: same measure, unit and jurisdiction
    elsewhere: list[F]  # the same measure in the same unit, of other jurisdictions


def compare[F: Figure](estimate: F, others: Iterable[F]) -> Comparison[F]:
    """The other estimates `others` split into the rivals of `estimate` and the same measure
    elsewhere; those of another measure or unit are left out."""
    rivals: list[F] = []
    elsewhere: list[F] = []
    for other in others:
        if same_measure(estimate, other):
            (rivals if competes(estimate, other) else elsewhere).append(other)
    return Comparison(rivals, elsewhere)


def by_measure[F: Figure](figures: Iterable[F]) -> list[tuple[Yardstick, list[F]]]:
    """`figures` grouped by yardstick, each group where its first figure was, in the order given
    within it: the estimates list and a jurisdiction's page show one table a group."""
    groups: dict[Yardstick, list[F]] = {}
    for figure in figures:
        groups.setdefault(yardstick(figure), []).append(figure)
    return list(groups.items())
