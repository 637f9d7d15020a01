"""Atom feeds of new developments and status changes: site-wide, per jurisdiction, per policy."""

import xml.etree.ElementTree as ET

import pytest

from tests import factories as make

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world():
    russia = make.jurisdiction(code="RU", name="Russia")
    china = make.jurisdiction(code="CN", name="China")
    strategy = make.published_policy(jurisdiction=russia, title="AI Strategy")
    pledge = make.published_commitment(policy=strategy, title="Present the strategy")
    make.published_assessment(commitment=pledge, status="in_progress", summary="Drafting.")
    make.assessment(commitment=pledge, status="stalled", summary="Draft verdict.")
    signed = make.event(title="Decree signed", jurisdiction=russia, **make.PUBLISHED)
    signed.policies.add(strategy)
    make.event(title="Plan published", jurisdiction=china, **make.PUBLISHED)
    make.event(title="Draft happening", jurisdiction=russia)
    return strategy


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        found.append(entry.find(f"{ATOM}title").text)
    return found


def test_it_serves_a_site_wide_atom_feed_of_published_entries(client, world):
    titles = entries(client, "/feed/")
    assert any(t.startswith("Decree signed") for t in titles)
    assert any(t.startswith("Plan published") for t in titles)
    assert any("Present the strategy: In progress" in t for t in titles)
    assert not any("Draft" in t for t in titles)


def test_it_serves_a_feed_per_jurisdiction(client, world):
    titles = entries(client, "/jurisdictions/RU/feed/")
    assert any(t.startswith("Decree signed") for t in titles)
    assert not any(t.startswith("Plan published") for t in titles)
    assert client.get("/jurisdictions/ZZ/feed/").status_code == 404


def test_it_serves_a_feed_per_policy(client, world):
    titles = entries(client, f"/policies/{world.slug}/feed/")
    assert len(titles) == 2
    draft = make.policy(jurisdiction=world.jurisdiction)
    assert client.get(f"/policies/{draft.slug}/feed/").status_code == 404


def test_it_advertises_feeds_for_autodiscovery(client, world):
    home = client.get("/").text
    assert '<link rel="alternate" type="application/atom+xml"' in home
    country = client.get("/jurisdictions/RU/").text
    assert 'href="/jurisdictions/RU/feed/"' in country
