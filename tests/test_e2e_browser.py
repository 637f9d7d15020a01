"""End to end in a real browser: Debian's Chromium driven by Playwright against a live server.

Screenshots land in test-artifacts/ (git-ignored) for a person to look at after a CI run.
"""

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser import browser_type_launch_args, pytestmark, shoot  # noqa: F401


@pytest.fixture
def strategy(transactional_db):
    russia = make.jurisdiction(code="RU", name="Russia")
    policy = make.published_policy(
        jurisdiction=russia, title="National Strategy for the Development of AI"
    )
    pledge = make.published_commitment(
        policy=policy, pledged="2019-02-27", due="2019-07-01", title="Present the strategy"
    )
    make.published_assessment(
        commitment=pledge, status="delivered", as_of="2019-10-10", delivered="2019-10-10"
    )
    improve = make.published_commitment(
        policy=policy, pledged="2019", due="2024", title="Improve by 2024"
    )
    make.published_assessment(commitment=improve, status="in_progress", as_of="2025-02")
    make.published_commitment(policy=policy, pledged="2019", due="2030", title="Lead by 2030")
    event = make.event(title="Decree No. 490 signed", jurisdiction=russia, **make.PUBLISHED)
    event.policies.add(policy)
    make.cite(policy, quote="Утвердить прилагаемую Национальную стратегию.", page="1")
    return policy


def test_it_opens_the_home_page_and_follows_a_country(page, live_server, strategy):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("What was pledged")
    expect(page.get_by_text("Improve by 2024").first).to_be_visible()
    shoot(page, "home")
    page.get_by_role("link", name="Russia").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Russia"


def test_it_draws_a_policy_timeline_and_changes_the_as_of_day(page, live_server, strategy):
    page.goto(f"{live_server.url}/policies/{strategy.slug}/")
    figure = page.get_by_role("figure", name="Pledged against delivered")
    # The wide chart; a phone shows the other. A group of links, not an image around them.
    chart = figure.get_by_role("group", name="Pledged against delivered").first
    expect(chart).to_be_visible()
    expect(chart.get_by_role("link", name="Present the strategy — Delivered late")).to_be_visible()
    assert "3 commitments" in page.locator("#timeline-desc").text_content()
    expect(page.locator("table.timeline-table").get_by_text("Delivered late")).to_be_visible()
    shoot(page, "policy-timeline")
    page.fill("#as-of", "2019-08-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**as_of=2019-08-01")
    expect(page.get_by_text("Showing what was known on 1 August 2019")).to_be_visible()
    # Nothing was checked by then: the strategy's deadline had passed, unchecked.
    expect(page.locator("table.timeline-table").get_by_text("Not checked").first).to_be_visible()
    assert page.locator("svg.timeline-chart rect.unchecked").count() >= 1
    shoot(page, "policy-timeline-as-of")


def test_it_searches_in_cyrillic(page, live_server, strategy):
    page.goto(live_server.url + "/search/")
    page.fill("#q", "стратегию")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Утвердить прилагаемую Национальную стратегию.")).to_be_visible()
    shoot(page, "search")


def test_it_finds_and_opens_the_feed_link(page, live_server, strategy):
    page.goto(f"{live_server.url}/policies/{strategy.slug}/")
    href = page.locator('link[rel="alternate"][type="application/atom+xml"]').last.get_attribute(
        "href"
    )
    assert href == f"/policies/{strategy.slug}/feed/"
    response = page.request.get(live_server.url + href)
    assert response.ok
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert "Decree No. 490 signed" in response.text()
    page.goto(live_server.url + href)
    shoot(page, "feed")
