"""The estimates list (/estimates/) and an estimate's page, as an anonymous reader sees them:
published estimates only, filtered by `EstimateFilter`, grouped by measure and unit, each row
naming its jurisdiction and publisher."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from tests import factories as make
from tracker.core.dates import FuzzyDate
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

# The data version; the jurisdictions of the filter form; the count and the page of estimates;
# their jurisdictions, loaded through the public door. However many estimates there are.
ESTIMATE_LIST_QUERIES = 5
# The data version; the estimate and its jurisdiction; the others of its measure and their
# jurisdictions; its citations with their sources.
# One more reads the day the estimate was first published, for its citation metadata
# (tracker.site.citing.first_published), and one its readers' corrections whose edit was
# published ("Corrected on", policies.selectors.corrections).
ESTIMATE_QUERIES = 8


def estimate(period=None, **fields):
    if period:
        when = FuzzyDate.parse(period)
        fields |= {"period_start": when.start, "period_end": when.end}
    return make.estimate(**fields)


def supercomputers(country, value, **fields):
    return estimate(
        **{
            "measure": "Supercomputers among the world's 500 most powerful computers",
            "jurisdiction": country,
            "value": Decimal(value),
            "currency": "",
            "unit": "supercomputers",
            "publisher": "Markotkin & Chernenko",
            "state": State.PUBLISHED,
            **fields,
        }
    )


@pytest.fixture
def world():
    russia = make.jurisdiction(code="RU", name="Russia")
    china = make.jurisdiction(code="CN", name="China")
    korea = make.jurisdiction(code="KR", name="South Korea")
    robots = {"measure": "Industrial robot density", "currency": "", "publisher": "Vedomosti"}
    return {
        "russia": russia,
        "china": china,
        "ru_supercomputers": supercomputers(russia, "3", period="2020"),
        "cn_supercomputers": supercomputers(china, "228"),
        "ru_rival": supercomputers(russia, "4", publisher="TOP500", slug="ru-rival"),
        "ru_robots": estimate(
            jurisdiction=russia,
            value=Decimal("4"),
            unit="robots per 10,000 workers",
            period="2017",
            **robots,
            **make.PUBLISHED,
        ),
        "kr_robots": make.estimate(
            jurisdiction=korea,
            value=Decimal("710"),
            unit="robots per 100,000 workers",
            **robots,
            **make.PUBLISHED,
        ),
        "market": make.estimate(
            measure="Russian AI market size",
            jurisdiction=russia,
            value=Decimal("380000000"),
            currency="EUR",
            kind="forecast",
            qualifier="about",
            publisher="tadviser",
            **make.PUBLISHED,
        ),
        "draft": make.estimate(measure="Draft market size", state=State.DRAFT),
        "withdrawn": make.estimate(measure="Withdrawn market size", state=State.UNPUBLISHED),
    }


def listed(client, query=""):
    response = client.get(f"/estimates/{query}")
    assert response.status_code == 200
    return response


def slugs(response):
    return {e.slug for _, items in response.context["groups"] for e in items}


def test_it_lists_published_estimates_and_never_a_draft(client, world):
    response = listed(client)
    assert "Draft market size" not in response.text
    assert "Withdrawn market size" not in response.text
    assert slugs(response) == {
        world[name].slug
        for name in (
            "ru_supercomputers",
            "cn_supercomputers",
            "ru_rival",
            "ru_robots",
            "kr_robots",
            "market",
        )
    }
    assert response.context["page"].paginator.count == 6


def test_it_is_in_the_top_menu(client, world):
    menu = client.get("/").text.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    assert 'href="/estimates/"' in menu
    assert 'href="/estimates/" aria-current="page"' in listed(client).text


def test_each_row_shows_value_unit_jurisdiction_period_publisher_and_kind(client, world):
    row = listed(client, "?measure=market").text.split("<tbody>")[1].split("</tbody>")[0]
    assert "Russian AI market size" in row and "(money)" in row
    assert f'href="/estimates/{world["market"].slug}/"' in row
    for shown in ("about EUR 380 million", "EUR", 'href="/jurisdictions/RU/">Russia', "tadviser"):
        assert shown in row
    assert "Forecast" in row


def test_it_groups_one_measure_in_two_units_as_two_measures(client, world):
    groups = listed(client, "?measure=robot").context["groups"]
    assert [(str(key), [e.slug for e in items]) for key, items in groups] == [
        ("Industrial robot density (robots per 10,000 workers)", [world["ru_robots"].slug]),
        ("Industrial robot density (robots per 100,000 workers)", [world["kr_robots"].slug]),
    ]


def test_within_a_group_rival_claims_stand_together_by_jurisdiction(client, world):
    (group,) = listed(client, "?unit=supercomputers").context["groups"]
    assert [e.jurisdiction.code for e in group[1]] == ["CN", "RU", "RU"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?measure=SUPERCOMPUTERS", {"ru_supercomputers", "cn_supercomputers", "ru_rival"}),
        ("?jurisdiction=CN", {"cn_supercomputers"}),
        ("?publisher=top500", {"ru_rival"}),
        ("?kind=forecast", {"market"}),
        ("?unit=robots per 100,000 workers", {"kr_robots"}),
        ("?unit=eur", {"market"}),
        ("?year=2017", {"ru_robots"}),
        ("?year=2020&jurisdiction=RU", {"ru_supercomputers"}),
        ("?q=vedomosti", {"ru_robots", "kr_robots"}),
        ("?measure=Draft", set()),
    ],
)
def test_its_filters_narrow_the_list(client, world, query, expected):
    assert slugs(listed(client, query)) == {world[name].slug for name in expected}


@pytest.mark.parametrize("query", ["?year=abc", "?kind=guess", "?jurisdiction=ZZ"])
def test_a_bad_filter_value_is_a_400_that_names_it(client, world, query):
    response = client.get(f"/estimates/{query}")
    assert response.status_code == 400
    assert 'class="field-error"' in response.text


def test_the_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    with django_assert_num_queries(ESTIMATE_LIST_QUERIES):
        listed(client)
    for n in range(20):
        supercomputers(make.jurisdiction(), str(n))
        make.estimate(state=State.DRAFT)
    cache.clear()
    with django_assert_num_queries(ESTIMATE_LIST_QUERIES):
        listed(client)


def test_an_estimate_page_shows_only_rivals_about_its_own_jurisdiction(client, world):
    response = client.get(f"/estimates/{world['ru_supercomputers'].slug}/")
    assert [e.slug for e in response.context["competing"]] == ["ru-rival"]
    assert [e.slug for e in response.context["elsewhere"]] == [world["cn_supercomputers"].slug]
    rivals = response.text.split('id="competing-heading"')[1].split("</section>")[0]
    assert "TOP500" in rivals and 'href="/jurisdictions/RU/">Russia' in rivals
    assert "228" not in rivals
    elsewhere = response.text.split('id="elsewhere-heading"')[1].split("</section>")[0]
    assert "228 supercomputers" in elsewhere and 'href="/jurisdictions/CN/">China' in elsewhere


def test_an_estimate_page_does_not_set_another_unit_beside_it(client, world):
    response = client.get(f"/estimates/{world['ru_robots'].slug}/")
    assert response.context["competing"] == [] and response.context["elsewhere"] == []
    assert "710" not in response.text
    assert "/estimates/?measure=Industrial%20robot%20density" in response.text


def test_an_estimate_page_never_shows_a_draft_rival(client, world):
    supercomputers(world["russia"], "99", state=State.DRAFT, publisher="SECRET draft")
    response = client.get(f"/estimates/{world['ru_supercomputers'].slug}/")
    assert "SECRET" not in response.text


def test_an_estimate_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries, world):
    make.cite(world["ru_supercomputers"], page="3")
    url = f"/estimates/{world['ru_supercomputers'].slug}/"
    with django_assert_num_queries(ESTIMATE_QUERIES):
        client.get(url)
    for n in range(10):
        supercomputers(make.jurisdiction(), str(n))
    cache.clear()
    with django_assert_num_queries(ESTIMATE_QUERIES):
        client.get(url)


def test_a_jurisdiction_page_groups_its_estimates_by_measure_and_unit(client, world):
    per_hundred = make.estimate(
        measure="Industrial robot density",
        jurisdiction=world["russia"],
        value=Decimal("40"),
        currency="",
        unit="robots per 100,000 workers",
        **make.PUBLISHED,
    )
    groups = client.get("/jurisdictions/RU/").context["estimates"]
    robots = [(str(key), items) for key, items in groups if key.measure.startswith("Industrial")]
    assert robots == [
        ("Industrial robot density (robots per 10,000 workers)", [world["ru_robots"]]),
        ("Industrial robot density (robots per 100,000 workers)", [per_hundred]),
    ]
