"""A policy's or a jurisdiction's timeline, embedded in another site's page: the embed view
alone may be framed (by the pages settings.EMBED_FRAME_ANCESTORS names, any by default); every
other public page still refuses it. tests/test_e2e_embed.py frames it in a browser."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(frozen_clock):
    frozen_clock(dt.date(2026, 12, 3))
    country = make.jurisdiction(code="RU", name="Russia")
    policy = make.published_policy(slug="ru-ai", title="National AI Strategy", jurisdiction=country)
    make.published_commitment(
        policy=policy, title="Present the strategy", pledged="2019-02", due="2019-07-01"
    )
    event = make.event(
        title="Decree signed", occurred="2019-10-10", jurisdiction=country, **make.PUBLISHED
    )
    event.policies.add(policy)
    return policy


def frame_ancestors(response) -> str:
    return re.search(r"frame-ancestors ([^;]*)", response["Content-Security-Policy"]).group(1)


@pytest.mark.parametrize("url", ["/embed/policies/ru-ai/", "/embed/jurisdictions/RU/"])
def test_the_embed_may_be_framed_by_any_page(client, strategy, url):
    response = client.get(url)
    assert response.status_code == 200
    assert frame_ancestors(response) == "*"
    assert "X-Frame-Options" not in response


def test_a_cached_embed_still_may_be_framed(client, strategy):
    client.get("/embed/policies/ru-ai/")
    again = client.get("/embed/policies/ru-ai/")
    assert frame_ancestors(again) == "*"
    assert "X-Frame-Options" not in again
    tag = again["ETag"]
    unchanged = client.get("/embed/policies/ru-ai/", headers={"if-none-match": tag})
    assert unchanged.status_code == 304
    assert frame_ancestors(unchanged) == "*"


def public_pages(policy) -> list[str]:
    return [
        "/",
        "/policies/",
        reverse("policy", args=[policy.slug]),
        reverse("jurisdiction", args=["RU"]),
        "/commitments/",
        "/events/",
        "/search/?q=strategy",
        "/compare/",
        "/data/",
        "/methodology/",
        reverse("policy-timeline", args=[policy.slug, "svg"]),
        "/policies/nothing-here/",
    ]


def test_every_other_public_page_refuses_to_be_framed(client, strategy):
    for url in public_pages(strategy):
        response = client.get(url)
        assert frame_ancestors(response) == "'none'", url
        assert response["X-Frame-Options"] == "DENY", url


def test_the_embed_has_the_chart_its_title_and_a_link_back_without_the_site_chrome(
    client, strategy
):
    page = client.get("/embed/policies/ru-ai/?as_of=2020-01-01").content.decode()
    assert 'class="timeline-chart"' in page
    assert "National AI Strategy" in page
    assert '<base target="_blank">' in page
    assert 'href="http://testserver/policies/ru-ai/?as_of=2020-01-01"' in page
    assert "site-header" not in page and "site-footer" not in page


def test_the_policy_page_shows_the_snippet_that_embeds_it(client, strategy):
    page = client.get("/policies/ru-ai/").content.decode()
    snippet = re.search(r"<summary>Embed this timeline</summary>.*?<code>(.*?)</code>", page, re.S)
    assert snippet, "no embed snippet on the page"
    code = snippet.group(1)
    assert code.startswith('&lt;iframe src="http://testserver/embed/policies/ru-ai/"')
    assert 'title="National AI Strategy: pledged against delivered (Policy Tracker)"' in code
    assert code.endswith("&gt;&lt;/iframe&gt;")
