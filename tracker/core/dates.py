"""Fuzzy dates: a date known to a precision (day, month, quarter, year, decade).

A fuzzy date is stored as the first and last day of the period it names, so the
database can filter and order on it; its precision follows from those bounds.
"By 2024" ends on 2024-12-31, so it is overdue only from 2025-01-01.
"""

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    DECADE = "decade"


MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})

# EDTF (ISO 8601-2) writes a quarter as its year and 33 to 36, and a decade with its last digit
# unspecified: 2019-34, 201X.
EDTF_QUARTER_BASE = 32
# Each machine form `parse` reads, and the period its numbers name. The EDTF quarter comes before
# the month, which 2019-34 would otherwise be.
_ISO_PATTERNS: list[tuple[re.Pattern[str], Callable[..., "FuzzyDate"]]] = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), lambda y, m, d: FuzzyDate.day(y, m, d)),
    (re.compile(r"^(\d{4})-(3[3-6])$"), lambda y, q: FuzzyDate.quarter(y, q - EDTF_QUARTER_BASE)),
    (re.compile(r"^(\d{3})X$"), lambda first: FuzzyDate.decade(first * 10)),
    (re.compile(r"^(\d{4})-(\d{2})$"), lambda y, m: FuzzyDate.month(y, m)),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE), lambda y, q: FuzzyDate.quarter(y, q)),
    (re.compile(r"^Q([1-4])\s+(\d{4})$", re.IGNORECASE), lambda q, y: FuzzyDate.quarter(y, q)),
    (re.compile(r"^(\d{4})$"), lambda y: FuzzyDate.year(y)),
    (
        re.compile(r"^(?:the\s+)?(\d{3})0s$", re.IGNORECASE),
        lambda first: FuzzyDate.decade(first * 10),
    ),
]
_WORDS_DAY = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$")
_WORDS_MONTH = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")

# How `parse` may be given a date, as its error and the import's list of columns say it.
WRITTEN_FORMS = (
    "2019-10-10, 2019-10, 2019-Q4 (or Q4 2019), 2019 or 2010s (or 10 October 2019, October 2019;"
    " or in EDTF, 2019-36 for Q4 2019 and 201X for the 2010s)"
)


def _last_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True, slots=True)
class FuzzyDate:
    """The period [start, end]; ordering is by start, then by end (finer first)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"A date range cannot end ({self.end}) before it starts ({self.start})."
            )
        # Validates that the bounds name one whole period of a known precision.
        self.precision  # noqa: B018

    @classmethod
    def day(cls, year: int, month: int, day: int) -> "FuzzyDate":
        value = dt.date(year, month, day)
        return cls(value, value)

    @classmethod
    def month(cls, year: int, month: int) -> "FuzzyDate":
        return cls(dt.date(year, month, 1), _last_of_month(year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "FuzzyDate":
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"A quarter is 1 to 4, not {quarter}.")
        first = 3 * quarter - 2
        return cls(dt.date(year, first, 1), _last_of_month(year, first + 2))

    @classmethod
    def year(cls, year: int) -> "FuzzyDate":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def decade(cls, year: int) -> "FuzzyDate":
        first = year - year % 10
        return cls(dt.date(first, 1, 1), dt.date(first + 9, 12, 31))

    @classmethod
    def of(cls, precision: Precision | str, value: dt.date) -> "FuzzyDate":
        """The period of the given precision that contains `value`."""
        match Precision(precision):
            case Precision.DAY:
                return cls.day(value.year, value.month, value.day)
            case Precision.MONTH:
                return cls.month(value.year, value.month)
            case Precision.QUARTER:
                return cls.quarter(value.year, (value.month - 1) // 3 + 1)
            case Precision.YEAR:
                return cls.year(value.year)
            case Precision.DECADE:
                return cls.decade(value.year)

    @classmethod
    def parse(cls, text: str) -> "FuzzyDate":
        """Read "2019-10-10", "2019-10", "2019-Q3", "2019", "2010s", "10 October 2019", "October 2019"."""
        raw = " ".join(str(text).split())
        try:
            for pattern, period in _ISO_PATTERNS:
                if match := pattern.match(raw):
                    return period(*(int(g) for g in match.groups()))
            if (match := _WORDS_DAY.match(raw)) and match.group(2).lower() in MONTHS:
                return cls.day(
                    int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1))
                )
            if (match := _WORDS_MONTH.match(raw)) and match.group(1).lower() in MONTHS:
                return cls.month(int(match.group(2)), MONTHS[match.group(1).lower()])
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a valid date: {exc}.") from None
        raise ValueError(f"{text!r} is not a date this site understands. Write {WRITTEN_FORMS}.")

    @property
    def precision(self) -> Precision:
        return _precision(self.start, self.end)

    def isoformat(self) -> str:
        """The machine form that `parse` reads back: 2019-10-10, 2019-10, 2019-Q4, 2019, 2010s."""
        match self.precision:
            case Precision.DAY:
                return self.start.isoformat()
            case Precision.MONTH:
                return f"{self.start.year}-{self.start.month:02d}"
            case Precision.QUARTER:
                return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
            case Precision.YEAR:
                return str(self.start.year)
            case Precision.DECADE:
                return f"{self.start.year}s"

    def edtf(self) -> str:
        """The date in EDTF (ISO 8601-2), as library and archive software reads it: 2019-10-10,
        2019-10, 2019-36 (Q4 2019), 2019, 201X (the 2010s)."""
        match self.precision:
            case Precision.QUARTER:
                return f"{self.start.year}-{EDTF_QUARTER_BASE + (self.start.month - 1) // 3 + 1}"
            case Precision.DECADE:
                return f"{self.start.year // 10}X"
            case _:
                return self.isoformat()

    def __str__(self) -> str:
        match self.precision:
            case Precision.DAY:
                return f"{self.start.day} {calendar.month_name[self.start.month]} {self.start.year}"
            case Precision.MONTH:
                return f"{calendar.month_name[self.start.month]} {self.start.year}"
            case Precision.QUARTER:
                return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
            case Precision.YEAR:
                return str(self.start.year)
            case Precision.DECADE:
                return f"the {self.start.year}s"

    def as_deadline(self) -> str:
        """How a due date reads: "by 1 July 2019", "by 2024", "by the end of the 2020s"."""
        if self.precision is Precision.DECADE:
            return f"by the end of the {self.start.year}s"
        return f"by {self}"

    def has_passed(self, today: dt.date) -> bool:
        """True once the whole period is over: "2024" has passed only from 2025-01-01."""
        return today > self.end

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def days_after(self, other: "FuzzyDate") -> int:
        """Days from the end of `other` to the end of this period; positive when this is later.

        Slippage is measured end to end, so a promise "by July 2019" met "in October 2019"
        slipped by the three months between the two month ends, not by a false daily precision.
        """
        return (self.end - other.end).days


@functools.lru_cache(maxsize=2**16)
def period(start: dt.date, end: dt.date) -> FuzzyDate:
    """`FuzzyDate(start, end)`, shared: lists read the same few thousand periods many times,
    and a FuzzyDate is immutable."""
    return FuzzyDate(start, end)


def optional_period(start: dt.date | None, end: dt.date | None) -> FuzzyDate | None:
    """`period(start, end)`, or None for a date not given (both columns empty)."""
    return None if start is None or end is None else period(start, end)


@functools.lru_cache(maxsize=2**16)
def _precision(start: dt.date, end: dt.date) -> Precision:
    """The precision of the period [start, end] (remembered: lists read thousands of dates)."""
    if start == end:
        return Precision.DAY
    if start.day == 1 and end == _last_of_month(start.year, start.month):
        return Precision.MONTH
    if (
        start.day == 1
        and start.month in (1, 4, 7, 10)
        and end == _last_of_month(start.year, start.month + 2)
    ):
        return Precision.QUARTER
    if (start.month, start.day) == (1, 1) and end == dt.date(start.year, 12, 31):
        return Precision.YEAR
    if (
        (start.month, start.day) == (1, 1)
        and start.year % 10 == 0
        and end == dt.date(start.year + 9, 12, 31)
    ):
        return Precision.DECADE
    raise ValueError(f"{start} to {end} is not one day, month, quarter, year or decade.")
