"""Where sources disagree on a fact, an entry shows every claimed value with its citations
("sources differ") instead of silently picking one; where they agree, each passage says what it
states. The rule is sources/claims.py; the pages, the admin and the loader read it."""

import csv
import io
import json
import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from policies.models import Commitment, Event, Policy
from sources import claims
from sources.models import Citation, Source
from tests import admin_forms
from tests import factories as make
from tests import test_public_query_counts as pages
from tests.test_api_query_counts import LIST_QUERIES, build_one, count
from tracker.api.datapackage import resources
from tracker.api.exports import columns
from tracker.core import workflow
from tracker.core.editorial import State

CITATIONS = "sources-citation-content_type-object_id"


def stated(id, field, claim, source_id=1):
    return SimpleNamespace(id=id, field=field, claim=claim, source_id=source_id)


def words(response) -> str:
    """A page's text as a reader reads it: no tags, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


# -- the rule, without the database ------------------------------------------------------


def test_it_says_sources_differ_when_two_passages_state_different_values():
    found = claims.sources_differ(
        [stated(1, "place", "Yaroslavl"), stated(2, "place", "Moscow", source_id=2)],
        {"place": "place"},
    )
    assert [(c.field, c.label) for c in found] == [("place", "place")]
    assert [(v.value, [c.id for c in v.citations], v.sources) for v in found[0].values] == [
        ("Yaroslavl", [1], 1),
        ("Moscow", [2], 1),
    ]


def test_it_compares_values_trimmed_and_case_folded_and_keeps_the_first_wording():
    found = claims.claims_by_field(
        [stated(1, "place", " Moscow "), stated(2, "place", "moscow"), stated(3, "place", "MOSCOW")]
    )
    assert [(c.differ, [v.value for v in c.values]) for c in found] == [(False, ["Moscow"])]
    assert (
        claims.sources_differ([stated(1, "adopted", "May  2018"), stated(2, "adopted", "may 2018")])
        == []
    )


def test_a_value_counts_its_sources_not_its_passages():
    [place] = claims.claims_by_field(
        [stated(1, "place", "Moscow", source_id=7), stated(2, "place", "Moscow", source_id=7)]
    )
    assert (place.values[0].sources, len(place.values[0].citations)) == (1, 2)


def test_a_passage_that_states_nothing_is_not_a_claim():
    assert claims.claims_by_field([stated(1, "", ""), stated(2, "place", "  ")]) == []


FIELDS = st.sampled_from(["place", "adopted", "title"])
CLAIMS = st.sampled_from(["Moscow", " moscow", "MOSCOW ", "Yaroslavl", "2018", "May 2018", ""])


@given(st.lists(st.tuples(FIELDS, CLAIMS), max_size=12))
def test_sources_differ_exactly_where_a_field_has_two_distinct_values(pairs):
    citations = [stated(n, field, claim) for n, (field, claim) in enumerate(pairs)]
    grouped = claims.claims_by_field(citations)
    for field in {"place", "adopted", "title"}:
        distinct = {claims.normalised(c) for f, c in pairs if f == field and c.strip()}
        found = [c for c in grouped if c.field == field]
        assert (len(found[0].values) if found else 0) == len(distinct)
        assert (found[0].differ if found else False) == (len(distinct) >= 2)
    # Every passage that states a value is under exactly one value of its field, in order.
    listed = [c.id for group in grouped for value in group.values for c in value.citations]
    assert sorted(listed) == [c.id for c in citations if c.claim.strip()]
    assert [c.field for c in claims.sources_differ(citations)] == [
        c.field for c in grouped if c.differ
    ]


def test_a_passage_may_state_content_fields_and_fuzzy_dates_never_internal_ones():
    event = claims.claimable_fields(Event)
    assert event["place"] == "place"
    assert event["occurred"] == "date it happened"
    assert claims.claimable_fields(Policy)["adopted"] == "adoption date"
    assert claims.claimable_fields(Commitment)["due"] == "due date"
    for internal in ("id", "slug", "state", "version", "created_by", "draft_of", "occurred_start"):
        assert internal not in event


def test_a_bad_field_name_or_half_a_claim_is_a_problem_naming_the_allowed_fields():
    [unknown] = claims.claim_problems(Event, field="where", claim="Moscow").values()
    assert "“where” is not a field a passage can state for events" in unknown
    assert "place" in unknown and "occurred" in unknown
    assert "state" not in unknown.split("give one of")[1]
    assert "field" in claims.claim_problems(Event, field="", claim="Moscow")
    assert "claim" in claims.claim_problems(Event, field="place", claim=" ")
    assert claims.claim_problems(Event, field="place", claim="Moscow") == {}
    assert claims.claim_problems(Event, field="", claim="") == {}


# -- the public pages, as an anonymous reader --------------------------------------------


@pytest.fixture
def speech(db):
    country = make.jurisdiction(code="RU", name="Russia")
    event = make.event(title="AI speech to students", jurisdiction=country, **make.PUBLISHED)
    ifri = make.source(title="Russia's AI Outsider")
    gbd = make.source(title="AI Geopolitics in Central Asia")
    yaroslavl = make.cite(
        event,
        source=ifri,
        quote="before an audience of students in Yaroslavl",
        field="place",
        claim="Yaroslavl",
    )
    moscow = make.cite(
        event,
        source=gbd,
        quote="in his speech in Moscow in 2017",
        field="place",
        claim="Moscow",
        position=1,
    )
    return SimpleNamespace(event=event, yaroslavl=yaroslavl, moscow=moscow, country=country)


@pytest.mark.django_db
def test_an_event_page_says_sources_differ_and_links_each_value_to_its_passages(client, speech):
    response = client.get(reverse("event", args=[speech.event.slug]))
    text = words(response)
    assert "Sources differ on place: Yaroslavl (1 source) · Moscow (1 source)" in text
    page = response.text
    for citation in (speech.yaroslavl, speech.moscow):
        assert f'id="citation-{citation.pk}"' in page
        assert f'href="#citation-{citation.pk}"' in page
    assert "Yaroslavl: Russia's AI Outsider, section “Introduction”" in text
    # The notice comes before the passages it sums up.
    assert page.index("Sources differ") < page.index(f'id="citation-{speech.yaroslavl.pk}"')
    assert "States place: Yaroslavl" in text and "States place: Moscow" in text


@pytest.mark.django_db
def test_where_the_passages_agree_there_is_no_notice_but_each_says_what_it_states(client):
    event = make.event(title="A speech", **make.PUBLISHED)
    make.cite(event, field="place", claim="Moscow")
    make.cite(event, field="place", claim=" moscow ", position=1)
    text = words(client.get(reverse("event", args=[event.slug])))
    assert "Sources differ" not in text
    assert "States place: Moscow" in text and "States place: moscow" in text


@pytest.mark.django_db
def test_a_policy_page_shows_three_differing_start_dates_with_their_labels(client):
    country = make.jurisdiction(code="RU", name="Russia")
    project = make.published_policy(jurisdiction=country, title="Digital Economy")
    for position, claim in enumerate(["2017-2018", "2018", "May 2018"]):
        make.cite(project, source=make.source(), field="adopted", claim=claim, position=position)
    text = words(client.get(reverse("policy", args=[project.slug])))
    assert (
        "Sources differ on adoption date: 2017-2018 (1 source) · 2018 (1 source) · "
        "May 2018 (1 source)"
    ) in text
    assert "States adoption date: May 2018" in text


@pytest.mark.django_db
def test_a_claim_in_a_passage_of_an_unpublished_source_is_never_shown(client, speech):
    secret = make.source(title="Unpublished report", state=State.DRAFT)
    make.cite(speech.event, source=secret, field="occurred", claim="2016", position=2)
    Citation.objects.filter(pk=speech.moscow.pk).delete()
    text = words(client.get(reverse("event", args=[speech.event.slug])))
    assert "Sources differ" not in text
    assert "2016" not in text and "date it happened" not in text


@pytest.mark.django_db
def test_a_claim_added_in_a_pending_edit_is_shown_only_once_the_edit_is_published(
    client, contributor, editor
):
    event = make.event(title="A speech", created_by=contributor)
    make.cite(event, field="place", claim="Yaroslavl")
    event = workflow.entry_publish(workflow.entry_submit(event, by=contributor), by=editor)
    edit = workflow.entry_start_edit(event, by=contributor)
    make.cite(edit, source=make.source(), field="place", claim="Moscow", position=1)
    url = reverse("event", args=[event.slug])

    text = words(client.get(url))
    assert "Moscow" not in text and "Sources differ" not in text

    workflow.entry_publish(workflow.entry_submit(edit, by=contributor), by=editor)
    assert "Sources differ on place: Yaroslavl (1 source) · Moscow (1 source)" in words(
        client.get(url)
    )


# -- the admin's citation inline -----------------------------------------------------------


@pytest.fixture(params=["contributor", "editor"])
def researcher(request):
    """The person editing an entry's citations: a contributor, then an editor."""
    user = request.getfixturevalue(request.param)
    return SimpleNamespace(user=user, client=admin_forms.client_for(user))


def change_page(researcher, entry):
    url = reverse("admin:policies_event_change", args=[entry.pk])
    return url, researcher.client.get(url)


@pytest.mark.django_db
def test_the_inline_offers_the_fields_of_the_entry_and_saves_a_stated_value(researcher):
    event = make.event(created_by=researcher.user)
    make.cite(event, quote="in his speech in Moscow in 2017")
    url, page = change_page(researcher, event)
    assert '<option value="place">place</option>' in page.text
    assert '<option value="occurred">date it happened</option>' in page.text
    assert '<option value="state">' not in page.text
    data = admin_forms.form_data(page)
    data |= {f"{CITATIONS}-0-field": "place", f"{CITATIONS}-0-claim": "Moscow"}

    response = researcher.client.post(url, data)

    assert response.status_code == 302, response.text
    saved = Event.objects.get(pk=event.pk).citations.get()
    assert (saved.field, saved.claim) == ("place", "Moscow")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "claim", "error"),
    [
        ("where", "Moscow", "“where” is not a field a passage can state for events: give one of"),
        ("state", "published", "“state” is not a field a passage can state for events"),
        ("%(value)s %", "Moscow", "“%(value)s %” is not a field a passage can state"),
        ("", "Moscow", "The value “Moscow” needs the field it states: one of occurred, kind,"),
        ("place", "", "Give the value the passage states for the place."),
    ],
)
def test_a_bad_stated_field_is_a_form_error_and_nothing_is_saved(researcher, field, claim, error):
    event = make.event(created_by=researcher.user)
    make.cite(event, quote="in his speech in Moscow in 2017")
    url, page = change_page(researcher, event)
    data = admin_forms.form_data(page)
    data |= {f"{CITATIONS}-0-field": field, f"{CITATIONS}-0-claim": claim}

    response = researcher.client.post(url, data)

    assert response.status_code == 200
    assert error in unescape(response.text)
    saved = Event.objects.get(pk=event.pk).citations.get()
    assert (saved.field, saved.claim) == ("", "")


@pytest.mark.django_db
def test_a_new_passage_stating_a_value_without_its_field_is_a_form_error(researcher):
    event = make.event(created_by=researcher.user)
    make.cite(event, quote="before an audience of students in Yaroslavl")
    url, page = change_page(researcher, event)
    data = admin_forms.form_data(page)
    new = f"{CITATIONS}-1"  # the empty row the inline offers
    data |= {
        f"{new}-source": make.source().pk,
        f"{new}-section": "Political Dynamics",
        f"{new}-quote": "in his speech in Moscow in 2017",
        f"{new}-claim": "Moscow",
    }

    response = researcher.client.post(url, data)

    assert response.status_code == 200
    assert "A stated value needs the field it is a value of" in unescape(response.text)
    assert Event.objects.get(pk=event.pk).citations.count() == 1


@pytest.mark.django_db
def test_a_citation_saved_outside_a_form_is_checked_against_its_entry(db):
    citation = make.cite(make.event(), field="wher", claim="Moscow")
    with pytest.raises(Exception, match="“wher” is not a field a passage can state for events"):
        citation.full_clean()
    # A source cites its own pages: its fields are a source's.
    own = make.cite(make.source(), field="published", claim="2020")
    own.full_clean()
    assert isinstance(own.record, Source)


# -- the API and the exports ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_gives_each_citation_s_claim_and_where_sources_differ(client, speech):
    entry = client.get(reverse("api:event-detail", args=[speech.event.pk])).json()
    assert [(c["field"], c["claim"]) for c in entry["citations"]] == [
        ("place", "Yaroslavl"),
        ("place", "Moscow"),
    ]
    assert entry["sources_differ"] == [
        {
            "field": "place",
            "values": [
                {"value": "Yaroslavl", "citations": [speech.yaroslavl.pk]},
                {"value": "Moscow", "citations": [speech.moscow.pk]},
            ],
        }
    ]
    listed = client.get(reverse("api:citation-list")).json()["results"]
    assert {(c["field"], c["claim"]) for c in listed} == {
        ("place", "Yaroslavl"),
        ("place", "Moscow"),
    }


@pytest.mark.django_db
def test_where_passages_agree_or_state_nothing_the_api_says_no_sources_differ(client):
    agreed = make.event(**make.PUBLISHED)
    make.cite(agreed, field="place", claim="Moscow")
    make.cite(agreed, field="place", claim="MOSCOW", position=1)
    silent = make.event(**make.PUBLISHED)
    make.cite(silent)
    entries = client.get(reverse("api:event-list")).json()["results"]
    assert [e["sources_differ"] for e in entries] == [[], []]
    assert [c["field"] for c in entries[1]["citations"]] == [""]


@pytest.mark.django_db
def test_a_claim_of_an_unpublished_source_is_left_out_of_the_api(client, speech):
    Citation.objects.filter(pk=speech.moscow.pk).update(
        source=make.source(title="Draft", state=State.DRAFT)
    )
    entry = client.get(reverse("api:event-detail", args=[speech.event.pk])).json()
    assert entry["sources_differ"] == []
    assert "Moscow" not in json.dumps(entry)


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["client", "editor_client"])
def test_a_commitment_s_export_carries_where_sources_differ_as_the_api_does(reader, request):
    client = request.getfixturevalue(reader)
    pledge = make.published_commitment(slug="present", due="2018")
    first = make.cite(pledge, field="due", claim="2017-2018")
    second = make.cite(pledge, source=make.source(), field="due", claim="May 2018", position=1)
    make.published_commitment(slug="agreed")
    expected = [
        {
            "field": "due",
            "values": [
                {"value": "2017-2018", "citations": [first.pk]},
                {"value": "May 2018", "citations": [second.pk]},
            ],
        }
    ]
    listed = client.get(reverse("api:commitment-list")).json()["results"]
    assert [e["sources_differ"] for e in listed] == [expected, []]
    lines = download(client, "api:commitment-export-jsonl").splitlines()
    assert [json.loads(line)["sources_differ"] for line in lines] == [expected, []]
    rows = list(csv.DictReader(io.StringIO(download(client, "api:commitment-export-csv"))))
    assert [json.loads(row["sources_differ"]) for row in rows] == [expected, []]
    assert [c["claim"] for c in json.loads(rows[0]["citations"])] == ["2017-2018", "May 2018"]


@pytest.mark.django_db
def test_every_csv_export_has_a_sources_differ_column():
    for name, viewset in resources():
        assert "sources_differ" in [c.name for c in columns(viewset.serializer_class())], name


def download(client, name) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


# -- what it costs ---------------------------------------------------------------------------

# The world whose pages tests/test_public_query_counts.py prices.
world = pages.world


@pytest.mark.django_db
@pytest.mark.parametrize("resource", ["event", "commitment", "policy"])
def test_an_api_list_with_competing_claims_costs_what_any_list_costs(client, resource):
    for n in range(12):
        entry = build_one(resource)
        make.cite(entry, field="title", claim=f"Title {n}")
        make.cite(entry, field="title", claim="Another title", position=1)
    small, shown_small = count(client, resource, 2)
    large, shown_large = count(client, resource, 50)
    assert shown_small == 2 and shown_large >= 12
    assert small == large == LIST_QUERIES[resource]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/events/{event.slug}/", pages.EVENT_QUERIES),
        ("/policies/{policy.slug}/", pages.POLICY_QUERIES),
        ("/commitments/{commitment.slug}/", pages.COMMITMENT_QUERIES),
    ],
)
def test_a_page_with_competing_claims_costs_what_any_page_costs(
    client, django_assert_num_queries, world, url, queries
):
    for name in ("event", "policy", "commitment"):
        for position, claim in enumerate(["Yaroslavl", "Moscow", "moscow"]):
            make.cite(
                world[name], source=make.source(), field="title", claim=claim, position=position
            )
    with django_assert_num_queries(queries):
        page = client.get(url.format(**world))
    assert "Sources differ on title: Yaroslavl (1 source) · Moscow (2 sources)" in words(page)
