"""The database refuses what must never hold, and model validation says why in words."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from policies.models import Commitment, Estimate, Funding, Policy, PolicyActor
from sources.models import Citation
from tests import factories

pytestmark = pytest.mark.django_db


def refused_by_database(build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def refused_by_validation(instance, message):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    assert message in str(caught.value)


def test_a_policy_slug_is_unique():
    first = factories.policy()
    refused_by_database(lambda: factories.policy(slug=first.slug))


def test_a_citation_needs_a_quote_that_is_not_blank():
    record = factories.policy()
    refused_by_database(lambda: factories.cite(record, quote="   "))
    refused_by_validation(
        Citation(record=record, source=factories.source(), quote="  ", section="Intro"),
        "needs the quoted passage",
    )


def test_a_citation_needs_a_locator():
    record = factories.policy()
    refused_by_database(lambda: factories.cite(record, section=""))


def test_a_funding_amount_must_be_positive():
    refused_by_database(lambda: factories.funding(amount=Decimal("0")))
    refused_by_validation(
        Funding(slug="f", kind="pledged", amount=Decimal("-1"), currency="RUB"),
        "An amount must be positive.",
    )


def test_a_funding_range_needs_its_high_above_its_low():
    refused_by_database(
        lambda: factories.funding(
            qualifier="range", amount=Decimal("500"), amount_high=Decimal("400")
        )
    )
    refused_by_database(lambda: factories.funding(qualifier="range", amount=Decimal("500")))
    refused_by_database(
        lambda: factories.funding(qualifier="about", amount_high=Decimal("9000000"))
    )
    ranged = factories.funding(
        qualifier="range", amount=Decimal("400"), amount_high=Decimal("500"), currency="EUR"
    )
    assert str(ranged.money) == "EUR 400-500"


def test_a_currency_is_an_iso_code():
    refused_by_database(lambda: factories.funding(currency="rub"))
    refused_by_validation(
        Funding(slug="f", kind="pledged", amount=Decimal("1"), currency="R1B"), "ISO 4217"
    )


def test_a_stated_equivalent_is_all_or_nothing():
    refused_by_database(lambda: factories.funding(stated_amount=Decimal("5")))
    kept = factories.funding(
        stated_amount=Decimal("22000000000"), stated_currency="EUR", stated_qualifier="about"
    )
    assert str(kept.stated_equivalent) == "about EUR 22 billion"


def test_a_fuzzy_date_stores_a_whole_period_in_order():
    refused_by_database(
        lambda: Commitment.objects.create(
            slug="c",
            title="t",
            policy=factories.policy(),
            due_start=dt.date(2024, 12, 31),
            due_end=dt.date(2024, 1, 1),
        )
    )
    refused_by_database(
        lambda: Commitment.objects.create(
            slug="c", title="t", policy=factories.policy(), due_start=dt.date(2024, 1, 1)
        )
    )


def test_a_commitment_cannot_fall_due_before_it_was_pledged():
    item = Commitment(slug="c", title="t", policy=factories.policy())
    item.pledged, item.due = "2020", "2019"
    refused_by_validation(item, "cannot be due before it was pledged")


def test_a_target_value_needs_its_metric():
    item = Commitment(slug="c", title="t", policy=factories.policy(), target_value=Decimal("30"))
    refused_by_validation(item, "needs the metric it measures")


def test_an_assessment_needs_its_date():
    pledge = factories.commitment()
    refused_by_database(lambda: pledge.assessments.create(slug="a", status="in_progress"))


def test_only_a_delivered_commitment_has_a_delivery_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.assessment(status="in_progress", delivered="2019-10-10")
    assert factories.assessment(
        status="delivered", delivered="2019-10-10", as_of="2020-12"
    ).delivered


def test_a_delivery_cannot_be_dated_after_the_assessment_reporting_it():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.assessment(status="delivered", delivered="2021-01", as_of="2020-12")


def test_a_policy_cannot_be_its_own_parent():
    item = factories.policy()
    item.parent = item
    refused_by_validation(item, "cannot be its own parent")
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.filter(pk=item.pk).update(parent=item)


def test_a_horizon_ends_after_it_starts():
    item = factories.policy()
    item.horizon_start, item.horizon_end = "2030", "2019"
    refused_by_validation(item, "horizon must end after it starts")


def test_an_actor_has_each_role_in_a_policy_once():
    item, someone = factories.policy(), factories.actor()
    PolicyActor.objects.create(policy=item, actor=someone, role="leads")
    refused_by_database(
        lambda: PolicyActor.objects.create(policy=item, actor=someone, role="leads")
    )


def test_an_estimate_range_and_currency_are_checked():
    refused_by_database(
        lambda: factories.estimate(qualifier="range", value=Decimal("5"), value_high=Decimal("1"))
    )
    refused_by_database(lambda: factories.estimate(currency="usd"))
    share = factories.estimate(currency="", unit="%", value=Decimal("30"), qualifier="about")
    assert share.value_display == "about 30%"


def test_an_estimate_for_money_reads_with_its_currency():
    market = Estimate(measure="m", value=Decimal("380000000"), currency="USD", qualifier="exact")
    assert market.value_display == "USD 380 million"


def test_a_wikidata_id_looks_like_one():
    item = factories.policy()
    item.wikidata_id = "wikidata:123"
    refused_by_validation(item, "A Wikidata id looks like Q12345.")
