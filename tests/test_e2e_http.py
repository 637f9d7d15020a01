"""In a real browser: no public page makes the browser fetch anything that fails (the favicon,
stylesheets), and a missing page is the site's own 404, with its navigation and a way out."""

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser import browser_type_launch_args, pytestmark, shoot  # noqa: F401


@pytest.fixture
def strategy(transactional_db):
    policy = make.published_policy(title="National Strategy for the Development of AI")
    make.cite(policy)
    pledge = make.published_commitment(policy=policy, title="Present the strategy")
    make.cite(pledge)
    return policy


def failures_while_opening(page, url):
    """What failed while `url` loaded: responses of 400 or more, and errors on the console."""
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else 0)
    page.on(
        "console",
        lambda m: failed.append(f"{m.text} at {m.location['url']}") if m.type == "error" else 0,
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return failed


def test_no_public_page_fetches_anything_that_fails(page, live_server, strategy):
    for path in ("/", "/policies/", f"/policies/{strategy.slug}/", "/commitments/", "/search/"):
        assert failures_while_opening(page, live_server.url + path) == [], path


def test_a_missing_page_is_the_sites_own_404_with_a_way_out(page, live_server, strategy):
    failed = failures_while_opening(page, f"{live_server.url}/policies/no-such-policy/")
    # The page itself is the 404; nothing it asks for fails.
    assert [line for line in failed if "no-such-policy" not in line] == []
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Nothing is published at this address"
    )
    shoot(page, "not-found")
    page.get_by_role("search").get_by_label("Search published entries").fill("strategy")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.get_by_text("National Strategy for the Development of AI").first).to_be_visible()
