"""The import page lists every column an import reads, the citation's too, with whether it is
required and how to write it, and offers an example file made from the same list, which imports
beside the shipped dataset."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from policies.imports import (
    CITATION_COLUMNS,
    CommitmentResource,
    EstimateResource,
    EventResource,
    FundingResource,
)
from sources.models import Source
from sources.passages import unescape_markdown
from tests.shared_rows import rows_for_a_scope
from tracker.core import spreadsheets
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

RESOURCES = {
    "commitment": CommitmentResource,
    "funding": FundingResource,
    "event": EventResource,
    "estimate": EstimateResource,
}
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
EUREN_TEXT = "000_fd3ba4c6aff91447.txt"  # the brief's text_file in fixtures/euren-brief-2.json


def page_url(kind):
    return reverse(f"admin:policies_{kind}_import")


def example_url(kind):
    return reverse(f"admin:policies_{kind}_import_example")


@pytest.mark.parametrize("resource", RESOURCES.values(), ids=RESOURCES)
def test_the_columns_listed_are_exactly_those_the_resource_reads_in_file_order(resource):
    reads = [field.column_name for field in resource().get_import_fields()]
    assert [column.name for column in resource().columns()] == [*reads, *CITATION_COLUMNS]


@pytest.mark.parametrize("kind", RESOURCES)
def test_the_page_lists_every_column_and_links_to_the_example(staff_client, kind):
    page = staff_client.get(page_url(kind))
    assert page.status_code == 200
    assert page.context["columns"] == RESOURCES[kind]().columns()
    for column in page.context["columns"]:
        assert f"<code>{column.name}</code>" in page.text
    assert "<code>citation_quote</code>" in page.text
    assert "This importer will import the following fields" not in page.text
    assert example_url(kind) in page.text


def test_each_column_says_what_it_holds_and_how_to_write_it():
    columns = {column.name: column for column in CommitmentResource().columns()}
    assert columns["policy"].written == "Policy slug"
    assert "Q4 2019" in columns["due"].written and "“by 2024” is 2024" in columns["due"].written
    assert "quantitative_target (Quantitative target)" in columns["kind"].written
    assert columns["kind"].written.endswith("left empty: deliverable")
    assert "A quote needs at least one of citation_page" in columns["citation_section"].holds
    assert "verbatim" in columns["citation_quote"].holds
    funding = {column.name: column for column in FundingResource().columns()}
    assert "more_than (More than)" in funding["qualifier"].written
    assert funding["amount_high"].holds == "Amount high. Only for a range"
    assert "separated by |" in {c.name: c for c in EventResource().columns()}["actors"].written


@pytest.mark.parametrize("kind", RESOURCES)
def test_the_example_downloads_as_csv_with_the_listed_columns(staff_client, kind):
    response = staff_client.get(example_url(kind))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    dataset = spreadsheets.CSV().create_dataset(response.content)
    assert dataset.headers == [column.name for column in RESOURCES[kind]().columns()]
    assert len(dataset) == len(RESOURCES[kind].examples) >= 1
    assert all(row["citation_quote"] for row in dataset.dict)


@pytest.mark.parametrize("resource", RESOURCES.values(), ids=RESOURCES)
def test_each_example_cites_a_passage_as_the_shipped_dataset_cites_it(resource):
    brief = json.loads((ROOT / "fixtures" / "euren-brief-2.json").read_text(encoding="utf-8"))
    cited = {
        tuple(citation[field] for field in CITATION_COLUMNS.values())
        for records in brief.values()
        for record in records
        for citation in record.get("citations", [])
    }
    for row in resource.examples:
        assert tuple(row.get(column, "") for column in CITATION_COLUMNS) in cited, row["slug"]


def test_people_without_the_add_permission_get_neither_the_page_nor_the_example(
    client, django_user_model
):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    assert client.get(page_url("commitment")).status_code == 403
    assert client.get(example_url("commitment")).status_code == 403


@pytest.fixture(scope="class")
def shipped(shipped_dataset, django_db_blocker):
    """fixtures/ (conftest.py), with the EUREN brief's text when it is beside the repository,
    attached as `load_documents --texts` attaches it, so that the examples' quotes of the brief
    are checked. (Loading every text would check each shipped quote again, which takes far
    longer: tests/test_load_documents.py does that.)"""

    def attach_the_text():
        if SEEDS.is_dir():
            brief = Source.objects.get(slug="euren-brief-2-2019")
            brief.text = unescape_markdown((SEEDS / EUREN_TEXT).read_text(encoding="utf-8"))
            brief.save()

    yield from rows_for_a_scope(django_db_blocker, attach_the_text)


class TestTheExampleFiles:
    """The example files, imported beside the shipped dataset, whose entries they restate."""

    @pytest.mark.parametrize("kind", RESOURCES)
    def test_each_imports_through_the_page_as_drafts_with_their_citations(
        self, shipped, contributor_client, contributor, kind
    ):
        example = contributor_client.get(example_url(kind)).content
        dry_run = contributor_client.post(
            page_url(kind),
            {"format": "0", "import_file": SimpleUploadedFile(f"{kind}.csv", example)},
        )
        assert dry_run.status_code == 200
        assert not dry_run.context["result"].has_validation_errors()
        confirmed = contributor_client.post(
            reverse(f"admin:policies_{kind}_process_import"),
            dry_run.context["confirm_form"].initial,
        )
        assert confirmed.status_code == 302

        resource = RESOURCES[kind]
        imported = resource._meta.model.objects.filter(slug__startswith="example-")
        assert sorted(e.slug for e in imported) == sorted(r["slug"] for r in resource.examples)
        assert {(e.state, e.created_by) for e in imported} == {(State.DRAFT, contributor)}
        quotes = {row["slug"]: row["citation_quote"] for row in resource.examples}
        for entry in imported:
            [citation] = entry.citations.all()
            assert citation.quote == quotes[entry.slug]
            assert citation.source.slug == "euren-brief-2-2019"
            # Found in the document's text, where the test has it.
            assert citation.verified is (True if SEEDS.is_dir() else None)

    @pytest.mark.parametrize("kind", RESOURCES)
    def test_a_row_needs_its_required_columns_and_no_other(self, shipped, contributor, kind):
        resource = RESOURCES[kind]
        columns = resource().columns()
        required = {column.name for column in columns if column.required}
        first = resource.examples[0]

        def passes(row):
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=[column.name for column in columns])
            writer.writeheader()
            writer.writerow(row)
            dataset = spreadsheets.CSV().create_dataset(text.getvalue().encode())
            result = resource().import_data(dataset, dry_run=True, user=contributor)
            return not (result.has_errors() or result.has_validation_errors())

        assert passes({name: first[name] for name in required})
        for name in required:
            assert not passes({n: first[n] for n in required - {name}}), name
