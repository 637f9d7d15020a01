"""API filters (shared with the pages), clear 400s for bad values, and incremental sync."""

import pytest
from django.urls import reverse
from django.utils import timezone

from policies.models import Commitment
from tests import factories
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


def slugs(client, name="commitment-list", **params):
    response = client.get(reverse(f"api:{name}"), params)
    assert response.status_code == 200, response.content
    return sorted(row["slug"] for row in response.json()["results"])


@pytest.fixture
def pledges():
    country = factories.jurisdiction(code="RU")
    policy = factories.published_policy(slug="ru-ai", jurisdiction=country)
    other = factories.published_policy(slug="cn-ai", jurisdiction=factories.jurisdiction(code="CN"))
    late = factories.published_commitment(slug="late", policy=policy, due="2019-07-01")
    factories.published_assessment(
        commitment=late, status="delivered", delivered="2019-10-10", as_of="2020-12"
    )
    overdue = factories.published_commitment(slug="overdue", policy=policy, due="2024")
    factories.published_assessment(commitment=overdue, status="in_progress", as_of="2025-05")
    factories.published_commitment(slug="by-2030", policy=other, due="2030")
    factories.published_commitment(
        slug="in-q3-2024", policy=other, due="2024-Q3", kind="quantitative_target"
    )
    return policy


def test_due_year_finds_fuzzy_dates_that_fall_in_it(client, pledges):
    assert slugs(client, due_year=2024) == ["in-q3-2024", "overdue"]


def test_derived_statuses_filter(client, pledges, today):
    assert slugs(client, status="delivered_late") == ["late"]
    assert slugs(client, status="overdue") == ["overdue"]
    stale = factories.published_commitment(slug="stale", policy=pledges, due="2024")
    factories.published_assessment(commitment=stale, status="in_progress", as_of="2023-05")
    # Checked in May 2023, due by 2024: nobody here knows, so it is not overdue; nor is the
    # Q3 2024 target nobody ever checked.
    assert slugs(client, status="not_checked") == ["in-q3-2024", "stale"]


def test_jurisdiction_policy_and_kind_filters(client, pledges):
    assert slugs(client, jurisdiction="RU") == ["late", "overdue"]
    assert slugs(client, policy="cn-ai") == ["by-2030", "in-q3-2024"]
    assert slugs(client, kind="quantitative_target") == ["in-q3-2024"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"due_year": "soon"}, "due_year"),
        ({"status": "finished"}, "status"),
        ({"jurisdiction": "XX"}, "jurisdiction"),
        ({"updated_since": "last week"}, "updated_since"),
        ({"cursor": "not-a-cursor"}, None),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(client, pledges, params, field):
    response = client.get(reverse("api:commitment-list"), params)
    assert response.status_code in (400, 404)
    if field:
        assert response.status_code == 400
        assert field in response.json()


def test_cursor_pages_walk_every_entry_once_in_a_stable_order(client, pledges):
    seen, url = [], reverse("api:commitment-list") + "?page_size=1"
    while url:
        page = client.get(url).json()
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == ["by-2030", "in-q3-2024", "late", "overdue"]
    assert len(seen) == len(set(seen))


def test_updated_since_sees_creations_and_changes(client, pledges, contributor, editor):
    mark = timezone.now()
    assert slugs(client, updated_since=mark.isoformat()) == []
    fresh = factories.commitment(slug="fresh", policy=pledges, created_by=contributor)
    factories.cite(fresh)
    workflow.entry_publish(workflow.entry_submit(fresh, by=contributor), by=editor)
    assert slugs(client, updated_since=mark.isoformat()) == ["fresh"]


def test_the_changes_feed_tells_a_syncing_client_what_was_withdrawn(
    client, pledges, contributor, editor
):
    mark = timezone.now()
    entry = factories.commitment(slug="short-lived", policy=pledges, created_by=contributor)
    factories.cite(entry)
    entry = workflow.entry_publish(workflow.entry_submit(entry, by=contributor), by=editor)
    workflow.entry_unpublish(entry, by=editor, reason="Retracted")
    rows = client.get(reverse("api:change-list"), {"since": mark.isoformat()}).json()["results"]
    assert [(r["kind"], r["id"], r["change"]) for r in rows] == [
        ("commitment", entry.pk, "published"),
        ("commitment", entry.pk, "withdrawn"),
    ]
    assert slugs(client, updated_since=mark.isoformat()) == []  # gone from the lists


def test_the_changes_feed_needs_a_valid_since(client):
    assert "since" in client.get(reverse("api:change-list")).json()
    assert client.get(reverse("api:change-list"), {"since": "monday"}).status_code == 400


def test_a_repeated_request_answers_304(client, pledges):
    url = reverse("api:commitment-list")
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_drafts_stay_out_of_filtered_lists(client, pledges):
    entry = Commitment.objects.get(slug="overdue")
    entry.state = State.DRAFT
    entry.save()
    assert slugs(client, due_year=2024) == ["in-q3-2024"]
