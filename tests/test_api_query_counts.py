"""Every API list costs a fixed number of queries, whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

# Pinned: the data version (the ETag and Last-Modified of a public read), the list query, then
# one per prefetch (citations, the resource's relations, and each optional link that some
# entry of the page has, loaded through the public door; a funding entry's trackers are one).
# Commitments are read as stored for the public (tracker/api/stored.py): the data version and
# the list, the stored rows joined to it.
LIST_QUERIES = {
    "jurisdiction": 3,
    "actor": 4,
    "policy": 4,
    "commitment": 2,
    "assessment": 3,
    "funding": 5,
    "event": 7,
    "estimate": 3,
    "source": 3,
    "citation": 2,
}


def build(resource, n):
    for _ in range(n):
        factories.cite(build_one(resource))


def build_one(resource):
    policy = factories.published_policy()
    pledge = factories.funding(state=State.PUBLISHED, policy=policy, funder=factories.actor())
    # Each commitment tracks a pledge, each pledge is tracked: both ends of the link are read.
    commitment = factories.published_commitment(policy=policy, funding=pledge)
    if resource == "event":
        entry = factories.event(state=State.PUBLISHED, jurisdiction=policy.jurisdiction)
        entry.policies.add(policy)
        entry.commitments.add(commitment)
        return entry
    builders = {
        "jurisdiction": lambda: policy.jurisdiction,
        "actor": lambda: factories.actor(state=State.PUBLISHED, jurisdiction=policy.jurisdiction),
        "policy": lambda: policy,
        "commitment": lambda: commitment,
        "assessment": lambda: factories.published_assessment(commitment=commitment),
        "funding": lambda: pledge,
        "estimate": lambda: factories.estimate(state=State.PUBLISHED),
        "source": factories.source,
        "citation": lambda: policy,
    }
    return builders[resource]()


def count(client, resource, page_size):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"api:{resource}-list"), {"page_size": page_size})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("resource", sorted(LIST_QUERIES))
def test_a_list_page_costs_the_same_queries_for_2_rows_as_for_12(client, resource):
    build(resource, 12)
    small, shown_small = count(client, resource, 2)
    large, shown_large = count(client, resource, 50)
    assert shown_small == 2 and shown_large >= 12
    assert small == large == LIST_QUERIES[resource]


# A commitment by id: the data version and the entry, as stored.
COMMITMENT_DETAIL_QUERIES = 2


def test_a_commitment_s_detail_costs_a_fixed_number_of_queries(client):
    policy = factories.published_policy()
    pledge = factories.funding(state=State.PUBLISHED, policy=policy, funder=factories.actor())
    commitment = factories.published_commitment(
        policy=policy, funding=pledge, pledged_by=factories.actor(state=State.PUBLISHED)
    )
    factories.cite(commitment)
    factories.published_assessment(commitment=commitment)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api:commitment-detail", args=[commitment.pk]))
    assert response.status_code == 200
    assert response.json()["pledged_by"]["id"] == commitment.pledged_by.pk
    assert response.json()["funding"]["id"] == commitment.funding_id
    assert len(queries) == COMMITMENT_DETAIL_QUERIES
