"""Money is shown as the source states it, in its own currency, never converted."""

from decimal import Decimal

import pytest

from tracker.core.money import Money, Qualifier


@pytest.mark.parametrize(
    ("money", "shown"),
    [
        (Money(Decimal("1600000000000"), "RUB"), "RUB 1.6 trillion"),
        (Money(Decimal("280000000000"), "RUB", Qualifier.MORE_THAN), "more than RUB 280 billion"),
        (Money(Decimal("22000000000"), "EUR", Qualifier.ABOUT), "about EUR 22 billion"),
        (
            Money(Decimal("400000000"), "EUR", Qualifier.RANGE, Decimal("500000000")),
            "EUR 400-500 million",
        ),
        (Money(Decimal("35000000000"), "RUB", Qualifier.UP_TO), "up to RUB 35 billion"),
        (Money(Decimal("23000000000"), "RUB", Qualifier.AT_LEAST), "at least RUB 23 billion"),
        (Money(Decimal("1500"), "USD", Qualifier.LESS_THAN), "less than USD 1,500"),
        (
            Money(Decimal("9500000"), "EUR", Qualifier.RANGE, Decimal("10500000")),
            "EUR 9.5-10.5 million",
        ),
    ],
)
def test_it_formats_amounts_with_their_qualifier_and_scale(money, shown):
    assert str(money) == shown


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"amount": Decimal("0"), "currency": "RUB"}, "must be positive"),
        ({"amount": Decimal("-5"), "currency": "RUB"}, "must be positive"),
        ({"amount": Decimal("5"), "currency": "roubles"}, "not an ISO 4217 currency code"),
        (
            {"amount": Decimal("5"), "currency": "RUB", "qualifier": Qualifier.RANGE},
            "A range needs both",
        ),
        (
            {"amount": Decimal("5"), "currency": "RUB", "amount_high": Decimal("6")},
            "A range needs both",
        ),
        (
            {
                "amount": Decimal("5"),
                "currency": "RUB",
                "qualifier": Qualifier.RANGE,
                "amount_high": Decimal("4"),
            },
            "must be above its low",
        ),
    ],
)
def test_it_refuses_money_that_cannot_be_right(kwargs, reason):
    with pytest.raises(ValueError, match=reason):
        Money(**kwargs)
