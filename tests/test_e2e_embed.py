"""A page of another site frames the timeline: a browser loads it (served here for an origin of
its own) and the chart draws inside the frame, while the same page framing the full policy page
gets nothing from it."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests import factories as make
from tests.browser import browser_type_launch_args, pytestmark, shoot  # noqa: F401


@pytest.fixture
def elsewhere(tmp_path):
    """Another site: a static file server on 127.0.0.1, another origin than the live server's
    (localhost). It is local, as the live server is: Chromium keeps a page from the internet
    from framing a local address (Local Network Access), whatever the frame allows."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def strategy(transactional_db, today):
    country = make.jurisdiction(code="RU", name="Russia")
    policy = make.published_policy(slug="ru-ai", title="National AI Strategy", jurisdiction=country)
    make.published_commitment(
        policy=policy, title="Present the strategy", pledged="2019-02", due="2019-07-01"
    )
    return policy


def a_page_elsewhere(page, elsewhere, *frames: str) -> None:
    """Write a static page on the other site that frames each of `frames`, and open it."""
    iframes = "".join(
        f'<iframe src="{src}" title="Frame {n}" width="1000" height="600"></iframe>'
        for n, src in enumerate(frames)
    )
    html = (
        f"<!doctype html><html lang='en'><title>A news story</title><body>{iframes}</body></html>"
    )
    folder, origin = elsewhere
    (folder / "story.html").write_text(html)
    page.goto(f"{origin}/story.html")


def test_a_page_on_another_origin_shows_the_embedded_chart(page, live_server, strategy, elsewhere):
    a_page_elsewhere(page, elsewhere, f"{live_server.url}/embed/policies/ru-ai/")
    frame = page.frame_locator("iframe[title='Frame 0']")
    chart = frame.locator("svg.timeline-chart:visible")
    chart.wait_for()
    assert "Present the strategy" in chart.text_content()
    assert frame.locator("h1 a").get_attribute("href") == f"{live_server.url}/policies/ru-ai/"
    shoot(page, "embed-elsewhere")


def test_the_full_page_stays_out_of_another_sites_frame(page, live_server, strategy, elsewhere):
    embed, full = f"{live_server.url}/embed/policies/ru-ai/", f"{live_server.url}/policies/ru-ai/"
    a_page_elsewhere(page, elsewhere, embed, full)
    # Once the embed has drawn, the refused frame has had its answer too: both were asked at once.
    page.frame_locator("iframe[title='Frame 0']").locator("svg.timeline-chart:visible").wait_for()
    refused = page.frame_locator("iframe[title='Frame 1']")
    assert refused.locator("svg.timeline-chart").count() == 0
    # Chromium shows its own error page in the frame instead.
    assert "National AI Strategy" not in refused.locator("body").text_content()
