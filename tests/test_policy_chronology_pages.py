"""A policy's page stays the same size however many commitments it has: the chronology comes in
pages, the chart draws the commitments due nearest the day it shows, the scorecard counts all."""

import re

import pytest
from django.core.cache import cache

from tests import factories as make
from tracker.core.editorial import State
from tracker.site import pages, views

pytestmark = pytest.mark.django_db

DASH = "\N{EN DASH}"  # the pages write a range of items as typographers do


def grow(policy, n, *, source, start=0):
    """Add `n` published commitments to `policy`, due one a year from 2020 on, each with two
    cited assessments (2021 and 2022) and a cited event, and a draft assessment beside them."""
    for i in range(start, start + n):
        pledge = make.published_commitment(
            policy=policy, pledged="2019", due=str(2020 + i % 40), title=f"Pledge number {i:04d}"
        )
        for year in ("2021", "2022"):
            verdict = make.published_assessment(commitment=pledge, as_of=f"{year}-{i % 12 + 1:02d}")
            make.cite(verdict, source=source, quote=f"The verdict of {year} on pledge {i:04d}.")
        make.assessment(commitment=pledge, as_of="2023", summary="Draft verdict never shown")
        event = make.event(occurred=f"2020-{i % 12 + 1:02d}", title=f"Event number {i:04d}")
        event.state = State.PUBLISHED
        event.save()
        event.policies.add(policy)
        make.cite(event, source=source, quote=f"The event {i:04d} happened.")


@pytest.fixture
def source():
    return make.source(title="Progress report")


@pytest.fixture
def strategy(source):
    policy = make.published_policy(title="Large Strategy")
    make.cite(policy, source=source, quote="The strategy is approved.")
    return policy


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 4 chronology items and charts of 3 rows, so that a few entries fill several."""
    monkeypatch.setattr(views, "PER_PAGE", 4)
    monkeypatch.setattr(views, "TIMELINE_ROWS", 3)


def url(policy, query=""):
    return f"/policies/{policy.slug}/{query}"


def chronology_ids(response):
    return [item.pk for _, _, item in response.context["chronology"]]


def test_a_policy_of_120_commitments_stays_under_300_kb(client, strategy, source, today):
    grow(strategy, 120, source=source)
    response = client.get(url(strategy))
    assert response.status_code == 200
    # Without pages, the chronology alone (240 assessments and 120 events with their quotes)
    # and the chart's 120 rows weighed more than this.
    assert len(response.content) < 300_000
    text = response.text
    assert response.context["scorecard"].total == 120
    assert len(response.context["commitments"]) == views.TIMELINE_ROWS
    # Each of the two charts, a screen's and a phone's, draws them.
    assert text.count('<g class="row ') == 2 * views.TIMELINE_ROWS
    assert len(response.context["chronology"]) == views.PER_PAGE
    assert f"Showing 1{DASH}50 of 360 events and assessments, oldest first." in text
    assert "of 120 in all" in text
    assert f'href="/commitments/?policy={strategy.slug}"' in text
    assert f'href="/events/?policy={strategy.slug}"' in text
    assert "Draft verdict never shown" not in text
    assert "The strategy is approved." in text


def test_the_page_weighs_the_same_for_three_times_the_commitments(
    client, strategy, source, small_pages, today
):
    grow(strategy, 10, source=source)
    before = len(client.get(url(strategy)).content)
    grow(strategy, 20, source=source, start=10)
    cache.clear()
    response = client.get(url(strategy))
    assert response.context["scorecard"].total == 30
    # Each commitment added a chart row (about 1.5 KB with its table row) and three
    # chronology items before: twenty more made the page half as large again.
    assert len(response.content) < before * 1.05


def test_it_pages_the_chronology_oldest_first_with_every_item_once(
    client, strategy, source, small_pages, today
):
    grow(strategy, 3, source=source)
    seen, dates = [], []
    for number in (1, 2, 3):
        response = client.get(url(strategy, f"?page={number}"))
        assert response.status_code == 200
        seen += chronology_ids(response)
        dates += [(when.start, when.end) for when, _, _ in response.context["chronology"]]
    # Three commitments: six published assessments and three events, four a page.
    assert len(seen) == 9
    assert dates == sorted(dates)
    page = response.context["chronology_page"]
    assert (page.number, page.paginator.num_pages, page.start_index(), page.end_index()) == (
        3,
        3,
        9,
        9,
    )
    assert f"Showing 9{DASH}9 of 9 events and assessments" in response.text


def test_its_links_go_between_pages_and_keep_the_as_of_day(
    client, strategy, source, small_pages, today
):
    grow(strategy, 3, source=source)
    text = client.get(url(strategy, "?page=2")).text
    assert 'href="?page=1#chronology-heading">First</a>' in text
    assert 'rel="prev" href="?page=1#chronology-heading"' in text
    assert 'rel="next" href="?page=3#chronology-heading"' in text
    assert 'href="?page=3#chronology-heading">Last</a>' in text
    text = client.get(url(strategy, "?as_of=2021-12-31&page=1")).text
    assert 'rel="next" href="?as_of=2021-12-31&amp;page=2#chronology-heading"' in text
    assert "Previous" not in text


def test_the_as_of_day_pages_only_what_was_known_then(client, strategy, source, small_pages, today):
    grow(strategy, 3, source=source)
    # By the end of 2021: three events of 2020 and the three assessments of 2021.
    response = client.get(url(strategy, "?as_of=2021-12-31&page=2"))
    assert response.status_code == 200
    assert response.context["chronology_page"].paginator.count == 6
    assert all(when.start.year <= 2021 for when, _, _ in response.context["chronology"])
    assert f"Showing 5{DASH}6 of 6" in response.text
    assert "Showing what was known on 31 December 2021" in response.text
    assert client.get(url(strategy, "?as_of=2021-12-31&page=3")).status_code == 404
    assert client.get(url(strategy, "?page=3")).status_code == 200


@pytest.mark.parametrize("number", ["abc", "0", "-1", "2.5", "1e3", "٢", "9" * 5000])
def test_it_refuses_a_page_number_that_is_not_one_with_a_400(client, strategy, number):
    response = client.get(url(strategy), {"page": number})
    assert response.status_code == 400
    assert "is not a page number; write a whole number from 1" in response.text


def test_it_answers_a_page_past_the_last_with_a_404(client, strategy, source, small_pages):
    grow(strategy, 1, source=source)
    assert client.get(url(strategy, "?page=1")).status_code == 200
    assert client.get(url(strategy, "?page=2")).status_code == 404
    assert client.get(url(strategy, "?page=999999999")).status_code == 404


def test_an_empty_chronology_has_its_first_page(client, strategy):
    response = client.get(url(strategy, "?page=1"))
    assert response.status_code == 200
    assert "No published events or assessments" in response.text
    assert client.get(url(strategy, "?page=2")).status_code == 404


def test_it_reports_both_a_bad_day_and_a_bad_page(client, strategy):
    response = client.get(url(strategy, "?as_of=yesterday&page=first"))
    assert response.status_code == 400
    assert "is not a date" in response.text
    assert "page: &#x27;first&#x27; is not a page number" in response.text


def test_each_page_is_cached_under_its_own_key(client, strategy, source, small_pages, today):
    grow(strategy, 2, source=source)
    first = client.get(url(strategy, "?page=1"))
    second = client.get(url(strategy, "?page=2"))
    assert first.content != second.content
    assert first["ETag"] != second["ETag"]
    for response in (first, second):
        assert cache.get(pages.PAGE_PREFIX + response["ETag"].strip('"')) is not None
    assert client.get(url(strategy, "?page=2")).content == second.content
    assert client.get(url(strategy, "?page=1")).content == first.content


def test_an_editor_sees_the_public_pages_and_fills_no_cache(
    editor_client, strategy, source, small_pages, today
):
    grow(strategy, 2, source=source)
    response = editor_client.get(url(strategy, "?page=2"))
    assert response.status_code == 200
    assert "Draft verdict never shown" not in response.text
    assert response.context["chronology_page"].paginator.count == 6
    assert "ETag" not in response and "no-cache" in response["Cache-Control"]


def test_the_chart_draws_the_commitments_due_nearest_the_day_shown(
    client, strategy, source, small_pages, today
):
    # Due 2020, 2021, ... 2029; today is in 2026.
    grow(strategy, 10, source=source)
    response = client.get(url(strategy))
    assert sorted(c.due.end.year for c in response.context["commitments"]) == [2025, 2026, 2027]
    assert response.context["scorecard"].total == 10
    text = response.text
    assert "The chart draws the 3 commitments due nearest today, of 10 in all" in text
    assert len(response.context["timeline"].events) == 3
    # The end of 2022 is 92 days away, of 2021 273, of 2023 457, of 2020 638.
    as_of = client.get(url(strategy, "?as_of=2022-09-30"))
    assert sorted(c.due.end.year for c in as_of.context["commitments"]) == [2021, 2022, 2023]
    assert "due nearest 30 September 2022, of 10 in all" in as_of.text


def test_a_small_policy_draws_everything_and_says_nothing_of_pages(client, strategy, source):
    grow(strategy, 2, source=source)
    text = client.get(url(strategy)).text
    assert "The chart draws" not in text
    assert "Showing" not in text
    assert 'class="pager"' not in text
    assert text.count('<g class="row ') == 2 * 2  # in the screen's chart and the phone's


def test_the_rows_of_the_chart_are_those_of_its_table(client, strategy, source, small_pages):
    grow(strategy, 6, source=source)
    text = client.get(url(strategy)).text
    table = text.split('class="timeline-table"')[1]
    chart = text.split("<svg")[1].split("</svg>")[0]
    in_table = re.findall(r'href="/commitments/([^/]+)/"', table)
    in_chart = re.findall(r'href="/commitments/([^/]+)/"', chart)
    assert len(in_table) == 3
    assert in_table == in_chart
