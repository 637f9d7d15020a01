"""Atom feeds of new developments and status changes: site-wide, per jurisdiction, per policy."""

import re
import xml.etree.ElementTree as ET

import feedparser
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


def every_feed(client):
    """The addresses of every feed, as the list of feeds gives them."""
    listing = client.get("/feeds/")
    assert listing.status_code == 200
    return sorted(set(re.findall(r'href="(/(?:[\w-]+/)*feed/)"', listing.text)))


def test_the_list_of_feeds_names_every_published_feed_and_no_draft(client, world):
    make.policy(jurisdiction=world.jurisdiction, title="Draft plan")
    assert every_feed(client) == sorted(
        [
            "/feed/",
            "/jurisdictions/CN/feed/",
            "/jurisdictions/RU/feed/",
            f"/policies/{world.slug}/feed/",
        ]
    )
    assert "Draft plan" not in client.get("/feeds/").text
    assert 'href="/feeds/"' in client.get("/data/").text


# RFC 3339, which RFC 4287 §3.3 asks of every date: a full date, a time and an offset.
RFC_3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def test_every_feed_has_what_rfc_4287_requires(client, world):
    for url in every_feed(client):
        root = ET.fromstring(client.get(url).content)
        assert root.find(f"{ATOM}author/{ATOM}name").text, url  # so no entry needs its own
        assert root.find(f"{ATOM}link[@rel='self']") is not None, url
        for entry in [root, *root.findall(f"{ATOM}entry")]:
            for date in [*entry.findall(f"{ATOM}updated"), *entry.findall(f"{ATOM}published")]:
                assert RFC_3339.fullmatch(date.text), (url, date.text)
            assert len(entry.findall(f"{ATOM}updated")) == 1, url


def test_every_feed_parses_cleanly_with_a_feed_readers_parser(client, world):
    for url in every_feed(client):
        parsed = feedparser.parse(client.get(url).content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.version == "atom10", url
        assert parsed.feed.title and parsed.feed.updated_parsed, url


@pytest.mark.parametrize(
    ("site_url", "origin"),
    [("https://policytracker.example", "https://policytracker.example"), ("", "http://testserver")],
)
def test_every_id_and_link_is_absolute_and_every_id_unique(
    client, world, settings, site_url, origin
):
    # RFC 4287 §4.2.6: an id is an absolute IRI; it is the permalink, on SITE_URL when set.
    settings.SITE_URL = site_url
    for url in every_feed(client):
        root = ET.fromstring(client.get(url).content)
        ids = [e.text for e in root.iter(f"{ATOM}id")]
        assert len(ids) == len(set(ids)), url
        assert all(i.startswith(f"{origin}/") for i in ids), (url, ids)
        hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
        assert hrefs and all(h.startswith(f"{origin}/") for h in hrefs), (url, hrefs)
        entry_ids = [e.find(f"{ATOM}id").text for e in root.findall(f"{ATOM}entry")]
        assert all(re.fullmatch(rf"{origin}/e/(event|assessment)/\d+/", i) for i in entry_ids)


def test_a_feed_cached_for_one_host_is_not_served_to_another(client, world, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    client.get("/feed/", headers={"host": "one.example"})
    again = client.get("/feed/", headers={"host": "two.example"}).text
    assert "http://two.example/e/" in again and "one.example" not in again


def test_every_page_with_a_feed_advertises_it(client, world):
    for page, feed in [
        ("/", "/feed/"),
        ("/jurisdictions/RU/", "/jurisdictions/RU/feed/"),
        (f"/policies/{world.slug}/", f"/policies/{world.slug}/feed/"),
    ]:
        html = client.get(page).text
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert f'href="{feed}"' in html, page
