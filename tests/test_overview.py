"""Scorecards count every commitment from plain values; they must agree with each page."""

import datetime as dt

import pytest

from policies import selectors, standings
from policies.progress import Status
from policies.scorecard import card_for
from tests import factories as make
from tracker.core.editorial import State
from tracker.site import views

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


def commitments_in_every_standing(country):
    """One commitment for each way a standing is reached, with drafts and ties around them."""
    strategy = make.published_policy(jurisdiction=country)
    on_time = make.published_commitment(policy=strategy, due="2020")
    make.published_assessment(
        commitment=on_time, as_of="2020-12", status="delivered", delivered="2020-06"
    )
    late = make.published_commitment(policy=strategy, due="2019-10")
    make.published_assessment(
        commitment=late, as_of="2021", status="delivered", delivered="2020-Q3"
    )
    overdue = make.published_commitment(policy=strategy, due="2024")
    make.published_assessment(commitment=overdue, as_of="2023", status="in_progress")
    make.assessment(commitment=overdue, as_of="2025", status="delivered", delivered="2025-01")
    tied = make.published_commitment(policy=strategy, due="2030")
    make.published_assessment(commitment=tied, as_of="2024", status="stalled")
    make.published_assessment(commitment=tied, as_of="2024", status="missed")  # recorded later
    future = make.published_commitment(policy=strategy, due="2030")
    make.published_assessment(commitment=future, as_of="2027", status="abandoned")  # not known yet
    make.published_commitment(policy=strategy, due=None)
    make.published_commitment(policy=strategy, due="2031")
    make.commitment(policy=strategy, due="2020")  # a draft: never counted
    return strategy


def test_the_counted_progress_agrees_with_each_commitment_s_own():
    country = make.jurisdiction(code="RU")
    commitments_in_every_standing(country)
    entries = list(selectors.commitments())
    verdicts = selectors.published_verdicts(c.pk for c in entries)
    pages = {c.pk: c.progress(verdicts=verdicts[c.pk], today=TODAY) for c in entries}
    counted = {
        s.id: s.current for s in standings.progress_of_all(selectors.commitments_bare(), on=TODAY)
    }
    assert counted == pages
    assert len(counted) == 7


def test_the_scorecard_from_plain_values_equals_the_scorecard_from_the_entries():
    country = make.jurisdiction(code="RU")
    commitments_in_every_standing(country)
    entries = list(selectors.commitments())
    verdicts = selectors.published_verdicts(c.pk for c in entries)
    standings.with_progress(entries, verdicts=verdicts, on=TODAY)
    assert card_for(standings.progress_of_all(selectors.commitments_bare(), on=TODAY)) == (
        card_for(entries)
    )


def test_a_tied_commitment_reads_the_later_verdict_everywhere():
    strategy = make.published_policy()
    tied = make.published_commitment(policy=strategy, due="2030")
    make.published_assessment(commitment=tied, as_of="2024", status="stalled")
    make.published_assessment(commitment=tied, as_of="2024", status="missed")
    (counted,) = standings.progress_of_all(selectors.commitments_bare(), on=TODAY)
    assert counted.current.status == Status.MISSED
    verdicts = selectors.published_verdicts([tied.pk])[tied.pk]
    assert tied.progress(verdicts=verdicts, today=TODAY).status == Status.MISSED


def test_a_large_jurisdiction_draws_the_commitments_due_nearest_today_and_counts_them_all(
    client, monkeypatch, today
):
    monkeypatch.setattr(views, "TIMELINE_ROWS", 2)
    country = make.jurisdiction(code="RU", name="Russia")
    strategy = make.published_policy(jurisdiction=country)
    year = today.year
    for offset, title in [(-16, "Long ago"), (0, "This year"), (1, "Next year"), (14, "Far")]:
        make.published_commitment(policy=strategy, due=str(year + offset), title=title)
    page = client.get("/jurisdictions/RU/").text
    assert "The chart draws the 2 commitments due nearest today, of 4 in all" in page
    assert "/commitments/?jurisdiction=RU" in page
    assert "This year" in page and "Next year" in page
    assert "Long ago" not in page and "Far" not in page
    total = '<a href="/commitments/?jurisdiction=RU">4</a>'
    assert f'<div class="score score-total"><dt>Commitments</dt><dd>{total}</dd></div>' in page


def test_a_small_jurisdiction_draws_every_commitment(client):
    country = make.jurisdiction(code="RU", name="Russia")
    strategy = make.published_policy(jurisdiction=country)
    make.published_commitment(policy=strategy, due="2010", title="Long ago")
    page = client.get("/jurisdictions/RU/").text
    assert "The chart draws" not in page
    assert "Long ago" in page


def test_a_jurisdiction_lists_the_first_funding_of_each_kind_and_links_to_all(client, monkeypatch):
    monkeypatch.setattr(views, "FUNDING_ROWS", 2)
    country = make.jurisdiction(code="RU", name="Russia")
    strategy = make.published_policy(jurisdiction=country)
    ministry = make.actor(jurisdiction=country, state=State.PUBLISHED)
    elsewhere = make.published_policy()
    for n, (policy, funder) in enumerate([(strategy, None), (elsewhere, ministry)] * 2):
        make.funding(
            slug=f"pledge-{n}", policy=policy, funder=funder, purpose=f"Pledge {n}",
            state=State.PUBLISHED,
        )  # fmt: skip
    make.funding(policy=strategy, kind="spent", purpose="Spent once", state=State.PUBLISHED)
    make.funding(policy=strategy, purpose="A draft")  # never listed or counted
    make.funding(policy=elsewhere, purpose="Another country's", state=State.PUBLISHED)

    page = client.get("/jurisdictions/RU/")

    groups = {group.label: group for group in page.context["funding"]}
    assert [f.purpose for f in groups["Pledged"].items] == ["Pledge 0", "Pledge 1"]
    assert groups["Pledged"].total == 4 and groups["Spent"].total == 1
    assert "Pledged (2 of 4)" in page.text
    assert "/funding/?jurisdiction=RU&amp;kind=pledged" in page.text
    assert "kind=spent" not in page.text  # every spent entry is listed
    assert "A draft" not in page.text and "Another country" not in page.text
    listed = client.get("/funding/?jurisdiction=RU&kind=pledged").text
    assert all(f"Pledge {n}" in listed for n in range(4))


def test_a_jurisdiction_chart_marks_the_events_nearest_today_and_counts_them_all(
    client, monkeypatch, today
):
    monkeypatch.setattr(views, "TIMELINE_ROWS", 2)
    country = make.jurisdiction(code="RU", name="Russia")
    make.published_commitment(policy=make.published_policy(jurisdiction=country))
    year = today.year
    for offset, title in [(-20, "Long ago"), (0, "This year"), (-1, "Last year"), (15, "Far")]:
        make.event(
            jurisdiction=country, occurred=str(year + offset), title=title, state=State.PUBLISHED
        )
    make.event(jurisdiction=country, occurred=str(year), title="A draft event")

    page = client.get("/jurisdictions/RU/").text

    assert "and the 2 events nearest today, of 4" in page
    assert "/events/?jurisdiction=RU" in page
    assert "This year" in page and "Last year" in page
    assert "Long ago" not in page and "Far" not in page and "A draft event" not in page
