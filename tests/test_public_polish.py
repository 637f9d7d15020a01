"""Small things a reader trips over: a scorecard's numbers lead to what they count; a filter
appears once in its form, its help text where its field points; a rank reads as a rank."""

import pytest

from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def russia():
    country = make.jurisdiction(code="RU", name="Russia")
    policy = make.published_policy(jurisdiction=country, title="National AI Strategy")
    late = make.published_commitment(policy=policy, due="2020", title="Overdue pledge")
    make.published_assessment(commitment=late, status="in_progress", as_of="2021-03")
    done = make.published_commitment(policy=policy, due="2030", title="Delivered pledge")
    make.published_assessment(
        commitment=done, status="delivered", as_of="2021-03", delivered="2021-03"
    )
    make.published_commitment(
        policy=make.published_policy(title="Elsewhere"), due="2020", title="Another country's"
    )
    return country


@pytest.mark.parametrize(
    "url", ["/jurisdictions/RU/", "/jurisdictions/", "/", "/compare/?jurisdiction=RU"]
)
def test_a_scorecard_number_links_to_the_commitments_it_counts(client, russia, url):
    html = client.get(url).text
    overdue = "/commitments/?jurisdiction=RU&amp;standing=overdue"
    assert f'<a href="{overdue}">1</a>' in html
    listed = client.get("/commitments/", {"jurisdiction": "RU", "standing": "overdue"})
    assert [c.title for c in listed.context["page"]] == ["Overdue pledge"]


def test_a_policy_s_scorecard_links_within_the_policy_but_not_when_shown_as_of_a_day(
    client, russia
):
    policy = russia.policies.get()
    html = client.get(f"/policies/{policy.slug}/").text
    assert f'href="/commitments/?policy={policy.slug}&amp;standing=on_time"' in html
    earlier = client.get(f"/policies/{policy.slug}/?as_of=2021-06-01").text
    assert "standing=" not in earlier


def test_an_unknown_standing_is_refused(client):
    response = client.get("/commitments/", {"standing": "sideways"})
    assert response.status_code == 400


def test_the_commitment_filters_show_the_due_year_once_and_their_help_text(client, russia):
    html = client.get("/commitments/").text
    assert html.count(">Due in year</label>") == 1
    assert 'aria-describedby="id_jurisdiction_helptext"' in html
    assert 'id="id_jurisdiction_helptext"' in html
    assert client.get("/commitments/", {"year": "2020"}).context["page"].paginator.count == 2


def test_a_rank_reads_as_a_rank():
    estimate = make.estimate(value="29", unit="rank", currency="")
    assert estimate.value_display == "rank 29"
