"""The compare page names a few commitments a year for each jurisdiction, counts them all, and
links to the list of the others: its size does not grow with the jurisdictions' records."""

import pytest
from django.core.cache import cache

from tests import factories as make
from tracker.site import views

pytestmark = pytest.mark.django_db


def pledges(policy, n, *, due="2024", start=0):
    for i in range(start, start + n):
        make.published_commitment(policy=policy, due=due, title=f"Pledge {i:04d} of {policy.pk}")


@pytest.fixture
def countries():
    russia = make.published_policy(jurisdiction=make.jurisdiction(code="RU", name="Russia"))
    china = make.published_policy(jurisdiction=make.jurisdiction(code="CN", name="China"))
    pledges(russia, 12)
    pledges(china, 2)
    pledges(russia, 7, due=None, start=100)
    return russia, china


def cells(response):
    return {label: cells for label, cells in response.context["rows"]}


def test_each_cell_names_a_few_and_links_to_them_all(client, countries):
    response = client.get("/compare/?jurisdiction=RU&jurisdiction=CN")
    assert response.status_code == 200
    russia, china = cells(response)["2024"]
    assert len(russia.shown) == views.COMPARE_CELL
    assert russia.total == 12
    assert [c.due.end.year for c in russia.shown] == [2024] * views.COMPARE_CELL
    assert (len(china.shown), china.total) == (2, 2)
    text = response.text
    assert "Showing 5 of 12: " in text
    assert 'href="/commitments/?jurisdiction=RU&amp;due_year=2024"' in text
    assert "holds every one due in 2024" in text
    # The linked list holds every one of the cell's commitments.
    listed = client.get(russia.everything_url).context["page"].paginator.count
    assert listed == 12
    undated, _ = cells(response)[views.NO_DEADLINE]
    assert undated.total == 7
    assert undated.everything_url == "/commitments/?jurisdiction=RU"
    card, _ = response.context["scorecards"]
    assert card.total == 19


def test_the_page_weighs_the_same_for_four_times_the_commitments(client, countries):
    russia, china = countries
    before = len(client.get("/compare/?jurisdiction=RU&jurisdiction=CN").content)
    pledges(russia, 36, start=200)
    pledges(china, 36, start=200)
    cache.clear()
    response = client.get("/compare/?jurisdiction=RU&jurisdiction=CN")
    assert [card.total for card in response.context["scorecards"]] == [55, 38]
    # Three more commitments named (China's cell filled up to five), of 72 added: the page
    # grows by three rows (about 300 bytes each), not by seventy-two.
    assert len(response.content) - before < 3 * 400


def test_it_compares_five_jurisdictions_at_most(client, countries):
    codes = ["RU", "CN", *(make.jurisdiction().code for _ in range(views.COMPARE_MOST))]
    response = client.get("/compare/", {"jurisdiction": codes})
    assert response.status_code == 400
    assert f"compare {views.COMPARE_MOST} at most at once, not {len(codes)}" in response.text
    assert [j.code for j in response.context["chosen"]] == codes[: views.COMPARE_MOST]
    shown = codes[: views.COMPARE_MOST]
    assert client.get("/compare/", {"jurisdiction": shown}).status_code == 200
