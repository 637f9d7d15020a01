"""Every curated model's admin loads, and its list costs the same queries for 3 rows as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.models import Commitment
from tests import factories

pytestmark = pytest.mark.django_db

BUILDERS = {
    "sources.source": factories.source,
    "policies.jurisdiction": factories.jurisdiction,
    "policies.actor": lambda: factories.actor(jurisdiction=factories.jurisdiction()),
    "policies.policy": factories.policy,
    "policies.commitment": factories.commitment,
    "policies.assessment": lambda: factories.assessment(status="delivered", delivered="2019-10-10"),
    "policies.funding": lambda: factories.funding(
        policy=factories.policy(), funder=factories.actor()
    ),
    "policies.event": factories.event,
    "policies.estimate": factories.estimate,
    "sources.citation": lambda: factories.cite(factories.policy()),
}

# Pinned: a change here means a page started doing per-row work (or stopped).
CHANGELIST_QUERIES = {
    "sources.source": 5,
    "policies.jurisdiction": 4,
    "policies.actor": 5,
    "policies.policy": 5,
    "policies.commitment": 5,
    "policies.assessment": 4,
    "policies.funding": 5,
    "policies.event": 5,
    "policies.estimate": 5,
    "sources.citation": 6,
}

# Session, user, groups and permissions, then one aggregate per curated model for the queues,
# and one for the readers' corrections.
ADMIN_INDEX_QUERIES = 15


def admin_url(label, view, *args):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_the_changelist_costs_a_fixed_number_of_queries(superuser_client, label):
    for _ in range(3):
        BUILDERS[label]()
    few = count_queries(superuser_client, admin_url(label, "changelist"))
    for _ in range(27):
        BUILDERS[label]()
    many = count_queries(superuser_client, admin_url(label, "changelist"))
    assert (few, many) == (CHANGELIST_QUERIES[label], CHANGELIST_QUERIES[label])


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_the_add_and_change_pages_load(superuser_client, label):
    entry = BUILDERS[label]()
    # A citation is added only in its entry's own form, never on its own.
    expected = 403 if label == "sources.citation" else 200
    assert superuser_client.get(admin_url(label, "add")).status_code == expected
    response = superuser_client.get(admin_url(label, "change", entry.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_the_changelist_search_answers(superuser_client, label):
    BUILDERS[label]()
    assert superuser_client.get(admin_url(label, "changelist"), {"q": "2019"}).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(admin_url("policies.policy", "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_commitment_list_shows_due_dates_as_deadlines(superuser_client):
    factories.commitment(title="Present the strategy", due="2019-07-01")
    page = superuser_client.get(admin_url("policies.commitment", "changelist")).text
    assert "by 1 July 2019" in page


def test_the_funding_list_shows_money_as_the_source_states_it(superuser_client):
    from decimal import Decimal

    factories.funding(
        amount=Decimal("1600000000000"),
        stated_amount=Decimal("22000000000"),
        stated_currency="EUR",
        stated_qualifier="about",
    )
    page = superuser_client.get(admin_url("policies.funding", "changelist")).text
    assert "RUB 1.6 trillion" in page
    assert "about EUR 22 billion" in page


def management_form(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def commitment_form(policy, **overrides):
    prefix = "sources-citation-content_type-object_id"
    return {
        "slug": "present-the-strategy",
        "policy": policy.pk,
        "title": "Present the strategy",
        "description": "",
        "kind": "deliverable",
        "pledged_by": "",
        "pledged": "2019-02",
        "due": "2019-07-01",
        "metric": "",
        "unit": "",
        "baseline_value": "",
        "target_value": "",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-source": factories.source().pk,
        f"{prefix}-0-section": "Introduction",
        f"{prefix}-0-quote": "to be presented by 1 July 2019",
        f"{prefix}-0-position": "0",
        **management_form("tracker-transition-content_type-object_id"),
        **overrides,
    }


def test_a_researcher_writes_a_fuzzy_date_as_text_and_it_is_stored_as_its_period(
    superuser_client, superuser
):
    response = superuser_client.post(
        admin_url("policies.commitment", "add"), commitment_form(factories.policy())
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Commitment.objects.get(slug="present-the-strategy")
    assert str(saved.due) == "1 July 2019"
    assert str(saved.pledged) == "February 2019"
    assert saved.citations.get().quote == "to be presented by 1 July 2019"
    assert saved.created_by == superuser


def test_a_date_the_site_cannot_read_is_refused_with_the_forms_it_accepts(superuser_client):
    response = superuser_client.post(
        admin_url("policies.commitment", "add"),
        commitment_form(factories.policy(), due="next summer"),
    )
    assert response.status_code == 200
    assert "is not a date this site understands" in response.text
    assert not Commitment.objects.exists()


def test_a_due_date_before_the_pledge_is_refused_in_the_form(superuser_client):
    response = superuser_client.post(
        admin_url("policies.commitment", "add"),
        commitment_form(factories.policy(), pledged="2020", due="2019"),
    )
    assert response.status_code == 200
    assert "cannot be due before it was pledged" in response.text


def test_the_change_form_shows_the_stored_date_in_the_form_it_was_written(superuser_client):
    item = factories.commitment(due="2024")
    page = superuser_client.get(admin_url("policies.commitment", "change", item.pk)).text
    assert 'name="due" value="2024"' in page


def bulk(label, count):
    """`count` entries of one kind in a few queries (no history rows: they are not on the page)."""
    from decimal import Decimal

    from policies.models import Estimate, Event, Funding
    from tracker.core.dates import FuzzyDate

    policy = factories.policy()
    due = FuzzyDate.year(2024)
    rows = {
        "policies.commitment": lambda i: Commitment(
            slug=f"bulk-{i}",
            title=f"Pledge {i}",
            policy=policy,
            due_start=due.start,
            due_end=due.end,
        ),
        "policies.event": lambda i: Event(
            slug=f"bulk-{i}",
            title=f"Event {i}",
            kind="launch",
            occurred_start=due.start,
            occurred_end=due.end,
        ),
        "policies.funding": lambda i: Funding(
            slug=f"bulk-{i}", kind="pledged", amount=Decimal(i + 1), currency="RUB", policy=policy
        ),
        "policies.estimate": lambda i: Estimate(
            slug=f"bulk-{i}", measure="Market", value=Decimal(i), currency="USD"
        ),
    }
    model = rows[label](0).__class__
    model.objects.bulk_create(rows[label](i) for i in range(count))


@pytest.mark.parametrize(
    "label", ["policies.commitment", "policies.event", "policies.funding", "policies.estimate"]
)
def test_the_changelist_keeps_its_query_count_with_1000_entries(superuser_client, label):
    bulk(label, 1000)
    assert (
        count_queries(superuser_client, admin_url(label, "changelist")) == CHANGELIST_QUERIES[label]
    )


def test_the_admin_index_counts_the_queues_in_a_fixed_number_of_queries(editor_client):
    bulk("policies.commitment", 1000)
    few = count_queries(editor_client, reverse("admin:index"))
    bulk("policies.event", 1000)
    assert count_queries(editor_client, reverse("admin:index")) == few == ADMIN_INDEX_QUERIES


def test_a_large_policys_change_page_loads_in_a_fixed_number_of_queries(superuser_client):
    policy = factories.policy()
    count_queries(
        superuser_client, admin_url("policies.policy", "change", policy.pk)
    )  # warms caches
    few = count_queries(superuser_client, admin_url("policies.policy", "change", policy.pk))
    Commitment.objects.bulk_create(
        Commitment(slug=f"p-{i}", title=f"P {i}", policy=policy) for i in range(1000)
    )
    assert count_queries(superuser_client, admin_url("policies.policy", "change", policy.pk)) == few
