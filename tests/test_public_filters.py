"""Lists filter through the FilterSets in policies/filters.py, from the query string."""

import pytest

from policies import selectors
from policies.filters import CommitmentFilter, EventFilter, FundingFilter, PolicyFilter
from tests import factories as make
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


def slugs(filterset):
    assert filterset.is_valid(), filterset.errors
    return sorted(item.slug for item in filterset.qs)


def test_it_finds_a_commitment_due_by_a_fuzzy_year():
    strategy = make.published_policy()
    by_2024 = make.published_commitment(policy=strategy, due="2024")
    by_q3 = make.published_commitment(policy=strategy, due="2024-Q3")
    decade = make.published_commitment(policy=strategy, due="2020s")
    make.published_commitment(policy=strategy, due="2025")
    found = slugs(CommitmentFilter({"due_year": "2024"}, queryset=selectors.commitments()))
    assert found == sorted([by_2024.slug, by_q3.slug, decade.slug])


def test_it_filters_commitments_by_derived_status():
    strategy = make.published_policy()
    late = make.published_commitment(policy=strategy, due="2019-07-01")
    make.published_assessment(
        commitment=late, status="delivered", as_of="2019-10-10", delivered="2019-10-10"
    )
    overdue = make.published_commitment(policy=strategy, due="2020")
    make.published_assessment(commitment=overdue, status="in_progress", as_of="2021-06")
    unchecked = make.published_commitment(policy=strategy, due="2020")
    make.published_assessment(commitment=unchecked, status="in_progress", as_of="2020-06")
    future = make.published_commitment(policy=strategy, due="2990")
    # A draft verdict does not make an overdue commitment delivered.
    make.assessment(commitment=overdue, status="delivered", as_of="2022", delivered="2022")

    def find(status):
        return slugs(CommitmentFilter({"status": status}, queryset=selectors.commitments()))

    assert find("overdue") == [overdue.slug]
    assert find("not_checked") == [unchecked.slug]
    assert find("delivered_late") == [late.slug]
    assert find("delivered") == [late.slug]
    assert find("in_progress") == sorted([overdue.slug, unchecked.slug])
    assert find("no_evidence") == [future.slug]


def test_it_filters_by_jurisdiction_code_and_policy_slug():
    russia = make.jurisdiction(code="RU")
    china = make.jurisdiction(code="CN")
    ours = make.published_commitment(policy=make.published_policy(jurisdiction=russia))
    make.published_commitment(policy=make.published_policy(jurisdiction=china))
    assert slugs(CommitmentFilter({"jurisdiction": "RU"}, queryset=selectors.commitments())) == [
        ours.slug
    ]
    assert slugs(
        CommitmentFilter({"policy": ours.policy.slug}, queryset=selectors.commitments())
    ) == [ours.slug]
    assert slugs(PolicyFilter({"jurisdiction": "CN"}, queryset=selectors.policies())) == [
        p.slug for p in selectors.policies().filter(jurisdiction=china)
    ]


def test_it_refuses_an_unpublished_jurisdiction_code():
    make.jurisdiction(code="XX", state=State.DRAFT)
    filterset = CommitmentFilter({"jurisdiction": "XX"}, queryset=selectors.commitments())
    assert not filterset.is_valid()
    assert "jurisdiction" in filterset.errors


def test_it_filters_events_and_funding_by_year():
    event = make.event(occurred="2019-10", **make.PUBLISHED)
    make.event(occurred="2021", **make.PUBLISHED)
    assert slugs(EventFilter({"year": "2019"}, queryset=selectors.events())) == [event.slug]
    pledge = make.funding(**make.PUBLISHED)
    pledge.period_start, pledge.period_end = "2019", "2024"
    pledge.save()
    make.funding(**make.PUBLISHED)
    assert slugs(FundingFilter({"year": "2021"}, queryset=selectors.funding())) == [pledge.slug]


@pytest.mark.parametrize(
    "query",
    ["status=bogus", "due_year=abc", "due_year=20245", "jurisdiction=ZZ", "kind=nonsense"],
)
def test_it_answers_a_bad_filter_with_a_clear_400(client, query):
    response = client.get(f"/commitments/?{query}")
    assert response.status_code == 400
    assert "This address asks for something the site cannot show" in response.text
    assert query.split("=")[0] in response.text


def test_it_keeps_filters_in_the_query_string_for_sharing(client):
    strategy = make.published_policy()
    make.published_commitment(policy=strategy, due="2020", title="Old pledge")
    make.published_commitment(policy=strategy, due="2990", title="Far pledge")
    response = client.get("/commitments/?status=not_checked")
    assert response.status_code == 200
    assert "Old pledge" in response.text
    assert "Far pledge" not in response.text
    assert 'value="not_checked" selected' in response.text
