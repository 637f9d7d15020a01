"""Anonymous readers of the API see published entries only, through every endpoint and export."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from tests import factories
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

RESOURCES = [
    "jurisdiction",
    "actor",
    "policy",
    "commitment",
    "assessment",
    "funding",
    "event",
    "estimate",
    "source",
]


@pytest.fixture
def world(contributor, editor):
    """One published entry of each kind, and a draft, an in-review and an unpublished twin."""
    country = factories.jurisdiction(code="RU", name="Russia")
    policy = factories.published_policy(title="AI Strategy", jurisdiction=country)
    commitment = factories.published_commitment(title="Present the strategy", policy=policy)
    entries = {
        "jurisdiction": country,
        "actor": factories.actor(state=State.PUBLISHED, name="Sberbank"),
        "policy": policy,
        "commitment": commitment,
        "assessment": factories.published_assessment(commitment=commitment, summary="Signed late"),
        "funding": factories.funding(state=State.PUBLISHED, policy=policy, purpose="Public money"),
        "event": factories.event(state=State.PUBLISHED, title="Decree signed"),
        "estimate": factories.estimate(state=State.PUBLISHED, measure="Market size"),
        "source": factories.source(title="Published report"),
    }
    for entry in entries.values():
        factories.cite(entry, quote="A published passage.")
    hidden = {
        "policy": factories.policy(
            title="SECRET draft policy", jurisdiction=country, state=State.DRAFT
        ),
        "commitment": factories.commitment(
            title="SECRET in review", policy=policy, state=State.IN_REVIEW
        ),
        "event": factories.event(title="SECRET unpublished", state=State.UNPUBLISHED),
        "source": factories.source(title="SECRET draft source", state=State.DRAFT),
        "actor": factories.actor(name="SECRET draft actor"),
        "funding": factories.funding(purpose="SECRET draft funding", policy=policy),
        "estimate": factories.estimate(measure="SECRET draft estimate"),
    }
    factories.cite(policy, quote="SECRET quote from a draft source", source=hidden["source"])
    edit = workflow.entry_start_edit(commitment, by=contributor)
    edit.title = "SECRET unreviewed edit"
    workflow.entry_save(edit, by=contributor, seen_version=edit.version)
    return entries, hidden


def get(client, name, **params):
    return client.get(reverse(f"api:{name}"), params)


@pytest.mark.parametrize("resource", RESOURCES)
def test_lists_show_published_entries_and_nothing_else(client, world, resource):
    entries, _ = world
    response = get(client, f"{resource}-list")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert entries[resource].pk in ids
    assert "SECRET" not in response.text


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_hidden_entry_is_a_404_not_a_403(client, world, resource):
    entries, hidden = world
    assert (
        client.get(reverse(f"api:{resource}-detail", args=[entries[resource].pk])).status_code
        == 200
    )
    if resource in hidden:
        assert (
            client.get(reverse(f"api:{resource}-detail", args=[hidden[resource].pk])).status_code
            == 404
        )


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("export", ["export-csv", "export-jsonl"])
def test_exports_hold_nothing_unpublished(client, world, resource, export):
    response = get(client, f"{resource}-{export}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "SECRET" not in body
    assert body.strip()


def test_the_citations_list_quotes_only_published_sources_of_published_entries(client, world):
    response = get(client, "citation-list")
    assert "A published passage." in response.text
    assert "SECRET" not in response.text


def test_the_data_package_holds_the_published_dataset_only(client, world):
    response = get(client, "datapackage")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert [r["name"] for r in descriptor["resources"]] == [
        "sources",
        "jurisdictions",
        "actors",
        "policies",
        "commitments",
        "assessments",
        "funding",
        "events",
        "estimates",
    ]
    for resource in descriptor["resources"]:
        text = archive.read(resource["path"]).decode()
        assert "SECRET" not in text
        header = next(csv.reader(io.StringIO(text)))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
    commitments = next(r for r in descriptor["resources"] if r["name"] == "commitments")
    types = {f["name"]: f["type"] for f in commitments["schema"]["fields"]}
    assert types["due_start"] == "date"
    assert types["id"] == "integer"
    assert types["progress_overdue"] == "boolean"


def test_the_data_package_answers_304_until_something_is_published(
    client, world, contributor, editor
):
    first = get(client, "datapackage")
    since = first["Last-Modified"]
    assert (
        client.get(reverse("api:datapackage"), headers={"if-modified-since": since}).status_code
        == 304
    )


def test_a_published_entry_never_links_to_an_unpublished_one(client, contributor):
    country = factories.jurisdiction()
    draft_parent = factories.policy(title="SECRET parent", jurisdiction=country, state=State.DRAFT)
    child = factories.published_policy(jurisdiction=country, parent=draft_parent)
    data = client.get(reverse("api:policy-detail", args=[child.pk])).json()
    assert data["parent"] is None
    assert "SECRET" not in json.dumps(data)


def test_money_and_fuzzy_dates_are_structured_values_with_a_display_string(client):
    from decimal import Decimal

    policy = factories.published_policy()
    entry = factories.funding(
        state=State.PUBLISHED,
        policy=policy,
        amount=Decimal("280000000000"),
        qualifier="more_than",
        stated_amount=Decimal("3800000000"),
        stated_currency="EUR",
        stated_qualifier="about",
    )
    data = client.get(reverse("api:funding-detail", args=[entry.pk])).json()
    assert data["money"] == {
        "amount": "280000000000.0000",
        "amount_high": None,
        "currency": "RUB",
        "qualifier": "more_than",
        "display": "more than RUB 280 billion",
    }
    assert data["stated_equivalent"]["display"] == "about EUR 3.8 billion"
    pledge = factories.published_commitment(due="2024", policy=policy)
    due = client.get(reverse("api:commitment-detail", args=[pledge.pk])).json()["due"]
    assert due == {
        "value": "2024",
        "start": "2024-01-01",
        "end": "2024-12-31",
        "precision": "year",
        "display": "2024",
        "edtf": "2024",
    }


def test_the_data_package_refuses_as_of_as_every_read_of_the_api_does(client):
    response = client.get("/api/v1/datapackage.zip", {"as_of": "2020-01-01"})
    assert response.status_code == 400
    assert "as_of does not apply" in response.json()["as_of"][0]


def test_the_data_package_can_be_written_on_demand(world, tmp_path):
    from django.core.management import call_command

    target = tmp_path / "dataset.zip"
    call_command("export_datapackage", target)
    archive = zipfile.ZipFile(target)
    assert "datapackage.json" in archive.namelist()
    assert "SECRET" not in archive.read("data/policies.csv").decode()
