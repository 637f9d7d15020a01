"""What a page tells the programs that read its <head>: link previews (Open Graph and Twitter
cards, with a 1,200 by 630 timeline for a policy or a jurisdiction), search engines (the
canonical address), and reference managers (Highwire citation tags, as Google Scholar and
Zotero read them, and Dublin Core), each checked against the entry it describes."""

import datetime as dt
import struct

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(frozen_clock):
    frozen_clock(dt.date(2026, 12, 3))
    country = make.jurisdiction(code="RU", name="Russia")
    policy = make.published_policy(slug="ru-ai", title="National AI Strategy", jurisdiction=country)
    commitment = make.published_commitment(
        policy=policy, slug="present", title="Present the strategy", due="2019-07-01"
    )
    source = make.source(
        slug="decree",
        title="Decree No. 490",
        authors=["Vladimir Putin", "Anna Petrova"],
        publisher="Kremlin",
        doi="10.1000/490",
    )
    source.published = "2019-10-10"
    source.save()
    event = make.event(slug="signed", title="Decree signed", jurisdiction=country, **make.PUBLISHED)
    actor = make.actor(slug="sber", name="Sberbank", jurisdiction=country, **make.PUBLISHED)
    funding = make.funding(slug="money", policy=policy, **make.PUBLISHED)
    estimate = make.estimate(slug="market", jurisdiction=country, **make.PUBLISHED)
    return {
        "policy": policy,
        "commitment": commitment,
        "event": event,
        "actor": actor,
        "funding": funding,
        "estimate": estimate,
        "jurisdiction": country,
        "source": source,
    }


def head_of(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser").head


def meta(head, name) -> list[str]:
    found = head.find_all("meta", attrs={"name": name}) or head.find_all(
        "meta", attrs={"property": name}
    )
    return [tag["content"] for tag in found]


def one(head, name) -> str:
    (value,) = meta(head, name)
    return value


PAGES = [
    "/",
    "/policies/",
    "/policies/ru-ai/",
    "/jurisdictions/RU/",
    "/commitments/present/",
    "/events/signed/",
    "/sources/decree/",
    "/search/?q=strategy",
    "/compare/",
    "/data/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_public_page_describes_itself_for_link_previews(client, world, url):
    head = head_of(client, url)
    title = head.title.string
    assert one(head, "og:title") == title
    assert one(head, "og:description") == one(head, "description")
    path = url.partition("?")[0]
    assert one(head, "og:url") == f"http://testserver{path}"
    assert head.find("link", rel="canonical")["href"] == f"http://testserver{path}"
    assert one(head, "og:site_name") == "Policy Tracker"
    assert one(head, "og:type") in ("website", "article")
    assert one(head, "twitter:card") in ("summary", "summary_large_image")


def test_a_preview_says_the_pages_own_title_and_description(client, world):
    head = head_of(client, "/policies/ru-ai/")
    assert head.title.string == "National AI Strategy — Policy Tracker"
    assert one(head, "og:title") == "National AI Strategy — Policy Tracker"
    assert one(head, "og:description").startswith("Strategy of Russia: what was pledged")


def test_an_as_of_view_names_the_page_of_today_as_canonical(client, world):
    head = head_of(client, "/policies/ru-ai/?as_of=2020-01-01")
    assert head.find("link", rel="canonical")["href"] == "http://testserver/policies/ru-ai/"


@pytest.mark.parametrize(
    ("url", "image"),
    [
        ("/policies/ru-ai/", "/policies/ru-ai/preview.png"),
        ("/jurisdictions/RU/", "/jurisdictions/RU/preview.png"),
    ],
)
def test_a_policy_or_a_jurisdiction_previews_as_its_timeline(client, world, url, image):
    head = head_of(client, url)
    assert one(head, "twitter:card") == "summary_large_image"
    assert one(head, "og:image") == f"http://testserver{image}"
    assert one(head, "twitter:image") == f"http://testserver{image}"
    assert (one(head, "og:image:width"), one(head, "og:image:height")) == ("1200", "630")
    assert one(head, "og:image:alt").endswith(": pledged against delivered")
    png = client.get(image).content
    assert struct.unpack(">II", png[16:24]) == (1200, 630)


def test_an_error_page_describes_nothing(client, world):
    response = client.get("/policies/nothing-here/")
    head = BeautifulSoup(response.content, "html.parser").head
    assert response.status_code == 404
    assert head.find("link", rel="canonical") is None
    assert not meta(head, "og:url")


ENTRIES = ["policy", "commitment", "event", "actor", "funding", "estimate", "jurisdiction"]


@pytest.mark.parametrize("kind", ENTRIES)
def test_an_entry_page_carries_its_citation_for_reference_managers(client, world, kind):
    entry = world[kind]
    key = entry.code if kind == "jurisdiction" else entry.slug
    url = reverse(kind, args=[key])
    head = head_of(client, url)
    first = entry.history.earliest("history_date").history_date.date()
    assert one(head, "citation_title") == str(entry)
    assert one(head, "citation_author") == "Policy Tracker"
    assert one(head, "citation_publisher") == "Policy Tracker"
    assert one(head, "citation_publication_date") == f"{first:%Y/%m/%d}"
    assert one(head, "citation_public_url") == f"http://testserver{url}"
    assert one(head, "DC.title") == str(entry)
    assert one(head, "DC.date") == first.isoformat()
    assert one(head, "DC.identifier") == f"http://testserver{url}"


def test_the_date_is_the_first_publication_not_the_last_edit(client, world):
    commitment = world["commitment"]
    commitment.history.update(history_date=dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC))
    commitment.title = "Present the national strategy"
    commitment.save()
    head = head_of(client, "/commitments/present/")
    assert one(head, "citation_title") == "Present the national strategy"
    assert one(head, "citation_publication_date") == "2024/05/01"


def test_a_source_page_cites_the_source_by_its_own_authors_and_date(client, world):
    head = head_of(client, "/sources/decree/")
    assert one(head, "citation_title") == "Decree No. 490"
    assert meta(head, "citation_author") == ["Vladimir Putin", "Anna Petrova"]
    assert meta(head, "DC.creator") == ["Vladimir Putin", "Anna Petrova"]
    assert one(head, "citation_publication_date") == "2019/10/10"
    assert one(head, "citation_publisher") == "Kremlin"
    assert one(head, "citation_doi") == "10.1000/490"
    assert one(head, "citation_public_url") == "http://testserver/sources/decree/"


def test_a_source_dated_to_a_year_says_only_the_year(client, world):
    source = world["source"]
    source.published = "2019"
    source.save()
    head = head_of(client, "/sources/decree/")
    assert one(head, "citation_publication_date") == "2019"
    assert one(head, "DC.date") == "2019"


def test_a_source_dated_to_a_decade_claims_no_year_of_it(client, world):
    source = world["source"]
    source.published = "2010s"
    source.save()
    head = head_of(client, "/sources/decree/")
    assert meta(head, "citation_publication_date") == []
    assert meta(head, "DC.date") == []
    assert one(head, "citation_title") == "Decree No. 490"
