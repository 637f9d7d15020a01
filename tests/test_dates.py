"""Fuzzy dates read, display, sort and compare as precisely as their source, no more."""

import datetime as dt

import pytest
from edtf import parse_edtf
from hypothesis import given
from hypothesis import strategies as st

from tracker.core.dates import FuzzyDate, Precision


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "shown"),
    [
        (
            "2019-10-10",
            dt.date(2019, 10, 10),
            dt.date(2019, 10, 10),
            Precision.DAY,
            "10 October 2019",
        ),
        ("2019-10", dt.date(2019, 10, 1), dt.date(2019, 10, 31), Precision.MONTH, "October 2019"),
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29), Precision.MONTH, "February 2020"),
        ("2019-Q4", dt.date(2019, 10, 1), dt.date(2019, 12, 31), Precision.QUARTER, "Q4 2019"),
        ("Q1 2020", dt.date(2020, 1, 1), dt.date(2020, 3, 31), Precision.QUARTER, "Q1 2020"),
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), Precision.YEAR, "2024"),
        ("2010s", dt.date(2010, 1, 1), dt.date(2019, 12, 31), Precision.DECADE, "the 2010s"),
        ("the 2020s", dt.date(2020, 1, 1), dt.date(2029, 12, 31), Precision.DECADE, "the 2020s"),
        ("2019-36", dt.date(2019, 10, 1), dt.date(2019, 12, 31), Precision.QUARTER, "Q4 2019"),
        ("2020-33", dt.date(2020, 1, 1), dt.date(2020, 3, 31), Precision.QUARTER, "Q1 2020"),
        ("201X", dt.date(2010, 1, 1), dt.date(2019, 12, 31), Precision.DECADE, "the 2010s"),
        ("1 July 2019", dt.date(2019, 7, 1), dt.date(2019, 7, 1), Precision.DAY, "1 July 2019"),
        (
            "October 2019",
            dt.date(2019, 10, 1),
            dt.date(2019, 10, 31),
            Precision.MONTH,
            "October 2019",
        ),
    ],
)
def test_it_reads_each_precision_and_shows_it_as_people_write_it(
    text, start, end, precision, shown
):
    value = FuzzyDate.parse(text)
    assert (value.start, value.end, value.precision, str(value)) == (start, end, precision, shown)


@pytest.mark.parametrize(
    "text",
    ["", "soon", "2019-13", "2019-02-30", "2019-Q5", "2019-37", "20XX", "20190", "Octember 2019"],
)
def test_it_refuses_what_is_not_a_date_with_the_forms_it_accepts(text):
    with pytest.raises(ValueError, match="not a"):
        FuzzyDate.parse(text)


def test_it_refuses_bounds_that_are_not_one_whole_period():
    with pytest.raises(ValueError, match="is not one day, month, quarter, year or decade"):
        FuzzyDate(dt.date(2019, 1, 5), dt.date(2019, 3, 1))


def test_it_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="cannot end"):
        FuzzyDate(dt.date(2019, 2, 1), dt.date(2019, 1, 1))


def test_a_year_deadline_passes_only_after_its_last_day():
    by_2024 = FuzzyDate.year(2024)
    assert by_2024.as_deadline() == "by 2024"
    assert not by_2024.has_passed(dt.date(2024, 12, 31))
    assert by_2024.has_passed(dt.date(2025, 1, 1))


def test_a_day_deadline_passes_the_next_day():
    by_july = FuzzyDate.day(2019, 7, 1)
    assert by_july.as_deadline() == "by 1 July 2019"
    assert not by_july.has_passed(dt.date(2019, 7, 1))
    assert by_july.has_passed(dt.date(2019, 7, 2))


def test_a_decade_deadline_reads_as_the_end_of_the_decade():
    assert FuzzyDate.decade(2023).as_deadline() == "by the end of the 2020s"


def test_dates_sort_by_start_with_the_finer_first():
    values = [
        FuzzyDate.year(2019),
        FuzzyDate.day(2019, 1, 1),
        FuzzyDate.month(2018, 12),
        FuzzyDate.decade(2010),
    ]
    assert [str(v) for v in sorted(values)] == [
        "the 2010s",
        "December 2018",
        "1 January 2019",
        "2019",
    ]


def test_slippage_is_measured_between_the_ends_of_the_periods():
    due, signed = FuzzyDate.day(2019, 7, 1), FuzzyDate.day(2019, 10, 10)
    assert signed.days_after(due) == 101
    assert FuzzyDate.month(2019, 10).days_after(FuzzyDate.month(2019, 7)) == 92


@given(
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9989, 12, 31)),
    st.sampled_from(list(Precision)),
)
def test_every_period_reads_back_from_its_machine_form_and_contains_its_day(day, precision):
    value = FuzzyDate.of(precision, day)
    assert FuzzyDate.parse(value.isoformat()) == value
    assert value.contains(day)
    assert value.precision is precision


@given(
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9989, 12, 31)),
    st.sampled_from(list(Precision)),
)
def test_every_period_in_edtf_is_read_by_an_edtf_library_as_the_same_period(day, precision):
    value = FuzzyDate.of(precision, day)
    parsed = parse_edtf(value.edtf())
    assert dt.date(*parsed.lower_strict()[:3]) == value.start
    assert dt.date(*parsed.upper_strict()[:3]) == value.end
    assert FuzzyDate.parse(value.edtf()) == value  # and the site reads it back, admin included


def test_each_precision_has_its_edtf_form():
    assert [
        FuzzyDate.parse(t).edtf() for t in ("2019-10-10", "2019-10", "Q4 2019", "2019", "2010s")
    ] == [
        "2019-10-10",
        "2019-10",
        "2019-36",
        "2019",
        "201X",
    ]
