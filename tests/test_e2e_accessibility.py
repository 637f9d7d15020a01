"""Every public page passes axe-core's WCAG 2.1 A and AA rules, on a laptop and on a phone.

axe runs in the page as a reader's browser lays it out. It is evaluated through the browser's
debugging protocol (`page.evaluate` of axe.min.js's text), which the site's Content Security
Policy does not govern: `add_script_tag` writes an inline <script> without the page's nonce,
which that policy rightly blocks, and `bypass_csp` would also let through the inline styles the
policy blocks, so axe would judge a page no reader sees.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import browser_type_launch_args, pytestmark  # noqa: F401
from tests.checkers import require_axe

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 390)


def violations_on(page) -> list[dict]:
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((node) => node.target.join(" ")),
            }));
        }""",
        WCAG_21_AA,
    )


def described(found: dict[str, list[dict]]) -> str:
    """One line a violation: page, rule, impact, what it asks, and the elements at fault."""
    lines = []
    for name, violations in found.items():
        for v in violations:
            targets = ", ".join(v["targets"][:5])
            more = f" and {len(v['targets']) - 5} more" if len(v["targets"]) > 5 else ""
            lines.append(f"{name}: {v['id']} ({v['impact']}) {v['help']}: {targets}{more}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_public_page_breaks_a_wcag_21_aa_rule(page, live_server, atlas, width):
    axe = require_axe().read_text(encoding="utf-8")
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    checked = 0
    for name, url in atlas.items():
        response = page.goto(live_server.url + url)
        assert response is not None and response.ok, name
        if not response.headers["content-type"].startswith("text/html"):
            continue  # a citation's plain text: the browser, not the site, lays it out
        page.evaluate(axe)
        checked += 1
        if violations := violations_on(page):
            found[name] = violations
    assert checked == len(atlas) - 1
    assert not found, "axe-core finds WCAG 2.1 AA violations:\n" + described(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_timeline_is_a_figure_whose_links_a_keyboard_reaches(page, live_server, atlas, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + atlas["commitment"])
    figure = page.get_by_role("figure", name="Pledged against delivered")
    chart = figure.get_by_role("group", name="Pledged against delivered")
    expect(chart).to_have_count(1)  # the one this width shows; the other is not displayed
    link = chart.get_by_role("link", name="Present a national strategy")
    expect(link).to_have_accessible_name(re.compile(r"Delivered late"))
    page.keyboard.press("Tab")
    for _ in range(60):
        if link.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(link).to_be_focused()
    # The table is the chart's text alternative, one link away in the caption.
    figure.get_by_role("link", name="the same as a table").click()
    expect(page.locator("table#timeline-table")).to_be_in_viewport()
