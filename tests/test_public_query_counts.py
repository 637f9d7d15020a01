"""Every public page costs a fixed number of queries, however many entries it shows."""

import pytest
from django.core.cache import cache
from django.db import connection

from tests import factories as make
from tracker.core.editorial import State
from tracker.site import views
from tracker.site.search import KINDS

pytestmark = pytest.mark.django_db

# One query reads the data version (the ETag, Last-Modified and cache key); the rest load the
# page. Each optional link a list shows (an event's jurisdiction, a commitment's actor and the
# pledge it tracks, a funding entry's funder, recipient and pledge) is one query through the
# public door. A funding list or page reads the commitments tracking its pledges and their
# published verdicts in two more. Scorecards count the stored standings
# (policies.readmodel) in one grouped query, and one more reads the rows past their day (none
# here; four queries when some are). The home page's lists read their candidates in three
# queries and derive them afresh in three (standings.progress_of_all); the jurisdiction page
# reads the commitments due nearest today on either side and without a due date in three, and
# derives them in three. The few commitments a page names are one more. A page listing funding
# counts it by kind in one query and reads the first of each kind in another.
HOME_QUERIES = 14
# An entry's page reads the day it was first published, for its citation metadata
# (tracker.site.citing.first_published); a source's date is its own.
FIRST_PUBLISHED = 1
# An entry's page reads its readers' corrections whose edit was published ("Corrected on"), in
# one query however many (policies.selectors.corrections).
CORRECTED = 1
# A policy's page counts every commitment in those three, reads the chart's commitments in one
# more, its chronology's order in two (events and assessments as plain values), and the page of
# it shown in two (its events, which hold the chart's, and its assessments; a page holding no
# assessment skips the second).
POLICY_QUERIES = 18 + FIRST_PUBLISHED + CORRECTED
POLICY_LIST_QUERIES = 5
JURISDICTION_LIST_QUERIES = 4
# A jurisdiction's page reads its events' dates as plain values and the events it marks by id.
JURISDICTION_QUERIES = 25 + FIRST_PUBLISHED + CORRECTED
COMMITMENT_LIST_QUERIES = 7
COMMITMENT_QUERIES = 8 + FIRST_PUBLISHED + CORRECTED
EVENT_LIST_QUERIES = 5
EVENT_QUERIES = 7 + FIRST_PUBLISHED + CORRECTED
FUNDING_LIST_QUERIES = 8
FUNDING_QUERIES = 7 + FIRST_PUBLISHED + CORRECTED
ACTOR_QUERIES = 14 + FIRST_PUBLISHED + CORRECTED
SOURCE_LIST_QUERIES = 3
# The source page loads cited entries with one query per kind cited (here four), never per entry.
SOURCE_QUERIES = 8 + CORRECTED
COMPARE_QUERIES = 6
# On PostgreSQL the search also runs under a time limit: a savepoint, a `SET LOCAL
# statement_timeout` before each of the eight kinds, a reset and the release.
SEARCH_QUERIES = 14 + (11 if connection.vendor == "postgresql" else 0)
# A search no entry matches in full is tried again with fewer words, until one finds something
# (here the first tried, "ai"): the search that found nothing costs its eight kinds' queries (and
# on PostgreSQL its time limit's statements) more; and before that, the words of the published
# entries are read to respell it (the data version and one query a kind), once a data version.
SEARCH_FEWER_QUERIES = (
    SEARCH_QUERIES + 8 + (11 if connection.vendor == "postgresql" else 0) + 1 + len(KINDS)
)
FEED_QUERIES = 4
POLICY_FEED_QUERIES = 5


def grow(world, n):
    """Add `n` more of everything to the world's policy, published and draft alike."""
    strategy, source, ministry = world["policy"], world["source"], world["actor"]
    for _ in range(n):
        pledge = make.published_commitment(
            policy=strategy,
            pledged="2019",
            due="2024",
            pledged_by=ministry,
            funding=world["funding"],
            title="ai pledge",
        )
        make.published_assessment(commitment=pledge, status="in_progress", as_of="2020")
        make.assessment(commitment=pledge, status="stalled", as_of="2021")
        make.cite(pledge, source=source, page="1")
        event = make.event(jurisdiction=strategy.jurisdiction, title="ai event", **make.PUBLISHED)
        event.policies.add(strategy)
        event.commitments.add(pledge)
        event.actors.add(ministry)
        make.cite(event, source=source, page="2")
        money = make.funding(policy=strategy, funder=ministry, **make.PUBLISHED)
        make.cite(money, source=source, page="3")
        make.funding(policy=strategy, delivers_against=world["funding"], **make.PUBLISHED)
        child = make.published_policy(jurisdiction=strategy.jurisdiction, parent=strategy)
        make.cite(child, source=source, page="4")
        make.estimate(jurisdiction=strategy.jurisdiction, **make.PUBLISHED)
        make.published_commitment(policy=strategy, state=State.DRAFT)


@pytest.fixture
def world():
    country = make.jurisdiction(code="RU")
    strategy = make.published_policy(jurisdiction=country)
    ministry = make.actor(jurisdiction=country, **make.PUBLISHED)
    strategy.roles.create(actor=ministry, role="leads")
    made = {
        "policy": strategy,
        "source": make.source(),
        "actor": ministry,
        "funding": make.funding(policy=strategy, **make.PUBLISHED),
    }
    grow(made, 1)
    made["commitment"] = strategy.commitments.filter(state=State.PUBLISHED).first()
    made["event"] = strategy.events.first()
    return made


PAGES = [
    ("/", HOME_QUERIES),
    ("/policies/", POLICY_LIST_QUERIES),
    ("/policies/{policy.slug}/", POLICY_QUERIES),
    ("/policies/{policy.slug}/?as_of=2020-06-01", POLICY_QUERIES),
    ("/jurisdictions/", JURISDICTION_LIST_QUERIES),
    ("/jurisdictions/RU/", JURISDICTION_QUERIES),
    ("/commitments/", COMMITMENT_LIST_QUERIES),
    ("/commitments/?status=in_progress&due_year=2024", COMMITMENT_LIST_QUERIES),
    ("/commitments/{commitment.slug}/", COMMITMENT_QUERIES),
    ("/events/", EVENT_LIST_QUERIES),
    ("/events/{event.slug}/", EVENT_QUERIES),
    ("/funding/", FUNDING_LIST_QUERIES),
    ("/funding/{funding.slug}/", FUNDING_QUERIES),
    ("/actors/{actor.slug}/", ACTOR_QUERIES),
    ("/sources/", SOURCE_LIST_QUERIES),
    ("/sources/{source.slug}/", SOURCE_QUERIES),
    ("/compare/?jurisdiction=RU", COMPARE_QUERIES),
    ("/search/?q=ai", SEARCH_QUERIES),
    ("/search/?q=quokka+ai", SEARCH_FEWER_QUERIES),
    ("/feed/", FEED_QUERIES),
    ("/policies/{policy.slug}/feed/", POLICY_FEED_QUERIES),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_it_costs_a_fixed_number_of_queries(client, django_assert_num_queries, world, url, queries):
    url = url.format(**world)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    grow(world, 4)
    # The builders write around the workflow, so the data version stays where it was: empty the
    # page cache to measure a fresh rendering of the larger world.
    cache.clear()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("as_of", ["", "as_of=2020-06-01&"])
def test_the_last_page_of_a_policy_chronology_costs_as_much_as_the_first(
    client, django_assert_num_queries, monkeypatch, world, as_of
):
    # One item a page, the newest last: an assessment, as on the first page of the world's
    # one event and one assessment. (A page of events only skips the assessments' query.)
    monkeypatch.setattr(views, "PER_PAGE", 1)
    base = f"/policies/{world['policy'].slug}/?{as_of}"
    for more in (0, 4):
        grow(world, more)
        cache.clear()
        last = client.get(base).context["chronology_page"].paginator.num_pages
        assert last == 2 + 2 * more
        cache.clear()
        with django_assert_num_queries(POLICY_QUERIES):
            assert client.get(f"{base}page={last}").status_code == 200
