"""The "as of" view: a policy timeline as it was known on an earlier day."""

import datetime as dt

import pytest

from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    policy = make.published_policy(title="National AI Strategy")
    pledge = make.published_commitment(
        policy=policy, pledged="2019-02-27", due="2019-07-01", title="Present the strategy"
    )
    make.published_assessment(commitment=pledge, status="in_progress", as_of="2019-05")
    make.published_assessment(
        commitment=pledge, status="delivered", as_of="2019-10-10", delivered="2019-10-10"
    )
    make.published_commitment(policy=policy, pledged="2020-03", due="2024", title="Later pledge")
    event = make.event(occurred="2019-10-10", title="Decree signed", **make.PUBLISHED)
    event.policies.add(policy)
    return policy


def test_it_shows_the_latest_status_without_as_of(client, strategy):
    response = client.get(f"/policies/{strategy.slug}/")
    assert response.context["scorecard"].count("late") == 1
    assert response.context["as_of"] is None


def test_it_hides_assessments_dated_after_the_as_of_day(client, strategy):
    response = client.get(f"/policies/{strategy.slug}/?as_of=2019-08-01")
    assert response.status_code == 200
    (pledge,) = response.context["commitments"]
    # Last checked in May 2019, before the 1 July deadline: as of August nobody had looked.
    assert pledge.current.label == "Not checked since May 2019"
    assert pledge.current.slippage_days is None
    assert [item.as_of.isoformat() for _, kind, item in response.context["chronology"]] == [
        "2019-05"
    ]
    text = response.text
    assert "Decree signed" not in text
    assert "Later pledge" not in text
    assert "Showing what was known on 1 August 2019" in text
    assert response.context["timeline"].today == dt.date(2019, 8, 1)
    assert "As of 1 Aug 2019" in text


def test_it_shows_the_earlier_verdict_before_the_deadline(client, strategy):
    response = client.get(f"/policies/{strategy.slug}/?as_of=2019-06-01")
    (pledge,) = response.context["commitments"]
    assert pledge.current.label == "In progress"
    assert response.context["scorecard"].count("in_progress") == 1


def test_it_refuses_a_malformed_as_of_with_a_400(client, strategy):
    response = client.get(f"/policies/{strategy.slug}/?as_of=last-tuesday")
    assert response.status_code == 400
    assert "is not a date; write it as YYYY-MM-DD" in response.text


# A commitment's page honours it too; every other page, and the API, refuse it.


def pledge_of(policy):
    return policy.commitments.get(title="Present the strategy")


def test_a_commitment_shows_what_was_known_on_the_as_of_day(client, strategy):
    pledge = pledge_of(strategy)
    event = make.event(occurred="2019-10-10", title="Strategy presented", **make.PUBLISHED)
    event.commitments.add(pledge)
    response = client.get(f"/commitments/{pledge.slug}/?as_of=2019-06-01")
    assert response.status_code == 200
    assert [a.as_of.isoformat() for a in response.context["assessments"]] == ["2019-05"]
    assert response.context["commitment"].current.label == "In progress"
    text = response.text
    assert "Showing what was known on 1 June 2019" in text
    assert "Strategy presented" not in text
    latest = client.get(f"/commitments/{pledge.slug}/")
    assert latest.context["commitment"].current.label.startswith("Delivered")
    assert "Strategy presented" in latest.text


def test_a_commitment_refuses_a_malformed_as_of(client, strategy):
    response = client.get(f"/commitments/{pledge_of(strategy).slug}/?as_of=soon")
    assert response.status_code == 400
    assert "is not a date" in response.text


@pytest.mark.parametrize(
    "url",
    ["/", "/jurisdictions/", "/commitments/", "/compare/", "/search/?q=strategy", "/feed/"],
)
def test_a_page_that_cannot_show_an_earlier_day_says_so_instead_of_ignoring_it(
    client, strategy, url
):
    joined = "&" if "?" in url else "?"
    response = client.get(f"{url}{joined}as_of=2019-06-01")
    assert response.status_code == 400
    assert "page can show what was known on an earlier day" in response.text
    assert "Show this page as it is today" in response.text


def test_the_refusal_links_to_the_page_without_as_of(client, strategy):
    response = client.get("/search/?q=strategy&as_of=2019-06-01")
    assert 'href="/search/?q=strategy"' in response.text


@pytest.mark.parametrize(
    "url", ["/api/v1/commitments/", "/api/v1/policies/", "/api/v1/commitments/csv/"]
)
def test_the_api_refuses_as_of_rather_than_pass_today_off_as_that_day(client, strategy, url):
    response = client.get(url, {"as_of": "2019-06-01"})
    assert response.status_code == 400
    assert "as_of does not apply" in response.json()["as_of"][0]


def test_an_editor_is_refused_as_of_on_those_pages_too(editor_client, strategy):
    assert editor_client.get("/jurisdictions/?as_of=2019-06-01").status_code == 400
