"""Search across published entries and quotes, with facets, on SQLite and on PostgreSQL."""

from types import SimpleNamespace

import pytest
from django.db import connection

from tests import factories as make
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
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
            return [str(e) if kind != "quote" else e.quote for e in group.entries]
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


@on_postgresql
def test_it_matches_word_forms_with_full_text_search_on_postgresql(client, world):
    # "strategies" is not a substring of any title; only stemming finds "Strategy".
    response = client.get("/search/?q=strategies")
    assert "National Strategy for the Development of Artificial Intelligence" in titles(
        response, "policy"
    )


@on_postgresql
def test_it_ranks_the_better_match_first_on_postgresql(client, world):
    make.published_commitment(policy=world, title="Count the wombats", description="")
    make.published_commitment(
        policy=world, title="Count the quokkas", description="Quokkas, quokkas and a quokka."
    )
    make.published_commitment(policy=world, title="Feed the quokka", description="")
    found = titles(client.get("/search/?q=quokka&kind=commitment"), "commitment")
    assert found[0] == "Count the quokkas"
    assert sorted(found) == ["Count the quokkas", "Feed the quokka"]


def search_plan(kind: str, text: str) -> str:
    """EXPLAIN of a kind's text match, as its FilterSet's `q` builds it, sequential scans off.

    The test tables are tiny, so the planner would read them whole whatever the indexes.
    With sequential scans off, the plan shows the search indexes if, and only if, the query's
    expressions are exactly the indexed ones; otherwise it still scans the table. (The rest
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
    assert "commitment_search_fts" in plan
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
    assert f"{index}_search_fts" in plan
    assert f"{index}_search_trgm" in plan


@on_postgresql
def test_it_ranks_only_the_first_matches_by_id(client, world, monkeypatch):
    # The trade-off of site_search on PostgreSQL: with more than RANKED matches, the best
    # ranked of the first RANKED by id are shown, not the best of all.
    from tracker.site import search

    monkeypatch.setattr(search, "PER_KIND", 1)
    monkeypatch.setattr(search, "RANKED", 2)
    for due, title in [
        ("2030", "A quokka"),
        ("2021", "Quokka"),
        ("2022", "Quokka, quokka, quokka"),  # the best match, but third by id
    ]:
        make.published_commitment(policy=world, due=due, title=title)
    response = client.get("/search/?q=quokka&kind=commitment")
    [group] = response.context["results"].groups
    # The two ranked tie; the list's own order (due date) decides.
    assert [str(e) for e in group.entries] == ["Quokka"]
    assert group.more


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
    assert "National Strategy for the Development" in response.text  # found before the timeout
    # The timeout held for the search's savepoint only.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
