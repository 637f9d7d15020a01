"""Each public page shows published entries, and nothing unpublished."""

import pytest

from tests import factories as make
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

DRAFT = {"state": State.DRAFT}


@pytest.fixture
def world():
    """A published jurisdiction, policy and commitments, with drafts beside each."""
    country = make.jurisdiction(code="RU", name="Russia")
    strategy = make.published_policy(jurisdiction=country, title="National AI Strategy")
    late = make.published_commitment(
        policy=strategy, pledged="2019-02-27", due="2019-07-01", title="Present the strategy"
    )
    make.published_assessment(
        commitment=late, status="delivered", as_of="2019-10-10", delivered="2019-10-10"
    )
    overdue = make.published_commitment(policy=strategy, due="2024", title="Improve by 2024")
    make.published_commitment(policy=strategy, due="2030", title="Lead by 2030")
    checked = make.published_commitment(policy=strategy, due="2024", title="Checked after 2024")
    make.published_assessment(commitment=checked, status="in_progress", as_of="2025-06")
    make.commitment(policy=strategy, due="2024", title="Secret draft pledge", **DRAFT)
    make.assessment(commitment=overdue, status="delivered", as_of="2025-01", delivered="2025-01")
    make.policy(jurisdiction=country, title="Draft programme", **DRAFT)
    source = make.source(title="Decree No. 490")
    make.cite(strategy, source=source, quote="The strategy is approved.", page="3")
    hidden = make.source(title="Unpublished source", state=State.DRAFT)
    make.cite(strategy, source=hidden, quote="Leaked passage.", page="1")
    event = make.event(title="Decree signed", jurisdiction=country, **make.PUBLISHED)
    event.policies.add(strategy)
    make.event(title="Draft event", jurisdiction=country)
    return {
        "country": country,
        "strategy": strategy,
        "late": late,
        "overdue": overdue,
        "source": source,
        "event": event,
    }


def test_it_shows_the_home_page_with_published_scorecards(client, world):
    response = client.get("/")
    assert response.status_code == 200
    text = response.text
    assert "Russia" in text
    # Checked after its due date and still open: overdue. "Improve by 2024" was never checked,
    # so it is not called overdue.
    overdue_list = text.split('id="overdue-heading"')[1].split("</section>")[0]
    assert "Checked after 2024" in overdue_list
    assert "Improve by 2024" not in overdue_list
    unchecked_list = text.split('id="unchecked-heading"')[1].split("</section>")[0]
    assert "Improve by 2024" in unchecked_list and "Not checked" in unchecked_list
    assert "Decree signed" in text
    assert "Secret draft pledge" not in text
    assert "Draft event" not in text
    assert response.context["scorecard"].total == 4


def test_it_shows_a_policy_timeline_with_only_published_entries(client, world, today):
    response = client.get(f"/policies/{world['strategy'].slug}/")
    assert response.status_code == 200
    text = response.text
    assert "National AI Strategy" in text
    assert "<svg" in text and '<title id="timeline-title">' in text and "<desc" in text
    assert "Present the strategy" in text and "Delivered late" in text
    assert "Secret draft pledge" not in text
    assert "Draft programme" not in text
    assert "The strategy is approved." in text
    assert "Leaked passage." not in text
    card = response.context["scorecard"]
    assert card.total == 4
    assert card.count("late") == 1
    # The draft "delivered" verdict does not change the public status.
    assert card.count("not_checked") == 1
    assert card.count("overdue") == 1


def test_it_links_feeds_for_autodiscovery_on_a_policy(client, world):
    text = client.get(f"/policies/{world['strategy'].slug}/").text
    assert (
        f'type="application/atom+xml" title="National AI Strategy: new developments" href="/policies/{world["strategy"].slug}/feed/"'
        in text
    )
    assert 'href="/feed/"' in text


def test_it_hides_a_draft_policy_from_readers(client, world):
    draft = make.policy(jurisdiction=world["country"], title="Not yet", **DRAFT)
    assert client.get(f"/policies/{draft.slug}/").status_code == 404
    assert client.get("/policies/no-such-policy/").status_code == 404


def test_it_hides_a_published_commitment_of_a_draft_policy(client, world):
    draft = make.policy(jurisdiction=world["country"], **DRAFT)
    orphan = make.published_commitment(policy=draft, title="Orphan")
    assert client.get(f"/commitments/{orphan.slug}/").status_code == 404
    assert "Orphan" not in client.get("/commitments/").text


def test_it_lets_an_editor_preview_a_draft_with_a_banner_and_no_caching(editor_client, world):
    draft = make.policy(jurisdiction=world["country"], title="Coming soon", **DRAFT)
    response = editor_client.get(f"/policies/{draft.slug}/")
    assert response.status_code == 200
    assert "draft-banner" in response.text
    assert "no-cache" in response["Cache-Control"]
    assert "ETag" not in response


def test_it_shows_no_banner_on_published_entries_for_editors(editor_client, world):
    response = editor_client.get(f"/policies/{world['strategy'].slug}/")
    assert "draft-banner" not in response.text


def test_it_shows_a_jurisdiction_with_its_scorecard(client, world):
    response = client.get("/jurisdictions/RU/")
    assert response.status_code == 200
    assert response.context["scorecard"].total == 4
    assert "Draft programme" not in response.text
    assert client.get("/jurisdictions/ru/").status_code == 200
    assert client.get("/jurisdictions/ZZ/").status_code == 404


def test_it_hides_a_draft_jurisdiction(client):
    hidden = make.jurisdiction(code="XX", state=State.DRAFT)
    assert client.get(f"/jurisdictions/{hidden.code}/").status_code == 404
    assert hidden.name not in client.get("/jurisdictions/").text


def test_it_shows_a_commitment_with_its_assessment_history_and_citations(client, world):
    source = make.source(title="Progress report")
    assessment = world["late"].assessments.get()
    make.cite(assessment, source=source, quote="It was signed in October.", section="2.1")
    response = client.get(f"/commitments/{world['late'].slug}/")
    assert response.status_code == 200
    text = response.text
    assert "Delivered late" in text
    assert "It was signed in October." in text
    assert "section “2.1”" in text
    assert "Progress report" in text


def test_it_hides_draft_assessments_from_a_commitment_history(client, world):
    response = client.get(f"/commitments/{world['overdue'].slug}/")
    assert response.status_code == 200
    assert response.context["assessments"] == []
    assert "Not checked" in response.text
    assert "Never: no published assessment" in response.text


def test_it_shows_an_event_with_only_published_relations(client, world):
    draft_policy = make.policy(jurisdiction=world["country"], title="Hidden plan", **DRAFT)
    world["event"].policies.add(draft_policy)
    response = client.get(f"/events/{world['event'].slug}/")
    assert response.status_code == 200
    assert "National AI Strategy" in response.text
    assert "Hidden plan" not in response.text


def test_it_shows_funding_in_its_own_currency(client, world):
    entry = make.funding(
        policy=world["strategy"],
        amount=280_000_000_000,
        currency="RUB",
        qualifier="more_than",
        **make.PUBLISHED,
    )
    draft = make.funding(policy=world["strategy"], currency="EUR", **DRAFT)
    response = client.get(f"/funding/{entry.slug}/")
    assert response.status_code == 200
    assert "more than RUB 280 billion" in response.text
    assert client.get(f"/funding/{draft.slug}/").status_code == 404
    policy_page = client.get(f"/policies/{world['strategy'].slug}/").text
    assert "more than RUB 280 billion" in policy_page
    assert "EUR 1 million" not in policy_page


def test_it_shows_an_actor_and_hides_draft_actors(client, world):
    ministry = make.actor(name="Ministry of Digital Development", **make.PUBLISHED)
    hidden = make.actor(name="Hidden body")
    response = client.get(f"/actors/{ministry.slug}/")
    assert response.status_code == 200
    assert client.get(f"/actors/{hidden.slug}/").status_code == 404
    assert "Hidden body" not in client.get("/actors/").text


def test_it_shows_competing_estimates_side_by_side(client, world):
    first = make.estimate(jurisdiction=world["country"], publisher="TAdviser", **make.PUBLISHED)
    make.estimate(jurisdiction=world["country"], publisher="IDC", value=200, **make.PUBLISHED)
    make.estimate(jurisdiction=world["country"], publisher="Draft Co", value=300)
    response = client.get(f"/estimates/{first.slug}/")
    assert "IDC" in response.text and "Draft Co" not in response.text
    country = client.get("/jurisdictions/RU/").text
    assert "TAdviser" in country and "IDC" in country and "Draft Co" not in country


def test_it_lists_on_a_source_page_every_published_fact_citing_it(client, world):
    make.cite(world["late"], source=world["source"], quote="By 1 July 2019.", page="5")
    hidden = make.commitment(policy=world["strategy"], title="Draft citer", **DRAFT)
    make.cite(hidden, source=world["source"], quote="Draft quote.", page="6")
    response = client.get(f"/sources/{world['source'].slug}/")
    assert response.status_code == 200
    assert "By 1 July 2019." in response.text
    assert "The strategy is approved." in response.text
    assert "Draft quote." not in response.text
    assert client.get(f"/sources/{make.source(state=State.DRAFT).slug}/").status_code == 404


def test_it_compares_two_jurisdictions(client, world):
    china = make.jurisdiction(code="CN", name="China")
    plan = make.published_policy(jurisdiction=china, title="New Generation AI Plan")
    make.published_commitment(policy=plan, due="2030", title="Primary AI innovation centre")
    response = client.get("/compare/?jurisdiction=RU&jurisdiction=CN")
    assert response.status_code == 200
    text = response.text
    assert "Lead by 2030" in text and "Primary AI innovation centre" in text
    assert [j.code for j in response.context["chosen"]] == ["RU", "CN"]


def test_it_refuses_to_compare_an_unknown_jurisdiction(client, world):
    response = client.get("/compare/?jurisdiction=ZZ")
    assert response.status_code == 400
    assert "no published jurisdiction has the code" in response.text


def test_it_redirects_a_permalink_to_the_entry(client, world):
    response = client.get(f"/e/policy/{world['strategy'].pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/policies/{world['strategy'].slug}/"
    assert client.get("/e/nonsense/1/").status_code == 404
    draft = make.policy(jurisdiction=world["country"], **DRAFT)
    assert client.get(f"/e/policy/{draft.pk}/").status_code == 404


def test_it_lists_policies_with_filters(client, world):
    response = client.get("/policies/?jurisdiction=RU&kind=strategy")
    assert response.status_code == 200
    assert "National AI Strategy" in response.text
    assert "Draft programme" not in response.text


def test_it_keeps_showing_the_published_version_while_an_edit_waits(client, editor, world):
    from tracker.core.workflow import entry_start_edit

    edit = entry_start_edit(world["strategy"], by=editor)
    edit.title = "Rewritten, not yet reviewed"
    edit.save()
    for url in (f"/policies/{world['strategy'].slug}/", "/policies/", "/search/?q=rewritten"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Rewritten, not yet reviewed" not in response.text
    assert "National AI Strategy" in client.get(f"/policies/{world['strategy'].slug}/").text


def test_it_shows_where_an_event_happened_when_the_record_says(client):
    event = make.event(title="Speech", place="Kazan", **make.PUBLISHED)
    make.cite(event)
    assert "<dt>Place</dt><dd>Kazan</dd>" in client.get(f"/events/{event.slug}/").text
