"""Every public page reflows on a phone (WCAG 1.4.10): at 320 and 390 px wide nothing scrolls
sideways, the menu wraps, tables stack or scroll in their own box and the timeline keeps its
labels readable. Screenshots at 390 and 1,280 px land in test-artifacts/ (git-ignored).
"""

import pytest

from tests.browser import browser_type_launch_args, pytestmark, shoot  # noqa: F401

PHONES = (320, 390)
# A tablet upright and across: wide enough that tables do not stack on the page, narrow
# enough that a list's table beside its filters must.
TABLETS = (768, 1024)
WIDE = 1280


def scroll_width(page) -> int:
    """How far the page reaches sideways, in CSS pixels, beyond the window's width."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def box_of(locator):
    box = locator.bounding_box()
    return box["x"], box["x"] + box["width"]


def shown_chart(page):
    """The timeline chart the window shows: the wide one or, on a phone, the narrow one."""
    return page.locator("svg.timeline-chart:visible")


@pytest.mark.parametrize("width", (*PHONES, *TABLETS))
def test_no_public_page_scrolls_sideways_on_a_phone_or_a_tablet(page, live_server, atlas, width):
    page.set_viewport_size({"width": width, "height": 800})
    too_wide = {}
    for name, url in atlas.items():
        page.goto(live_server.url + url)
        if (extra := scroll_width(page)) > 0:
            too_wide[name] = extra
    assert too_wide == {}


@pytest.mark.parametrize(("width", "stacked"), [(390, True), (768, True), (1280, False)])
def test_a_lists_table_stacks_when_the_column_beside_the_filters_is_narrow(
    page, live_server, atlas, width, stacked
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + atlas["commitments"])
    row = page.locator("main table tbody tr").first
    assert (row.evaluate("row => getComputedStyle(row).display") == "block") == stacked


def test_the_menu_wraps_so_that_search_is_on_the_screen(page, live_server, atlas):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + atlas["policy"])
    search = page.get_by_role("navigation", name="Main").get_by_role("link", name="Search")
    assert search.is_visible()
    left, right = box_of(search)
    assert left >= 0 and right <= 390


@pytest.mark.parametrize("width", (*PHONES, 1024, WIDE))
def test_the_timeline_keeps_today_and_every_label_inside_the_chart(page, live_server, atlas, width):
    page.set_viewport_size({"width": width, "height": 800})
    for name in ("commitment", "policy", "jurisdiction", "policy-as-of"):
        page.goto(live_server.url + atlas[name])
        chart = shown_chart(page)
        assert ("timeline-narrow" in chart.get_attribute("class")) == (width in PHONES)
        left, right = box_of(chart)
        today = chart.locator(".today-label")
        assert today.text_content() in ("Today", "As of 1 Aug 2019")
        start, end = box_of(today)
        assert left <= start and end <= right, name
        texts = chart.locator("text")
        for n in range(texts.count()):
            start, end = box_of(texts.nth(n))
            assert left <= start and end <= right, (name, texts.nth(n).text_content())


@pytest.mark.parametrize("width", (390, WIDE))
def test_the_events_of_a_country_stay_apart(page, live_server, atlas, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + atlas["jurisdiction"])
    marks = shown_chart(page).locator("rect.event-mark")
    boxes = [marks.nth(n).bounding_box() for n in range(marks.count())]
    assert len(boxes) == 6
    for n, one in enumerate(boxes):
        for other in boxes[n + 1 :]:
            # A pixel of white at least between two marks, across or down.
            apart = (
                one["x"] + one["width"] + 1 <= other["x"]
                or other["x"] + other["width"] + 1 <= one["x"]
                or one["y"] + one["height"] + 1 <= other["y"]
                or other["y"] + other["height"] + 1 <= one["y"]
            )
            assert apart, (one, other)


@pytest.mark.parametrize("width", (390, WIDE))
def test_it_shoots_the_main_pages_on_a_phone_and_a_laptop(page, live_server, atlas, width):
    page.set_viewport_size({"width": width, "height": 900})
    for name in ("home", "policy", "commitment", "jurisdiction", "search", "compare"):
        page.goto(live_server.url + atlas[name])
        assert page.get_by_role("heading", level=1).is_visible()
        assert scroll_width(page) <= 0
        shoot(page, f"reflow-{name}-{width}")
