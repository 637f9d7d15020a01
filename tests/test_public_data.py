"""Data at hand: every public list links to its CSV, JSON Lines and API, filtered as the list
is; the data page lists every export, the data package and its licence, the API docs and the
feeds."""

import csv
import io

import pytest
from django.urls import reverse

from tests import factories as make

pytestmark = pytest.mark.django_db

LISTS = {
    "/policies/": "policy",
    "/commitments/": "commitment",
    "/events/": "event",
    "/funding/": "funding",
    "/actors/": "actor",
    "/estimates/": "estimate",
    "/sources/": "source",
}


@pytest.fixture
def one_of_each():
    policy = make.published_policy()
    make.published_commitment(policy=policy)
    make.event(**make.PUBLISHED)
    make.funding(policy=policy, **make.PUBLISHED)
    make.actor(**make.PUBLISHED)
    make.estimate(**make.PUBLISHED)
    make.source(**make.PUBLISHED)


@pytest.mark.parametrize(("url", "name"), LISTS.items())
def test_every_list_links_to_its_downloads(client, one_of_each, url, name):
    html = client.get(url).text
    assert "Download all:" in html
    for route in ("export-csv", "export-jsonl", "list"):
        assert f'href="{reverse(f"api:{name}-{route}")}"' in html


def test_the_downloads_carry_the_list_s_filters_and_give_the_same_entries(client):
    russia, china = make.jurisdiction(code="RU"), make.jurisdiction(code="CN")
    make.published_commitment(
        policy=make.published_policy(jurisdiction=russia), title="Russian pledge"
    )
    make.published_commitment(
        policy=make.published_policy(jurisdiction=china), title="Chinese pledge"
    )
    html = client.get("/commitments/", {"jurisdiction": "RU"}).text
    csv_url = f"{reverse('api:commitment-export-csv')}?jurisdiction=RU"
    assert "Download these:" in html and f'href="{csv_url}"' in html
    body = b"".join(client.get(csv_url).streaming_content).decode()
    assert "Russian pledge" in body and "Chinese pledge" not in body
    listed = client.get(f"{reverse('api:commitment-list')}?jurisdiction=RU").json()
    assert [row["title"] for row in listed["results"]] == ["Russian pledge"]


def test_the_data_page_lists_every_way_to_the_data(client):
    html = client.get("/data/").text
    for name in (
        "jurisdiction",
        "actor",
        "policy",
        "commitment",
        "assessment",
        "funding",
        "event",
        "estimate",
        "source",
    ):
        assert reverse(f"api:{name}-export-csv") in html
    assert reverse("api:datapackage") in html
    # The package's licence, as its descriptor states it, and the quotes' own rights.
    assert 'rel="license">Creative Commons Attribution 4.0</a>' in html
    assert "stay under their sources' own rights" in html
    assert reverse("api-docs") in html and reverse("api-schema") in html
    assert reverse("feed") in html


def test_every_page_links_to_the_data_page(client):
    assert 'href="/data/"' in client.get("/").text


def test_a_commitment_carries_its_jurisdiction_in_the_api_and_the_csv(client):
    russia = make.jurisdiction(code="RU", name="Russia")
    pledge = make.published_commitment(policy=make.published_policy(jurisdiction=russia))
    row = client.get(f"/api/v1/commitments/{pledge.pk}/").json()
    assert (row["jurisdiction"], row["jurisdiction_name"]) == ("RU", "Russia")
    (listed,) = client.get("/api/v1/commitments/").json()["results"]
    assert (listed["jurisdiction"], listed["jurisdiction_name"]) == ("RU", "Russia")
    body = b"".join(client.get("/api/v1/commitments/csv/").streaming_content).decode()
    (exported,) = csv.DictReader(io.StringIO(body))
    assert (exported["jurisdiction"], exported["jurisdiction_name"]) == ("RU", "Russia")
