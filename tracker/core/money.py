"""Money as sources state it: an amount or a range, in its own currency, with a qualifier.

Amounts are never converted. A source's own conversion ("RUB 23 billion (~EUR 400-500
million)") is kept as a second Money beside the first, as a fact about the source.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import models


class Qualifier(models.TextChoices):
    EXACT = "exact", "Exact"
    ABOUT = "about", "About"
    MORE_THAN = "more_than", "More than"
    AT_LEAST = "at_least", "At least"
    UP_TO = "up_to", "Up to"
    LESS_THAN = "less_than", "Less than"
    RANGE = "range", "Range"


PREFIXES = {
    Qualifier.EXACT: "",
    Qualifier.ABOUT: "about ",
    Qualifier.MORE_THAN: "more than ",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.UP_TO: "up to ",
    Qualifier.LESS_THAN: "less than ",
    Qualifier.RANGE: "",
}

SCALES = [
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
]

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def format_quantity(low: Decimal, high: Decimal | None = None) -> str:
    """1600000000000 -> "1.6 trillion"; (400e6, 500e6) -> "400-500 million"; 1500 -> "1,500"."""
    top = max(low, high) if high is not None else low
    for factor, word in SCALES:
        if abs(top) >= factor and abs(low) >= factor / 1000:
            if high is None:
                return f"{_plain(low / factor)} {word}"
            return f"{_plain(low / factor)}-{_plain(high / factor)} {word}"
    if high is None:
        return f"{low.normalize():,f}"
    return f"{low.normalize():,f}-{high.normalize():,f}"


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str
    qualifier: Qualifier = Qualifier.EXACT
    amount_high: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", Decimal(self.amount))
        object.__setattr__(self, "qualifier", Qualifier(self.qualifier))
        if self.amount_high is not None:
            object.__setattr__(self, "amount_high", Decimal(self.amount_high))
        if not CURRENCY_CODE.match(self.currency or ""):
            raise ValueError(
                f"{self.currency!r} is not an ISO 4217 currency code such as RUB or EUR."
            )
        if self.amount <= 0:
            raise ValueError(f"An amount must be positive, not {self.amount}.")
        if (self.qualifier is Qualifier.RANGE) != (self.amount_high is not None):
            raise ValueError(
                "A range needs both a low and a high amount, and only a range has a high one."
            )
        if self.amount_high is not None and self.amount_high <= self.amount:
            raise ValueError(
                f"A range's high amount ({self.amount_high}) must be above its low ({self.amount})."
            )

    def __str__(self) -> str:
        return f"{PREFIXES[self.qualifier]}{self.currency} {format_quantity(self.amount, self.amount_high)}"
