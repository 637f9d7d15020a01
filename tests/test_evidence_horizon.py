"""The evidence horizon on every surface: a check moves it, pages, API, CSV and feeds show it,
and nothing is called overdue beyond it (the derivation itself: tests/test_progress.py)."""

import csv
import io

import pytest
from django.urls import reverse

from policies.models import Assessment
from policies.progress import METHODOLOGY_VERSION
from tests import factories
from tests.admin_forms import client_for, form_data
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

CITATIONS = "sources-citation-content_type-object_id"


@pytest.fixture
def pledge():
    """Due by 2024, last judged in progress in May 2023: not checked since, today."""
    entry = factories.published_commitment(due="2024", title="Build a quantum computer by 2024")
    verdict = factories.published_assessment(commitment=entry, as_of="2023-05", summary="Begun.")
    factories.cite(verdict, quote="Work has begun.")
    return entry


def check_data(client, person, pledge, **fields):
    """The assessment add form as a contributor posts it for a check: no status, a note."""
    template = factories.assessment(commitment=pledge, created_by=person, as_of="2020")
    data = form_data(client.get(reverse("admin:policies_assessment_change", args=[template.pk])))
    template.delete()
    for name in list(data):
        if name.startswith(f"{CITATIONS}-0-"):
            del data[name]
    data.update(
        {
            f"{CITATIONS}-TOTAL_FORMS": "0",
            f"{CITATIONS}-INITIAL_FORMS": "0",
            "slug": "quantum-checked-2025-03",
            "status": "",
            "as_of": "2025-03-01",
            "summary": "Searched Rosatom's reports up to 1 March 2025: no computer announced.",
            **fields,
        }
    )
    return data


def test_a_contributor_records_a_check_with_a_note_and_an_editor_publishes_it(
    client, contributor, editor, pledge, settings
):
    settings.TRACKER_ALLOW_SELF_PUBLISH = False
    assert "Not checked since May 2023" in client.get(f"/commitments/{pledge.slug}/").text
    desk = client_for(contributor)
    response = desk.post(
        reverse("admin:policies_assessment_add"), check_data(desk, contributor, pledge)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    check = Assessment.objects.get(slug="quantum-checked-2025-03")
    assert check.is_check and check.state == State.DRAFT
    assert check.methodology == METHODOLOGY_VERSION
    # A draft check moves nothing public.
    assert "Not checked since May 2023" in client.get(f"/commitments/{pledge.slug}/").text
    workflow.entry_publish(workflow.entry_submit(check, by=contributor), by=editor)
    page = client.get(f"/commitments/{pledge.slug}/").text
    assert (
        "Overdue, at least 60 days late (about 2 months) when last checked (1 March 2025)" in page
    )
    assert "Evidence checked, no new verdict" in page
    assert "Searched Rosatom&#x27;s reports" in page


@pytest.mark.parametrize("person", ["contributor", "editor"])
def test_a_check_has_no_measured_value_and_says_so_on_the_form(request, person, pledge):
    user = request.getfixturevalue(person)
    desk = client_for(user)
    data = check_data(desk, user, pledge, actual_value="27")
    response = desk.post(reverse("admin:policies_assessment_add"), data)
    assert response.status_code == 200
    assert "A check gives no verdict, so it has no measured value" in response.text
    assert not Assessment.objects.filter(slug="quantum-checked-2025-03").exists()


def test_a_check_with_neither_a_note_nor_a_citation_cannot_be_published(
    contributor, editor, pledge
):
    check = factories.assessment(
        commitment=pledge, status="", as_of="2025-03", summary="", created_by=contributor
    )
    assert workflow.publication_problems(check) == [
        "It has no citation: add at least one source passage that supports it."
    ]


def test_a_check_citing_an_unpublished_source_cannot_be_published(pledge):
    check = factories.assessment(commitment=pledge, status="", as_of="2025-03", summary="Read.")
    factories.cite(check, source=factories.source(state=State.DRAFT, title="Leaked memo"))
    assert workflow.publication_problems(check) == [
        "It cites sources that are not published yet: Leaked memo."
    ]


def test_the_api_and_the_csv_say_when_a_commitment_was_last_checked(client, pledge):
    detail = client.get(f"/api/v1/commitments/{pledge.pk}/").json()["progress"]
    assert detail["last_checked"]["value"] == "2023-05"
    assert (detail["overdue"], detail["not_checked"]) == (False, True)
    assert detail["label"] == "Not checked since May 2023"
    export = client.get("/api/v1/commitments/csv/")
    text = b"".join(export.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["progress_last_checked_value"] == "2023-05"
    assert rows[0]["progress_not_checked"] == "true"
    [verdict] = client.get("/api/v1/assessments/").json()["results"]
    assert verdict["judged_by"] == "source"
    assert verdict["methodology"] == METHODOLOGY_VERSION


def test_the_timeline_and_the_lists_show_the_last_check(client, pledge):
    policy_page = client.get(f"/policies/{pledge.policy.slug}/").text
    assert 'class="unchecked"' in policy_page
    assert "<title>Not checked since May 2023</title>" in policy_page
    assert "Evidence last checked May 2023." in policy_page
    listed = client.get("/commitments/").text
    assert '<td data-label="Last checked">May 2023</td>' in listed
    assert "Not checked since May 2023" in listed


def test_the_feed_names_a_check_as_one(client, pledge):
    check = factories.published_assessment(
        commitment=pledge, status="", as_of="2025-03", summary="Nothing new in the reports."
    )
    feed = client.get("/feed/").text
    assert f"{pledge.title}: Evidence checked, no new verdict (as of {check.as_of})" in feed


def test_the_methodology_page_documents_the_vocabulary_the_derivations_and_the_version(client):
    page = client.get("/methodology/").text
    assert f"Version {METHODOLOGY_VERSION}" in page
    for words in [
        "The evidence horizon",
        "Not checked since",
        "Stalled",
        "The source&#x27;s own statement",
        "The government&#x27;s self-report",
        "The curators&#x27; reading of a source",
        "Not checked since due date",
    ]:
        assert words in page, words
    assert 'href="/methodology/"' in client.get("/").text
