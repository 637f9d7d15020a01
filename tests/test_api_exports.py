"""Streaming exports: same filters as the lists, spreadsheet formulas defused, constant memory."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tracker.exports import neutralise

pytestmark = pytest.mark.django_db


def download(client, name, **params):
    response = client.get(reverse(f"api:{name}"), params)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("\tx", "'\tx"),
        ("-5", "-5"),
        ("-12.50", "-12.50"),
        ("Plain text", "Plain text"),
    ],
)
def test_formulas_are_defused_and_numbers_kept(value, safe):
    assert neutralise(value) == safe


def test_a_csv_export_applies_the_list_filters_and_defuses_formulas(client):
    policy = factories.published_policy(slug="ru-ai")
    factories.published_commitment(slug="one", policy=policy, title='=HYPERLINK("http://evil")')
    factories.published_commitment(slug="two", policy=factories.published_policy(slug="other"))
    rows = list(
        csv.DictReader(io.StringIO(download(client, "commitment-export-csv", policy="ru-ai")))
    )
    assert [r["slug"] for r in rows] == ["one"]
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["due_start"] == "2024-01-01"
    assert rows[0]["policy_slug"] == "ru-ai"


def test_a_jsonl_export_has_one_api_object_per_line(client):
    factories.published_commitment(slug="one")
    lines = download(client, "commitment-export-jsonl").strip().split("\n")
    assert json.loads(lines[0])["slug"] == "one"


def test_a_bad_filter_on_an_export_is_a_400(client):
    assert client.get(reverse("api:commitment-export-csv"), {"due_year": "x"}).status_code == 400


def test_the_export_reads_rows_in_chunks_so_queries_do_not_grow_per_row(client):
    policy = factories.published_policy()
    for _ in range(5):
        factories.published_commitment(policy=policy)
    with CaptureQueriesContext(connection) as few:
        download(client, "commitment-export-csv")
    for _ in range(20):
        factories.published_commitment(policy=policy)
    with CaptureQueriesContext(connection) as many:
        download(client, "commitment-export-csv")
    assert len(many) == len(few)
