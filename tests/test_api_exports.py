"""Streaming exports: same filters as the lists, spreadsheet formulas defused, constant memory."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tracker.api.datapackage import resources
from tracker.api.exports import columns, neutralise

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
    with CaptureQueriesContext(connection) as queries:
        download(client, "commitment-export-csv")
    few = len(queries)  # now: the next request empties the connection's log
    assert few
    for _ in range(20):
        factories.published_commitment(policy=policy)
    with CaptureQueriesContext(connection) as queries:
        download(client, "commitment-export-csv")
    assert len(queries) == few


def commitments_of_every_shape():
    """Commitments that exercise each part of the representation, some with drafts around."""
    policy = factories.published_policy(slug="shapes")
    ministry = factories.actor(state="published", name="Ministry of Digital Development")
    draft_actor = factories.actor(name="An actor still in draft")
    late = factories.published_commitment(
        policy=policy,
        due="2019-10",
        pledged="10 October 2019",
        pledged_by=ministry,
        metric="Researchers trained",
        unit="people",
        baseline_value=Decimal("-12.5"),
        target_value=Decimal("1000"),
        description='Line one\nline two, with "quotes" and a comma',
    )
    factories.published_assessment(
        commitment=late, as_of="2021", status="delivered", delivered="2020-Q3"
    )
    factories.assessment(commitment=late, as_of="2022", status="missed")  # a draft verdict
    overdue = factories.published_commitment(policy=policy, due="2010s", pledged_by=draft_actor)
    factories.published_assessment(commitment=overdue, as_of="2015-06", status="stalled")
    factories.published_commitment(policy=policy, due=None, title="=CMD()")
    factories.cite(late, page="12", footnote="3", quote="The first passage.")
    factories.cite(late, section="Goals", source=factories.source(), quote="The second passage.")
    factories.cite(late, quote="From a source in draft.", source=factories.source(state="draft"))
    return policy


@pytest.mark.parametrize("reader", ["client", "editor_client"])
def test_the_exports_represent_each_commitment_exactly_as_the_api_does(reader, request):
    """The bulk exports read plain column values for speed; they must not differ in a field."""
    client = request.getfixturevalue(reader)
    commitments_of_every_shape()
    listed = client.get(reverse("api:commitment-list"), {"page_size": 1000}).json()["results"]
    exported = [
        json.loads(line) for line in download(client, "commitment-export-jsonl").split("\n") if line
    ]
    assert len(exported) == len(listed) >= 3
    for api_entry, export_entry in zip(listed, exported, strict=True):
        assert export_entry == api_entry
    rows = list(csv.DictReader(io.StringIO(download(client, "commitment-export-csv"))))
    late = next(row for row in rows if row["due_value"] == "2019-10")
    assert late["progress_label"] == "Delivered late"
    assert late["deadline"] == "by October 2019"
    assert late["baseline_value"].startswith("-12.5")
    assert [c["quote"] for c in json.loads(late["citations"])][:2] == [
        "The first passage.",
        "The second passage.",
    ]


def test_a_draft_source_s_passage_is_left_out_of_the_public_export(client):
    commitments_of_every_shape()
    text = download(client, "commitment-export-csv")
    assert "From a source in draft." not in text
    assert "An actor still in draft" not in text


def test_every_resource_s_csv_columns_have_distinct_names():
    for name, viewset in resources():
        names = [column.name for column in columns(viewset.serializer_class())]
        duplicates = {n for n in names if names.count(n) > 1}
        assert not duplicates, f"{name}: {duplicates}"


@pytest.mark.parametrize("reader", ["client", "editor_client"])
def test_a_draft_verdict_never_changes_a_commitment_s_progress_in_the_api(reader, request):
    client = request.getfixturevalue(reader)
    pledge = factories.published_commitment(due="2024")
    factories.published_assessment(commitment=pledge, as_of="2025-03", status="in_progress")
    factories.assessment(
        commitment=pledge, as_of="2025-06", status="delivered", delivered="2024-06"
    )
    detail = client.get(reverse("api:commitment-detail", args=[pledge.pk])).json()
    [listed] = client.get(reverse("api:commitment-list")).json()["results"]
    for entry in (detail, listed):
        assert entry["progress"]["status"] == "in_progress"
        assert entry["progress"]["overdue"] is True
        assert entry["progress"]["last_checked"]["value"] == "2025-03"
        assert entry["progress"]["delivered_on"] is None
