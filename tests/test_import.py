"""Bulk import: a dry run reports every row, then one transaction imports all rows as drafts, or none."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from policies.models import Commitment
from sources.models import Citation
from tests import factories
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"
HEADER = "slug,policy,title,kind,due,citation_source,citation_section,citation_quote\n"
GOOD_ROWS = (
    "present-strategy,ru-ai,Present the strategy,deliverable,2019-07-01,report,Introduction,to be presented by 1 July 2019\n"
    "leadership-2030,ru-ai,Global leadership,capability,2030,report,Introduction,a global leadership role by 2030\n"
)


@pytest.fixture(autouse=True)
def references():
    factories.policy(slug="ru-ai")
    factories.source(slug="report")


def upload(client, content: bytes, *, name="commitments.csv", format=CSV):
    return client.post(
        reverse("admin:policies_commitment_import"),
        {"format": format, "import_file": SimpleUploadedFile(name, content)},
    )


def confirm(client, dry_run_response):
    form = dry_run_response.context["confirm_form"]
    return client.post(reverse("admin:policies_commitment_process_import"), form.initial)


def test_a_good_file_shows_a_dry_run_then_imports_drafts_owned_by_the_importer(
    contributor_client, contributor
):
    dry_run = upload(contributor_client, (HEADER + GOOD_ROWS).encode())
    assert dry_run.status_code == 200
    assert "present-strategy" in dry_run.text and "New" in dry_run.text
    assert not Commitment.objects.exists()  # a dry run writes nothing

    confirm(contributor_client, dry_run)
    imported = Commitment.objects.order_by("slug")
    assert [c.slug for c in imported] == ["leadership-2030", "present-strategy"]
    assert {c.state for c in imported} == {State.DRAFT}
    assert {c.created_by for c in imported} == {contributor}
    assert str(imported.get(slug="present-strategy").due) == "1 July 2019"
    assert (
        Citation.objects.get(object_id=imported.get(slug="leadership-2030").pk).quote
        == "a global leadership role by 2030"
    )


def test_an_xlsx_file_imports_the_same_way(contributor_client):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in (HEADER + GOOD_ROWS).strip().split("\n"):
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    dry_run = upload(contributor_client, buffer.getvalue(), name="commitments.xlsx", format=XLSX)
    confirm(contributor_client, dry_run)
    assert Commitment.objects.count() == 2


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row_and_column(contributor_client):
    bad = "no-policy,missing-policy,Bad row,deliverable,next summer,report,Introduction,a quote\n"
    response = upload(contributor_client, (HEADER + GOOD_ROWS + bad).encode())
    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 3
    errors = invalid.error_dict
    assert "No policy has the slug 'missing-policy'." in " ".join(errors["policy"])
    assert "is not a date this site understands" in " ".join(errors["due"])
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Commitment.objects.exists()
    assert not Citation.objects.exists()


def test_a_row_may_not_overwrite_a_published_entry(contributor_client):
    factories.commitment(slug="present-strategy", state=State.PUBLISHED, title="Published title")
    response = upload(contributor_client, (HEADER + GOOD_ROWS).encode())
    assert response.context["result"].has_validation_errors()
    assert "only drafts you may edit can be updated by an import" in response.text
    assert Commitment.objects.get(slug="present-strategy").title == "Published title"


def test_a_file_in_the_wrong_format_is_refused_with_a_message(contributor_client):
    response = upload(contributor_client, b"\x00\x01 not a spreadsheet", name="c.xlsx", format=XLSX)
    assert response.status_code == 200
    assert not Commitment.objects.exists()
    form = response.context["form"]
    assert form.errors


def test_a_file_without_the_key_column_is_refused(contributor_client):
    response = upload(contributor_client, b"title,policy\nSomething,ru-ai\n")
    assert "The file needs a column named slug" in response.text
    assert not Commitment.objects.exists()


def test_people_without_the_add_permission_cannot_import(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    assert client.get(reverse("admin:policies_commitment_import")).status_code == 403


def test_importing_the_same_file_twice_cites_each_passage_once(contributor_client, contributor):
    confirm(contributor_client, upload(contributor_client, (HEADER + GOOD_ROWS).encode()))
    confirm(contributor_client, upload(contributor_client, (HEADER + GOOD_ROWS).encode()))
    assert Commitment.objects.count() == 2
    assert Citation.objects.count() == 2


def test_an_imported_update_is_a_version_saved_by_the_workflow(contributor_client, contributor):
    confirm(contributor_client, upload(contributor_client, (HEADER + GOOD_ROWS).encode()))
    renamed = GOOD_ROWS.replace("Global leadership", "Global AI leadership")
    confirm(contributor_client, upload(contributor_client, (HEADER + renamed).encode()))
    entry = Commitment.objects.get(slug="leadership-2030")
    assert (entry.title, entry.version, entry.state) == ("Global AI leadership", 2, State.DRAFT)
    latest = entry.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (contributor, "imported")


def test_a_state_column_in_the_file_is_ignored_rows_arrive_as_drafts(contributor_client):
    header = HEADER.strip() + ",state,version\n"
    rows = "".join(line + ",published,99\n" for line in GOOD_ROWS.strip().split("\n"))
    confirm(contributor_client, upload(contributor_client, (header + rows).encode()))
    assert set(Commitment.objects.values_list("state", "version")) == {(State.DRAFT, 1)}


def test_an_imported_entry_has_one_creation_record_written_after_its_citation(
    contributor_client, contributor
):
    confirm(contributor_client, upload(contributor_client, (HEADER + GOOD_ROWS).encode()))

    entry = Commitment.objects.get(slug="leadership-2030")
    [record] = entry.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        contributor,
        "imported",
    )
    assert (record.state, record.version) == (State.DRAFT, 1)
    cited = workflow.citations_at(entry, record.history_date)
    assert [c.quote for c in cited] == ["a global leadership role by 2030"]
    # Four eyes counts the importer as the entry's author.
    assert workflow.authors_since_publication(entry) == {contributor.pk}


def test_a_commitment_row_may_name_the_funding_pledge_it_tracks_and_not_an_allocation(
    contributor_client,
):
    policy = Commitment._meta.get_field("policy").related_model.objects.get(slug="ru-ai")
    factories.funding(slug="pledge", policy=policy, kind="pledged")
    factories.funding(slug="allocation", policy=policy, kind="allocated")
    header = HEADER.replace("\n", ",funding\n")
    row = (
        "invest,ru-ai,Invest the pledge,deliverable,2024,report,Introduction,will be invested,{}\n"
    )
    refused = upload(contributor_client, (header + row.format("allocation")).encode())
    assert "not pledged" in refused.text
    confirm(
        contributor_client, upload(contributor_client, (header + row.format("pledge")).encode())
    )
    assert Commitment.objects.get(slug="invest").funding.slug == "pledge"


def test_a_misquote_of_a_source_holding_its_text_is_refused_with_the_closest_passage(
    contributor_client,
):
    from sources.models import Source

    source = Source.objects.get(slug="report")
    source.text = "The strategy is to be presented by 1 July 2019.\fIt seeks a global leadership role by 2030."
    source.save()
    misquote = GOOD_ROWS.replace("by 2030", "by 2035")
    response = upload(contributor_client, (HEADER + misquote).encode())
    assert response.context["result"].has_validation_errors()
    assert "The closest passage (p. 2) reads" in response.text
    good = confirm(contributor_client, upload(contributor_client, (HEADER + GOOD_ROWS).encode()))
    assert good.status_code == 302
    pages = dict(Citation.objects.values_list("quote", "located_page"))
    assert pages == {"to be presented by 1 July 2019": "1", "a global leadership role by 2030": "2"}
    assert set(Citation.objects.values_list("verified", flat=True)) == {True}
