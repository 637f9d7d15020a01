"""A money pledge can be the target of a commitment: linked both ways, on the pages, in the API
and its CSV, and overdue, not checked or delivered through its assessments like any pledge."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from policies.models import Commitment, Funding
from tests import factories
from tests.admin_forms import client_for, form_data
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

CITATIONS = "sources-citation-content_type-object_id"


@pytest.fixture
def russia():
    return factories.jurisdiction(code="RU", name="Russia")


@pytest.fixture
def national_project(russia):
    return factories.published_policy(
        slug="digital-economy", title="Digital Economy", jurisdiction=russia
    )


@pytest.fixture
def strategy(russia, national_project):
    return factories.published_policy(
        slug="ai-strategy", title="AI Strategy", jurisdiction=russia, parent=national_project
    )


@pytest.fixture
def pledge(national_project):
    """ "RUB 1.6 trillion ... invested or contracted up to 2024", pledged for the national
    project."""
    entry = factories.funding(
        slug="one-point-six-trillion",
        policy=national_project,
        kind=Funding.Kind.PLEDGED,
        amount=Decimal("1600000000000"),
        state=State.PUBLISHED,
    )
    entry.period_end = "2024"
    entry.save()
    factories.cite(entry, quote="RUB 1.6 trillion to be invested or contracted up to 2024.")
    return entry


def tracking(pledge, policy, **fields):
    return factories.published_commitment(
        slug="invest-1-6-trillion",
        title="Invest RUB 1.6 trillion by 2024",
        policy=policy,
        due="2024",
        funding=pledge,
        **fields,
    )


def refusal(entry) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        entry.full_clean()
    return caught.value.message_dict


# -- the rule ----------------------------------------------------------------------------


def test_a_commitment_may_track_a_pledge_of_another_policy_of_its_jurisdiction(strategy, pledge):
    tracking(pledge, strategy).full_clean()


def test_a_commitment_may_track_a_pledge_of_no_policy(strategy):
    spoken = factories.funding(kind=Funding.Kind.PLEDGED, policy=None)
    tracking(spoken, strategy).full_clean()


@pytest.mark.parametrize("kind", [Funding.Kind.ALLOCATED, Funding.Kind.SPENT])
def test_it_refuses_to_track_money_allocated_or_spent_saying_what_to_do(strategy, kind):
    money = factories.funding(kind=kind, policy=strategy)
    errors = refusal(tracking(money, strategy))
    (message,) = errors["funding"]
    assert f"it records money {kind.label.lower()}, not pledged" in message
    assert "delivers against" in message


def test_it_refuses_a_pledge_of_another_jurisdiction_naming_both(strategy):
    china = factories.jurisdiction(code="CN", name="China")
    plan = factories.published_policy(title="New Generation AI Plan", jurisdiction=china)
    foreign = factories.funding(kind=Funding.Kind.PLEDGED, policy=plan)
    (message,) = refusal(tracking(foreign, strategy))["funding"]
    assert "pledged for New Generation AI Plan (China)" in message
    assert "AI Strategy, is of Russia" in message


def test_it_refuses_the_pending_edit_of_a_pledge(strategy, pledge, editor):
    edit = workflow.entry_start_edit(pledge, by=editor)
    (message,) = refusal(tracking(edit, strategy))["funding"]
    assert "choose the entry itself" in message


def test_a_tracked_pledge_cannot_become_an_allocation(strategy, pledge):
    commitment = tracking(pledge, strategy)
    pledge.kind = Funding.Kind.ALLOCATED
    (message,) = refusal(pledge)["kind"]
    assert f"The commitment “{commitment.title}” tracks this pledge" in message


def test_a_tracked_pledge_cannot_move_to_another_jurisdiction(strategy, pledge):
    tracking(pledge, strategy)
    pledge.policy = factories.published_policy(jurisdiction=factories.jurisdiction(name="China"))
    assert "is of Russia" in refusal(pledge)["policy"][0]


def test_an_edit_turning_a_tracked_pledge_into_spending_is_not_published(
    strategy, pledge, contributor, editor
):
    tracking(pledge, strategy)
    edit = workflow.entry_start_edit(pledge, by=contributor)
    edit.kind = Funding.Kind.SPENT
    edit.save()  # around the form, as a stale row would be: publishing must still refuse it
    workflow.entry_submit(edit, by=contributor)
    with pytest.raises(workflow.WorkflowError, match="tracks this pledge"):
        workflow.entry_publish(edit, by=editor)
    assert Funding.objects.get(pk=pledge.pk).kind == Funding.Kind.PLEDGED


# -- the admin ---------------------------------------------------------------------------


def commitment_form(policy, funding, source, **overrides):
    return {
        "slug": "invest-1-6-trillion",
        "policy": policy.pk,
        "title": "Invest RUB 1.6 trillion by 2024",
        "description": "",
        "kind": "quantitative_target",
        "pledged_by": "",
        "pledged": "2019",
        "due": "2024",
        "metric": "",
        "unit": "",
        "baseline_value": "",
        "target_value": "",
        "funding": "" if funding is None else str(funding),
        f"{CITATIONS}-TOTAL_FORMS": "1",
        f"{CITATIONS}-INITIAL_FORMS": "0",
        f"{CITATIONS}-MIN_NUM_FORMS": "0",
        f"{CITATIONS}-MAX_NUM_FORMS": "1000",
        f"{CITATIONS}-0-source": source.pk,
        f"{CITATIONS}-0-section": "Funding",
        f"{CITATIONS}-0-quote": "up to 2024",
        f"{CITATIONS}-0-position": "0",
        "tracker-transition-content_type-object_id-TOTAL_FORMS": "0",
        "tracker-transition-content_type-object_id-INITIAL_FORMS": "0",
        "tracker-transition-content_type-object_id-MIN_NUM_FORMS": "0",
        "tracker-transition-content_type-object_id-MAX_NUM_FORMS": "1000",
        **overrides,
    }


ADD = reverse("admin:policies_commitment_add")


def test_a_researcher_links_a_commitment_to_its_pledge_in_the_admin(staff_client, strategy, pledge):
    response = staff_client.post(
        ADD, commitment_form(strategy, pledge.pk, factories.source()), follow=True
    )
    assert response.status_code == 200
    saved = Commitment.objects.get(slug="invest-1-6-trillion")
    assert saved.funding == pledge
    assert saved.state == State.DRAFT and saved.version == 1
    # Saved through the workflow: one version, with the link in its history.
    assert saved.history.get().funding_id == pledge.pk


@pytest.mark.parametrize(
    ("posted", "reason"),
    [
        ("allocation", "not pledged"),
        ("abc", "Select a valid choice"),
        ("999999999", "Select a valid choice"),
        ("99999999999999999999999", "Select a valid choice"),
    ],
)
def test_a_link_it_cannot_track_is_a_form_error_and_nothing_is_saved(
    staff_client, strategy, posted, reason
):
    if posted == "allocation":
        posted = str(factories.funding(kind=Funding.Kind.ALLOCATED, policy=strategy).pk)
    response = staff_client.post(ADD, commitment_form(strategy, posted, factories.source()))
    assert response.status_code == 200
    assert reason in response.context["adminform"].form.errors["funding"][0]
    assert not Commitment.objects.exists()


def test_the_pledge_chooser_offers_pledges_only(staff_client, editor, strategy, pledge):
    factories.funding(kind=Funding.Kind.SPENT, policy=strategy, purpose="Spent already")
    workflow.entry_start_edit(pledge, by=editor)  # nor the pending edit of a pledge
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "policies",
            "model_name": "commitment",
            "field_name": "funding",
            "term": "",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(pledge.pk)]


def test_the_funding_page_in_the_admin_names_its_trackers_read_only(
    superuser_client, editor, strategy, pledge
):
    commitment = tracking(pledge, strategy)
    workflow.entry_start_edit(commitment, by=editor)  # its pending edit is no second tracker
    page = superuser_client.get(reverse("admin:policies_funding_change", args=[pledge.pk]))
    assert page.status_code == 200
    text = page.text
    assert "Tracked by the commitments" in text
    assert reverse("admin:policies_commitment_change", args=[commitment.pk]) in text
    assert text.count("Invest RUB 1.6 trillion by 2024</a> (published)") == 1
    assert "tracked_by_display" not in form_data(page)


def test_an_edit_of_a_published_commitment_carries_its_pledge_through_review(
    contributor, editor, other_editor, strategy, pledge
):
    commitment = tracking(pledge, strategy)
    factories.cite(commitment)
    other = factories.funding(slug="other-pledge", policy=strategy, state=State.PUBLISHED)
    edit = workflow.entry_start_edit(commitment, by=contributor)
    assert edit.funding == pledge
    client = client_for(contributor)
    url = reverse("admin:policies_commitment_change", args=[edit.pk])
    data = form_data(client.get(url))
    data["funding"] = str(other.pk)
    assert client.post(url, data).status_code == 302
    assert Commitment.objects.get(pk=commitment.pk).funding == pledge  # live until reviewed
    workflow.entry_publish(workflow.entry_submit(edit, by=contributor), by=editor)
    published = Commitment.objects.get(pk=commitment.pk)
    assert published.funding == other
    first = published.history.order_by("history_date").first()
    reverted = workflow.entry_revert(published, to_version=first, by=other_editor)
    assert reverted.funding == pledge  # a revert brings the link back, as a pending edit


# -- the public pages --------------------------------------------------------------------


def test_the_commitment_page_names_the_pledge_it_tracks(client, strategy, pledge):
    commitment = tracking(pledge, strategy)
    factories.cite(commitment)
    page = client.get(reverse("commitment", args=[commitment.slug])).text
    assert "Tracks the pledge" in page
    assert (
        f'<a href="{reverse("funding", args=[pledge.slug])}">RUB 1.6 trillion</a>, up to 2024'
        in page
    )


def test_the_commitment_page_is_silent_about_a_pledge_that_is_not_public(client, strategy):
    hidden = factories.funding(slug="hidden-pledge", policy=strategy, state=State.IN_REVIEW)
    commitment = tracking(hidden, strategy)
    page = client.get(reverse("commitment", args=[commitment.slug])).text
    assert "Tracks the pledge" not in page
    assert "hidden-pledge" not in page


def test_an_unpublished_pledge_leaves_its_commitment_public_without_the_link(
    client, editor, strategy, pledge
):
    commitment = tracking(pledge, strategy)
    workflow.entry_unpublish(pledge, by=editor, reason="The figure was misread.")
    page = client.get(reverse("commitment", args=[commitment.slug]))
    assert page.status_code == 200
    assert "Tracks the pledge" not in page.text
    api = client.get(reverse("api:commitment-detail", args=[commitment.pk])).json()
    assert api["funding"] is None


def test_the_funding_page_shows_the_commitment_and_its_derived_status(
    client, today, strategy, pledge
):
    commitment = tracking(pledge, strategy)
    factories.published_assessment(commitment=commitment, as_of="2025-03", status="in_progress")
    # A draft verdict is nobody's yet: it moves no status.
    factories.assessment(
        commitment=commitment, as_of="2026-01", status="delivered", delivered="2024"
    )
    factories.commitment(title="A draft tracker", policy=strategy, funding=pledge)
    page = client.get(reverse("funding", args=[pledge.slug])).text
    assert "Tracked as a commitment" in page
    assert (
        f'<a href="{reverse("commitment", args=[commitment.slug])}">{commitment.title}</a> — '
        in page
    )
    assert "Overdue, at least" in page and "when last checked (March 2025)" in page
    assert "A draft tracker" not in page


def test_the_funding_list_shows_the_status_of_tracked_pledges(client, today, strategy, pledge):
    commitment = tracking(pledge, strategy)
    factories.published_assessment(commitment=commitment, as_of="2023", status="in_progress")
    page = client.get(reverse("funding-list")).text
    assert f'Tracked as <a href="{reverse("commitment", args=[commitment.slug])}">' in page
    assert "Not checked since 2023" in page


@pytest.mark.parametrize(
    ("verdict", "label"),
    [
        ({"as_of": "2025-03", "status": "in_progress"}, "Overdue"),
        ({"as_of": "2023-06", "status": "in_progress"}, "Not checked since June 2023"),
        ({"as_of": "2025-02", "status": "delivered", "delivered": "2024-11"}, "Delivered"),
        ({"as_of": "2025-02", "status": "delivered", "delivered": "2025-01"}, "Delivered late"),
    ],
)
def test_a_tracked_pledge_is_overdue_not_checked_or_delivered_like_any_pledge(
    client, today, strategy, pledge, verdict, label
):
    commitment = tracking(pledge, strategy)
    factories.published_assessment(commitment=commitment, **verdict)
    progress = client.get(reverse("api:commitment-detail", args=[commitment.pk])).json()
    assert progress["progress"]["label"] == label
    assert progress["funding"]["slug"] == pledge.slug
    assert label in client.get(reverse("funding", args=[pledge.slug])).text


# -- the API and its CSV -----------------------------------------------------------------


def test_the_api_links_a_commitment_and_its_pledge_both_ways(client, strategy, pledge):
    commitment = tracking(pledge, strategy)
    detail = client.get(reverse("api:commitment-detail", args=[commitment.pk])).json()
    assert detail["funding"] == {
        "id": pledge.pk,
        "slug": pledge.slug,
        "name": "Pledged: RUB 1.6 trillion",
    }
    money = client.get(reverse("api:funding-detail", args=[pledge.pk])).json()
    assert money["tracked_by"] == [
        {"id": commitment.pk, "slug": commitment.slug, "name": commitment.title}
    ]


def test_to_the_public_a_pledge_that_is_not_public_is_null_and_a_draft_tracker_absent(
    client, editor, editor_client, strategy, pledge
):
    hidden = factories.funding(policy=strategy, state=State.DRAFT)
    commitment = tracking(hidden, strategy)
    draft = factories.commitment(policy=strategy, funding=pledge, title="Draft tracker")
    assert (
        client.get(reverse("api:commitment-detail", args=[commitment.pk])).json()["funding"] is None
    )
    assert client.get(reverse("api:funding-detail", args=[pledge.pk])).json()["tracked_by"] == []
    # Staff see drafts, but never a pending edit as a second tracker.
    workflow.entry_start_edit(commitment, by=editor)
    seen = editor_client.get(reverse("api:commitment-detail", args=[commitment.pk])).json()
    assert seen["funding"]["id"] == hidden.pk
    trackers = editor_client.get(reverse("api:funding-detail", args=[pledge.pk])).json()
    assert [t["id"] for t in trackers["tracked_by"]] == [draft.pk]


def csv_rows(client, name):
    response = client.get(reverse(name))
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_exports_carry_the_link_both_ways(client, strategy, pledge):
    commitment = tracking(pledge, strategy)
    untracked = factories.published_commitment(policy=strategy, slug="untracked")
    rows = {row["slug"]: row for row in csv_rows(client, "api:commitment-export-csv")}
    assert rows[commitment.slug]["funding_id"] == str(pledge.pk)
    assert rows[commitment.slug]["funding_slug"] == pledge.slug
    assert rows[commitment.slug]["funding_name"] == "Pledged: RUB 1.6 trillion"
    assert rows[untracked.slug]["funding_slug"] == ""
    (money,) = csv_rows(client, "api:funding-export-csv")
    assert commitment.slug in money["tracked_by"]
