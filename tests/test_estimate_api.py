"""/api/v1/estimates/ takes the estimates list's FilterSet, and its CSV and JSON Lines exports
name each figure's jurisdiction, publisher and unit."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories as make
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    russia = make.jurisdiction(code="RU", name="Russia")
    korea = make.jurisdiction(code="KR", name="South Korea")
    robots = {"measure": "Industrial robot density", "currency": "", "publisher": "Vedomosti"}
    return {
        "ru_robots": make.estimate(
            jurisdiction=russia,
            value=Decimal("4"),
            unit="robots per 10,000 workers",
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
            publisher="tadviser",
            **make.PUBLISHED,
        ),
        "draft": make.estimate(
            measure="Industrial robot density", publisher="SECRET", state=State.DRAFT
        ),
    }


def api_slugs(client, **params):
    response = client.get(reverse("api:estimate-list"), params)
    assert response.status_code == 200
    return {row["slug"] for row in response.json()["results"]}


def download(client, name, **params):
    response = client.get(reverse(f"api:estimate-{name}"), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"measure": "robot density"}, {"ru_robots", "kr_robots"}),
        ({"jurisdiction": "KR"}, {"kr_robots"}),
        ({"publisher": "TADVISER"}, {"market"}),
        ({"kind": "forecast"}, {"market"}),
        ({"unit": "robots per 10,000 workers"}, {"ru_robots"}),
        ({"unit": "EUR"}, {"market"}),
        ({"measure": "robot", "jurisdiction": "RU"}, {"ru_robots"}),
    ],
)
def test_the_api_filters_estimates_as_the_list_page_does(client, world, params, expected):
    assert api_slugs(client, **params) == {world[name].slug for name in expected}
    page = client.get("/estimates/", params).context["groups"]
    assert {e.slug for _, items in page for e in items} == {world[name].slug for name in expected}


def test_a_bad_filter_value_is_a_400_naming_it(client, world):
    response = client.get(reverse("api:estimate-list"), {"year": "abc"})
    assert response.status_code == 400
    assert "year" in response.json()


def test_the_csv_export_names_jurisdiction_publisher_and_unit(client, world):
    rows = list(csv.DictReader(io.StringIO(download(client, "export-csv", measure="robot"))))
    by_slug = {row["slug"]: row for row in rows}
    assert set(by_slug) == {world["ru_robots"].slug, world["kr_robots"].slug}
    korea = by_slug[world["kr_robots"].slug]
    assert korea["jurisdiction_code"] == "KR"
    assert korea["jurisdiction_name"] == "South Korea"
    assert korea["publisher"] == "Vedomosti"
    assert korea["unit"] == "robots per 100,000 workers"
    assert korea["currency"] == ""
    assert korea["display"] == "710 robots per 100,000 workers"


def test_the_csv_export_gives_money_its_currency(client, world):
    (row,) = csv.DictReader(io.StringIO(download(client, "export-csv", unit="EUR")))
    assert (row["currency"], row["unit"], row["jurisdiction_code"]) == ("EUR", "", "RU")


def test_the_json_lines_export_names_jurisdiction_publisher_and_unit(client, world):
    lines = download(client, "export-jsonl", jurisdiction="RU").strip().split("\n")
    records = {record["slug"]: record for record in map(json.loads, lines)}
    assert set(records) == {world["ru_robots"].slug, world["market"].slug}
    robots = records[world["ru_robots"].slug]
    assert robots["jurisdiction"]["code"] == "RU"
    assert (robots["publisher"], robots["unit"]) == ("Vedomosti", "robots per 10,000 workers")


def test_no_export_carries_a_draft(client, world):
    assert "SECRET" not in download(client, "export-csv")
    assert "SECRET" not in download(client, "export-jsonl", measure="robot")
