"""Every public list shows published entries only, and counts only those."""

import pytest

from tests import factories as make
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

DRAFT = {"state": State.DRAFT}


def test_it_lists_only_published_events(client):
    make.event(title="Decree signed", **make.PUBLISHED)
    make.event(title="Draft event", **DRAFT)
    make.event(title="Withdrawn event", state=State.UNPUBLISHED)
    text = client.get("/events/").text
    assert "Decree signed" in text
    assert "Draft event" not in text and "Withdrawn event" not in text


def test_it_lists_only_published_funding_of_public_policies(client):
    make.funding(purpose="Public money", **make.PUBLISHED)
    make.funding(purpose="Draft money", **DRAFT)
    make.funding(purpose="Money of a draft policy", policy=make.policy(), **make.PUBLISHED)
    text = client.get("/funding/").text
    assert "Public money" in text
    assert "Draft money" not in text and "Money of a draft policy" not in text


def test_it_lists_only_published_sources(client):
    make.source(title="Published report")
    make.source(title="Draft report", **DRAFT)
    text = client.get("/sources/").text
    assert "Published report" in text and "Draft report" not in text


def test_it_counts_only_published_commitments_in_jurisdiction_scorecards(client):
    country = make.jurisdiction(code="RU", name="Russia")
    strategy = make.published_policy(jurisdiction=country)
    make.published_commitment(policy=strategy, due="2020")
    make.commitment(policy=strategy, due="2020", **DRAFT)
    make.published_commitment(policy=make.policy(jurisdiction=country), due="2020")
    response = client.get("/jurisdictions/")
    (russia,) = [j for j in response.context["jurisdictions"] if j.code == "RU"]
    assert russia.scorecard.total == 1
    assert russia.scorecard.count("not_checked") == 1


def test_it_pages_long_lists_and_keeps_the_filters(client):
    strategy = make.published_policy()
    for _ in range(55):
        make.published_commitment(policy=strategy, due="2990")
    first = client.get("/commitments/?status=no_evidence")
    assert first.context["page"].paginator.num_pages == 2
    assert "?status=no_evidence&amp;page=2" in first.text
    assert client.get("/commitments/?status=no_evidence&page=2").status_code == 200
    assert client.get("/commitments/?page=banana").status_code == 200
