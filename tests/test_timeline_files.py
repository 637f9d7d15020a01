"""A policy's or a jurisdiction's timeline as a file a journalist can take away: an SVG that
renders alone, with its title and source line, and a PNG drawn from it; both show what the
page shows, as of its day, and nothing unpublished."""

import base64
import datetime as dt
import hashlib
import struct
from xml.etree import ElementTree

import pytest

from tests import factories as make
from tracker.site import charts

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The chart is 960 units wide (policies.timeline.WIDE) and the PNG doubles it.
PNG_WIDTH = 960 * charts.PNG_ZOOM
# The timeline files read what the chart on the page reads, less the rest of the page.
POLICY_FILE_QUERIES = 7
JURISDICTION_FILE_QUERIES = 10


@pytest.fixture
def strategy(frozen_clock):
    frozen_clock(dt.date(2026, 12, 3))
    country = make.jurisdiction(code="RU", name="Russia")
    policy = make.published_policy(slug="ru-ai", title="National AI Strategy", jurisdiction=country)
    present = make.published_commitment(
        policy=policy, title="Present the strategy", pledged="2019-02", due="2019-07-01"
    )
    make.published_assessment(
        commitment=present, status="delivered", as_of="2019-10-10", delivered="2019-10-10"
    )
    make.published_commitment(policy=policy, title="Train specialists", pledged="2021", due="2024")
    make.commitment(policy=policy, title="A draft pledge nobody approved", due="2025")
    return policy


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == PNG_SIGNATURE
    return struct.unpack(">II", body[16:24])


def words_of(svg: bytes) -> str:
    root = ElementTree.fromstring(svg)
    return " ".join("".join(node.itertext()) for node in root.iter(f"{SVG}text"))


def test_it_writes_the_policy_timeline_as_a_standalone_svg(client, strategy):
    response = client.get("/policies/ru-ai/timeline.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ElementTree.fromstring(response.content)
    words = words_of(response.content)
    assert "Present the strategy" in words and "Train specialists" in words
    assert "draft pledge" not in response.content.decode()
    assert "National AI Strategy" in words
    assert "Policy Tracker, http://testserver/policies/ru-ai/, as of 3 December 2026" in words
    style = root.find(f"{SVG}style").text
    # The colours come from site.css, written out: no custom property is left to resolve.
    assert ".timeline-chart .delivered { fill: #1a7f37; }" in style
    assert "var(" not in style
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links and all(link.startswith("http://testserver/") for link in links)


def test_the_svgs_one_inline_stylesheet_is_allowed_by_its_hash(client, strategy):
    response = client.get("/policies/ru-ai/timeline.svg")
    style = ElementTree.fromstring(response.content).find(f"{SVG}style").text
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in response["Content-Security-Policy"]


def test_an_svg_as_of_a_day_shows_what_was_known_then(client, strategy):
    response = client.get("/policies/ru-ai/timeline.svg?as_of=2020-01-01")
    words = words_of(response.content)
    assert "Present the strategy" in words
    # Pledged in 2021: not yet known on 1 January 2020.
    assert "Train specialists" not in words
    assert "/policies/ru-ai/?as_of=2020-01-01, as of 1 January 2020" in words


def test_a_day_that_is_no_date_is_refused(client, strategy):
    response = client.get("/policies/ru-ai/timeline.svg?as_of=soon")
    assert response.status_code == 400
    assert "is not a date" in response.content.decode()


def test_it_draws_the_png_from_the_svg(client, strategy):
    response = client.get("/policies/ru-ai/timeline.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="policy-ru-ai-timeline.png"'
    width, height = png_size(response.content)
    assert width == PNG_WIDTH
    svg = ElementTree.fromstring(client.get("/policies/ru-ai/timeline.svg").content)
    assert height == int(svg.get("height")) * charts.PNG_ZOOM


def test_a_tall_chart_is_drawn_at_its_own_size_not_twice_it():
    assert charts.png_zoom(960, 500) == 2
    assert charts.png_zoom(960, 6000) == 1


def test_the_preview_image_is_the_size_link_previews_want(client, strategy):
    response = client.get("/policies/ru-ai/preview.png")
    assert response.status_code == 200
    assert png_size(response.content) == (1200, 630)
    assert png_size(client.get("/jurisdictions/RU/preview.png").content) == (1200, 630)


def test_a_jurisdiction_timeline_is_a_file_too(client, strategy):
    response = client.get("/jurisdictions/ru/timeline.svg")
    assert response.status_code == 200
    words = words_of(response.content)
    assert "Russia" in words and "Present the strategy" in words
    assert "draft pledge" not in response.content.decode()
    assert png_size(client.get("/jurisdictions/RU/timeline.png").content)[0] == PNG_WIDTH


def test_a_jurisdiction_timeline_refuses_as_of_as_its_page_does(client, strategy):
    assert client.get("/jurisdictions/RU/?as_of=2020-01-01").status_code == 400
    assert client.get("/jurisdictions/RU/timeline.svg?as_of=2020-01-01").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/policies/secret/timeline.svg",
        "/policies/secret/timeline.png",
        "/policies/secret/preview.png",
        "/embed/policies/secret/",
        "/jurisdictions/ZZ/timeline.svg",
        "/jurisdictions/ZZ/timeline.png",
        "/jurisdictions/ZZ/preview.png",
        "/embed/jurisdictions/ZZ/",
    ],
)
def test_a_draft_has_no_timeline_file(client, strategy, url):
    make.policy(slug="secret", title="A draft policy", jurisdiction=strategy.jurisdiction)
    make.jurisdiction(code="ZZ", name="A draft land", state="draft")
    assert client.get(url).status_code == 404


def test_the_files_are_cached_and_revalidated_as_pages_are(client, strategy):
    first = client.get("/policies/ru-ai/timeline.png")
    assert first["ETag"]
    again = client.get("/policies/ru-ai/timeline.png", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/policies/ru-ai/timeline.svg", POLICY_FILE_QUERIES),
        ("/policies/ru-ai/timeline.png", POLICY_FILE_QUERIES),
        ("/policies/ru-ai/timeline.svg?as_of=2020-01-01", POLICY_FILE_QUERIES),
        ("/jurisdictions/RU/timeline.svg", JURISDICTION_FILE_QUERIES),
    ],
)
def test_a_timeline_file_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, strategy, url, queries
):
    for n in range(3):
        make.published_commitment(policy=strategy, title=f"More {n}", pledged="2020", due="2023")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_policy_page_links_to_its_files(client, strategy):
    page = client.get("/policies/ru-ai/?as_of=2020-01-01").content.decode()
    assert "Download the timeline:" in page
    assert 'href="/policies/ru-ai/timeline.svg?as_of=2020-01-01"' in page
    assert 'href="/policies/ru-ai/timeline.png?as_of=2020-01-01"' in page
    jurisdiction = client.get("/jurisdictions/RU/").content.decode()
    assert 'href="/jurisdictions/RU/timeline.svg"' in jurisdiction
