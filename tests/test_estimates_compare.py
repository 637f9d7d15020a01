"""Which estimates compete (policies/measures.py): the same measure, in the same unit, of the same
jurisdiction. Pure: plain records, no database."""

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from policies.measures import Yardstick, by_measure, compare, competes, same_measure, yardstick


@dataclass(frozen=True)
class Figure:
    measure: str = "Industrial robot density"
    unit: str = ""
    currency: str = ""
    jurisdiction_id: int | None = 1
    name: str = ""  # tells the records apart in assertions


def test_it_compares_figures_of_one_measure_in_one_unit_of_one_jurisdiction():
    one = Figure(unit="robots per 10,000 workers")
    assert competes(one, Figure(unit="robots per 10,000 workers", name="another source"))


def test_it_never_groups_two_units_of_one_measure():
    per_ten_thousand = Figure(unit="robots per 10,000 workers")
    per_hundred_thousand = Figure(unit="robots per 100,000 workers")
    assert not same_measure(per_ten_thousand, per_hundred_thousand)
    assert not competes(per_ten_thousand, per_hundred_thousand)


def test_it_reads_units_that_differ_only_in_case_and_spacing_as_one():
    assert same_measure(
        Figure(unit="Robots per  10,000 workers"), Figure(unit="robots per 10,000 workers")
    )


def test_it_compares_money_in_any_currency_as_one_unit():
    euros = Figure(measure="Russian AI market size", currency="EUR")
    dollars = Figure(measure="Russian AI market size", currency="USD")
    assert competes(euros, dollars)


def test_it_never_compares_money_with_a_count():
    money = Figure(measure="Russian AI market size", currency="EUR")
    count = Figure(measure="Russian AI market size")
    assert not same_measure(money, count)


def test_it_does_not_read_one_measure_named_differently_as_the_same():
    assert not same_measure(Figure(measure="AI market size"), Figure(measure="AI market"))


def test_an_estimate_of_china_is_no_rival_of_one_of_russia():
    china, russia = Figure(unit="supercomputers", jurisdiction_id=2), Figure(unit="supercomputers")
    assert same_measure(china, russia)
    assert not competes(china, russia)


def test_an_estimate_about_no_jurisdiction_competes_only_with_others_about_none():
    nowhere = Figure(jurisdiction_id=None)
    assert competes(nowhere, Figure(jurisdiction_id=None, name="another"))
    assert not competes(nowhere, Figure(jurisdiction_id=1))


def test_it_splits_the_others_into_rivals_and_the_same_measure_elsewhere():
    russia = Figure(unit="supercomputers", name="Russia: 3")
    rival = Figure(unit="supercomputers", name="Russia: 4, another source")
    china = Figure(unit="supercomputers", jurisdiction_id=2, name="China: 228")
    other_unit = Figure(unit="% of the world's 500", name="Russia: 0.6 %")
    other_measure = Figure(measure="Supercomputer rank", unit="supercomputers")
    comparison = compare(russia, [china, rival, other_unit, other_measure])
    assert comparison.rivals == [rival]
    assert comparison.elsewhere == [china]


def test_it_groups_figures_by_measure_and_unit_where_each_group_first_appears():
    a = Figure(measure="A", unit="%", name="a1")
    b = Figure(measure="B", name="b1")
    a_again = Figure(measure="A", unit="%", jurisdiction_id=2, name="a2")
    a_money = Figure(measure="A", currency="RUB", name="a3")
    groups = by_measure([a, b, a_again, a_money])
    assert groups == [
        (Yardstick("A", False, "%"), [a, a_again]),
        (Yardstick("B", False, ""), [b]),
        (Yardstick("A", True, ""), [a_money]),
    ]


def test_a_heading_names_the_measure_and_its_unit_as_the_source_writes_it():
    assert str(yardstick(Figure(unit="GW"))) == "Industrial robot density (GW)"
    assert str(yardstick(Figure(currency="EUR"))) == "Industrial robot density (money)"
    assert str(yardstick(Figure(currency="EUR", unit="per year"))) == (
        "Industrial robot density (money, per year)"
    )
    assert str(yardstick(Figure())) == "Industrial robot density"


figures = st.builds(
    Figure,
    measure=st.sampled_from(["A", "B"]),
    unit=st.sampled_from(["", "%", " %", "rank", "Rank"]),
    currency=st.sampled_from(["", "EUR", "USD"]),
    jurisdiction_id=st.sampled_from([None, 1, 2]),
    name=st.text(max_size=3),
)


@given(figures, figures)
def test_competing_is_symmetric_and_implies_the_same_measure(one, other):
    assert competes(one, other) == competes(other, one)
    assert not competes(one, other) or same_measure(one, other)


@given(figures, st.lists(figures, max_size=12))
def test_a_comparison_shows_each_figure_of_the_measure_once_and_no_other(estimate, others):
    comparison = compare(estimate, others)
    shown = comparison.rivals + comparison.elsewhere
    assert sorted(map(id, shown)) == sorted(id(o) for o in others if same_measure(estimate, o))
    assert all(competes(estimate, r) for r in comparison.rivals)
    assert not any(competes(estimate, e) for e in comparison.elsewhere)


@given(st.lists(figures, max_size=20))
def test_grouping_keeps_every_figure_once_in_its_order_each_group_of_one_yardstick(items):
    groups = by_measure(items)
    assert sorted(map(id, [f for _, group in groups for f in group])) == sorted(map(id, items))
    assert len({key for key, _ in groups}) == len(groups)
    for key, group in groups:
        assert all(yardstick(f) == key for f in group)
        assert group == [f for f in items if yardstick(f) == key]
