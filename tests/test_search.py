"""Search across published entries and quotes, with facets, on SQLite and on PostgreSQL."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection

from tests import factories as make
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own indexes and time limit"
)


@pytest.fixture
def world():
    russia = make.jurisdiction(code="RU", name="Russia")
    china = make.jurisdiction(code="CN", name="China")
    strategy = make.published_policy(
        jurisdiction=russia,
        title="National Strategy for the Development of Artificial Intelligence",
        title_original="Национальная стратегия развития искусственного интеллекта",
    )
    make.published_policy(
        jurisdiction=china,
        title="New Generation AI Development Plan",
        title_original="新一代人工智能发展规划",
    )
    make.published_commitment(policy=strategy, due="2024", title="Improve Russia's position in AI")
    make.policy(jurisdiction=russia, title="Secret artificial intelligence plan")
    decree = make.source(title="Указ Президента № 490")
    make.cite(
        strategy, source=decree, quote="Утвердить прилагаемую Национальную стратегию.", page="1"
    )
    hidden = make.source(title="Draft source", state=State.DRAFT)
    make.cite(strategy, source=hidden, quote="Artificial secret passage.", page="2")
    return strategy


def titles(response, kind):
    for group in response.context["results"].groups:
        if group.kind == kind:
            return [str(h.entry) if kind != "quote" else h.entry.quote for h in group.hits]
    return []


def test_it_finds_published_entries_by_words_in_any_case(client, world):
    response = client.get("/search/?q=ARTIFICIAL intelligence")
    assert response.status_code == 200
    assert titles(response, "policy") == [
        "National Strategy for the Development of Artificial Intelligence"
    ]
    assert "Secret" not in response.text


def test_it_finds_cyrillic_text_whatever_its_case(client, world):
    response = client.get("/search/?q=СТРАТЕГИЯ")
    assert "National Strategy for the Development of Artificial Intelligence" in titles(
        response, "policy"
    )
    assert titles(client.get("/search/?q=указ"), "source") == ["Указ Президента № 490"]
    assert titles(client.get("/search/?q=утвердить"), "quote") == [
        "Утвердить прилагаемую Национальную стратегию."
    ]


def test_it_finds_chinese_text_inside_a_longer_title(client, world):
    response = client.get("/search/?q=人工智能")
    assert titles(response, "policy") == ["New Generation AI Development Plan"]


def test_it_searches_quotes_only_from_published_sources(client, world):
    response = client.get("/search/?q=secret passage")
    assert titles(response, "quote") == []


def test_it_narrows_by_facets(client, world):
    response = client.get("/search/?q=a&jurisdiction=CN&kind=policy")
    assert titles(response, "policy") == ["New Generation AI Development Plan"]
    assert [g.kind for g in response.context["results"].groups] == ["policy"]
    # Never checked since it fell due: "not checked", never "overdue".
    assert titles(client.get("/search/?status=overdue"), "commitment") == []
    response = client.get("/search/?status=not_checked")
    assert titles(response, "commitment") == ["Improve Russia's position in AI"]
    assert [g.kind for g in response.context["results"].groups] == ["commitment"]
    response = client.get("/search/?year=2024&kind=commitment")
    assert titles(response, "commitment") == ["Improve Russia's position in AI"]


@pytest.mark.parametrize("query", ["year=soon", "kind=planet", "jurisdiction=ZZ", "status=x"])
def test_it_answers_bad_facets_with_a_400(client, world, query):
    response = client.get(f"/search/?q=ai&{query}")
    assert response.status_code == 400
    assert "This address asks for something the site cannot show" in response.text


def test_it_shows_an_empty_form_without_a_query(client, world):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "results" not in response.context


def test_it_matches_word_forms(client, world):
    # "strategies" is not a substring of any title; only stemming finds "Strategy".
    response = client.get("/search/?q=strategies")
    assert "National Strategy for the Development of Artificial Intelligence" in titles(
        response, "policy"
    )


def quotes(response):
    return [
        (e.source.title, e.locator, e.quote)
        for e in (h.entry for h in group(response, "quote").hits)
    ]


def group(response, kind):
    [found] = [g for g in response.context["results"].groups if g.kind == kind]
    return found


def test_a_passage_cited_for_several_entries_is_one_result(client, world):
    report = make.source(title="Quokka report")
    commitment = make.published_commitment(policy=world, title="Count them")
    draft = make.commitment(policy=world, title="Not yet public")
    for entry in (world, commitment, draft):
        make.cite(entry, source=report, quote="Quokkas are counted.", page="4", section="")
    make.cite(commitment, source=report, quote="Quokkas are counted.", page="5", section="")
    # Another passage of the same source, cited for one entry.
    make.cite(commitment, source=report, quote="Quokkas are fed.", page="4", section="")
    found = quotes(client.get("/search/?q=quokkas&kind=quote"))
    assert sorted(found) == [
        ("Quokka report", "p. 4", "Quokkas are counted."),
        ("Quokka report", "p. 4", "Quokkas are fed."),
        ("Quokka report", "p. 5", "Quokkas are counted."),
    ]


def test_a_passage_cited_by_a_draft_only_is_not_shown(client, world):
    report = make.source(title="Quokka report")
    make.cite(make.commitment(policy=world), source=report, quote="Quokkas hide.", page="4")
    make.cite(make.policy(), source=report, quote="Quokkas hide.", page="4")
    assert quotes(client.get("/search/?q=quokkas&kind=quote")) == []


def test_it_ranks_the_better_match_first(client, world):
    make.published_commitment(policy=world, title="Count the wombats", description="")
    make.published_commitment(
        policy=world, title="Count the quokkas", description="Quokkas, quokkas and a quokka."
    )
    make.published_commitment(
        policy=world, title="Feed the quokka", description="Rangers bring leaves every morning."
    )
    found = titles(client.get("/search/?q=quokka&kind=commitment"), "commitment")
    assert found[0] == "Count the quokkas"
    assert sorted(found) == ["Count the quokkas", "Feed the quokka"]


def search_plan(kind: str, text: str) -> str:
    """EXPLAIN of a kind's text match, as its FilterSet's `q` builds it, sequential scans off.

    The test tables are tiny, so the planner would read them whole whatever the indexes.
    With sequential scans off, the plan shows the search indexes if, and only if, the query
    reads the indexed stored vector and its substring expression is exactly the indexed one;
    otherwise it still scans the table. (The rest
    of the search query, the published-only door, is left out: with sequential scans off the
    planner reads these tiny tables through their `state` indexes instead.)
    """
    from django.db import transaction

    from tracker.site import search

    text_filter = search._filtersets()[kind].base_filters["q"]
    model = search._querysets()[kind].model
    queryset = text_filter.filter(model._default_manager.order_by(), text)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


@on_postgresql
def test_commitment_search_uses_the_full_text_and_trigram_indexes(world):
    plan = search_plan("commitment", "quokka")
    assert "commitment_search_vector" in plan
    assert "commitment_search_trgm" in plan


@on_postgresql
@pytest.mark.parametrize(
    ("kind", "index"),
    [
        ("policy", "policy"),
        ("commitment", "commitment"),
        ("event", "event"),
        ("funding", "funding"),
        ("actor", "actor"),
        ("estimate", "estimate"),
        ("source", "source"),
        ("quote", "citation"),
    ],
)
def test_every_kind_is_searched_through_its_indexes(world, kind, index):
    plan = search_plan(kind, "quokka")
    assert f"{index}_search_vector" in plan
    assert f"{index}_search_trgm" in plan


@on_postgresql
def test_a_search_the_database_cannot_finish_in_time_is_reported_as_too_broad(
    client, world, monkeypatch, settings
):
    from django.db.models import IntegerField
    from django.db.models.expressions import RawSQL

    from tracker.site import search

    slow = search._querysets

    def with_slow_quotes():
        querysets = slow()
        # Three times the search's budget (and within the page's own statement timeout): only
        # the search's timeout ends it in time.
        nap = RawSQL("(SELECT 1 FROM pg_sleep(3))", [], output_field=IntegerField())
        querysets["quote"] = querysets["quote"].alias(nap=nap).filter(nap=1)
        return querysets

    monkeypatch.setattr(search, "_querysets", with_slow_quotes)
    # The search's clock stands still, so that every kind's statement is given the whole budget
    # however slow the machine is, and the budget runs out in the quotes' statement only.
    monkeypatch.setattr(search, "time", SimpleNamespace(monotonic=lambda: 0.0))
    settings.SEARCH_TIMEOUT_MS = 1000
    response = client.get("/search/?q=strategy")
    assert response.status_code == 200
    assert "Too broad to search in time: quoted passages." in response.text
    # Found before the timeout.
    assert "National <mark>Strategy</mark> for the Development" in response.text
    # The timeout held for the search's savepoint only.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def test_it_ranks_a_match_in_the_title_above_one_in_a_long_description(client, world):
    long = " ".join(["The census counts every marsupial of the island."] * 10)
    # Due first, so first in the list's own order: only the rank puts it second.
    make.published_commitment(
        policy=world, due="2020", title="Island census", description=f"{long} Quokka habitat."
    )
    make.published_commitment(policy=world, due="2030", title="Quokka habitat census")
    found = titles(client.get("/search/?q=quokka habitat&kind=commitment"), "commitment")
    assert found == ["Quokka habitat census", "Island census"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="ts_rank weighs how close the words are; SQLite's bm25 does not",
)
def test_it_ranks_words_together_above_the_same_words_apart(client, world):
    filler = " ".join(["Counted by the rangers of the western island every spring."] * 3)
    make.published_commitment(
        policy=world, due="2020", title="Census A", description=f"Quokka. {filler} Habitat."
    )
    make.published_commitment(
        policy=world, due="2030", title="Census B", description=f"{filler} Quokka habitat."
    )
    found = titles(client.get("/search/?q=quokka habitat&kind=commitment"), "commitment")
    assert found == ["Census B", "Census A"]


def test_it_ranks_a_passage_by_its_words_not_by_the_section(client, world):
    report = make.source(title="Quokka report")
    make.cite(world, source=report, quote="Rangers count them.", section="Quokka", page="1")
    make.cite(world, source=report, quote="Quokka numbers grow.", section="Numbers", page="2")
    found = quotes(client.get("/search/?q=quokka&kind=quote"))
    assert [quote for _, _, quote in found] == ["Quokka numbers grow.", "Rangers count them."]


def test_it_shows_the_best_of_all_matches_not_the_first_by_id(client, world, monkeypatch):
    from tracker.site import search

    monkeypatch.setattr(search, "PER_KIND", 2)
    for n in range(6):
        # Earlier ids and due dates, a weaker match: the word in the description only.
        make.published_commitment(
            policy=world, due=f"20{10 + n}", title=f"Census {n}", description="Quokka seen."
        )
    make.published_commitment(policy=world, due="2040", title="Quokka census")
    make.published_commitment(policy=world, due="2041", title="Quokka count, quokka habitat")
    response = client.get("/search/?q=quokka&kind=commitment")
    assert titles(response, "commitment") == ["Quokka count, quokka habitat", "Quokka census"]
    assert group(response, "commitment").more


def test_a_match_by_substring_only_comes_after_the_full_text_matches(client, world):
    # "count" is in "Accountable" as letters only, and in "Counting" as a word.
    make.published_commitment(policy=world, due="2020", title="Accountable quokka plan")
    make.published_commitment(policy=world, due="2030", title="Counting quokkas")
    found = titles(client.get("/search/?q=count&kind=commitment"), "commitment")
    assert found == ["Counting quokkas", "Accountable quokka plan"]


# The search page with matches of commitments and quotes only: each kind's query, the
# commitments' links, the quotes' sources; on PostgreSQL the time limit's statements too
# (tests/test_public_query_counts.py counts them for a page with matches of every kind).
SEARCH_QUERIES = 10 + (11 if connection.vendor == "postgresql" else 0)


def test_a_search_costs_as_many_queries_however_many_match(
    client, world, django_assert_num_queries
):
    report = make.source(title="Quokka report")

    def grow(n):
        for i in range(n):
            pledge = make.published_commitment(policy=world, title=f"Quokka pledge {i}")
            make.cite(pledge, source=report, quote=f"Quokka passage {i % 3}.", page="1")

    grow(2)
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get("/search/?q=quokka")
    grow(30)
    cache.clear()  # the builders write around the workflow: the data version stays where it was
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/search/?q=quokka")
    assert len(group(response, "commitment").hits) == 25
    assert group(response, "commitment").more
    assert len(group(response, "quote").hits) == 3
