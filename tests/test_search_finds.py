"""Search finds what a reader means, on SQLite (its FTS5 tables) and on PostgreSQL alike: every
word in any order, the last one also as the start of a word, Russian and Chinese text, the best
match first, each entry once with the words it matched marked, and a way on when nothing
matches every word; never a draft."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from policies.models import Policy
from tests import factories as make
from tracker.core import search, workflow
from tracker.core.editorial import State
from tracker.site.search import KINDS, _querysets, search_fields
from tracker.site.search import respelt as search_respelt

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables")

STRATEGY = "National Strategy for the Development of Artificial Intelligence"


def results(client, q, **facets):
    cache.clear()  # a page served from the cache has no context to read
    response = client.get("/search/", {"q": q, **facets})
    assert response.status_code == 200
    return response


def hits(client, q, kind):
    groups = results(client, q, kind=kind).context["results"].groups
    return [hit for group in groups if group.kind == kind for hit in group.hits]


def found(client, q, kind):
    return [hit.entry.quote if kind == "quote" else str(hit.entry) for hit in hits(client, q, kind)]


class TestTheShippedDataset:
    """fixtures/, loaded once for the class (tests/conftest.py)."""

    def test_russia_ai_strategy_finds_the_russian_ai_strategy_first(self, client, shipped_dataset):
        assert found(client, "Russia AI strategy", "policy")[0] == STRATEGY

    def test_it_finds_the_words_in_any_order(self, client, shipped_dataset):
        assert found(client, "strategy AI Russia", "policy")[0] == STRATEGY

    def test_it_finds_the_last_word_as_the_start_of_a_word(self, client, shipped_dataset):
        assert found(client, "Russia AI strat", "policy")[0] == STRATEGY
        [hit] = [h for h in hits(client, "Russia AI strat", "policy") if str(h.entry) == STRATEGY]
        assert "national <mark>AI</mark> <mark>strategy</mark>" in hit.passage

    def test_it_finds_russian_words_in_any_case_and_as_the_start_of_a_word(
        self, client, shipped_dataset
    ):
        for q, marked in [
            ("президента", "Указ <mark>Президента</mark> Российской"),
            ("ПРЕЗИДЕНТА", "Указ <mark>Президента</mark> Российской"),
            ("президент", "Указ <mark>Президента</mark> Российской"),
            ("Федерации Российской", "Президента <mark>Российской</mark> <mark>Федерации</mark>"),
        ]:
            quotes = [hit.passage for hit in hits(client, q, "quote")]
            assert any(marked in passage for passage in quotes), q

    def test_it_finds_chinese_inside_a_longer_text(self, client, shipped_dataset):
        [actor] = hits(client, "中信国安", "actor")
        assert (str(actor.entry), actor.passage) == ("CITIC Guoan", "<mark>中信国安</mark>")
        [source] = hits(client, "数字基础设施", "source")
        assert (
            source.name == "华为和中信国安投资超10亿美元发展乌兹别克斯坦<mark>数字基础设施</mark>"
        )

    def test_it_shows_each_entry_and_each_passage_once(self, client, shipped_dataset):
        groups = results(client, "AI strategy").context["results"].groups
        for group in groups:
            shown = [hit.entry.pk for hit in group.hits]
            assert len(shown) == len(set(shown)), group.kind
        [quotes] = [g for g in groups if g.kind == "quote"]
        passages = [(h.entry.source_id, h.entry.locator, h.entry.quote) for h in quotes.hits]
        assert len(passages) == len(set(passages)) == 25

    def test_a_misspelt_word_is_respelt_and_the_search_says_so(self, client, shipped_dataset):
        response = results(client, "Rusia AI stratgey")
        assert (
            "No entry has “Rusia AI stratgey”; showing entries with “Russia AI strategy”."
            in response.text
        )
        assert found(client, "Rusia AI stratgey", "policy")[0] == STRATEGY

    def test_a_word_nothing_is_near_is_left_out_and_the_search_says_so(
        self, client, shipped_dataset
    ):
        response = results(client, "Quokka AI strategy")
        assert (
            "No entry has all of “Quokka AI strategy”; showing entries with “AI strategy”."
            in response.text
        )
        assert found(client, "Quokka AI strategy", "policy")[0] == STRATEGY


@pytest.fixture
def world():
    russia = make.jurisdiction(code="RU", name="Russia")
    strategy = make.published_policy(
        jurisdiction=russia,
        title=STRATEGY,
        title_original="Национальная стратегия развития искусственного интеллекта",
    )
    make.cite(strategy, quote="Утвердить прилагаемую Национальную стратегию.", page="1")
    make.published_policy(
        jurisdiction=make.jurisdiction(code="CN", name="China"),
        title="New Generation AI Development Plan",
        title_original="新一代人工智能发展规划",
    )
    return strategy


def test_a_russian_word_is_found_as_written_and_its_stem_as_the_start_of_a_word(client, world):
    assert found(client, "стратегию", "quote") == ["Утвердить прилагаемую Национальную стратегию."]
    assert found(client, "стратегию", "policy") == []
    assert found(client, "стратег", "policy") == [STRATEGY]
    assert found(client, "стратег", "quote") == ["Утвердить прилагаемую Национальную стратегию."]
    [policy] = hits(client, "СТРАТЕГ", "policy")
    assert "Национальная <mark>стратегия</mark> развития" in policy.passage


def test_a_misspelt_russian_word_is_respelt_as_the_published_word_nearest_it(client, world):
    response = results(client, "стратегею")
    assert "showing entries with “стратегию”" in response.text
    assert found(client, "стратегею", "quote") == ["Утвердить прилагаемую Национальную стратегию."]


def test_the_last_word_typed_as_the_start_of_a_word_is_not_respelt(client, world):
    assert search_respelt("Developm") is None
    assert search_respelt("Developmnt strategy") == "Development strategy"


def test_the_published_words_are_read_once_a_data_version(world, django_assert_num_queries):
    cache.clear()
    with django_assert_num_queries(1 + len(KINDS)):  # the version, then each kind's words
        assert search_respelt("Strategi") == "Strategy"
    with django_assert_num_queries(1):
        assert search_respelt("Strategi") == "Strategy"


def test_respelling_knows_the_words_of_the_entries_published_last(world, monkeypatch):
    monkeypatch.setattr("tracker.site.search.VOCABULARY_ROWS", 1)
    make.published_policy(title="Wombat census")
    cache.clear()
    assert search_respelt("Wombta") == "Wombat"
    assert search_respelt("Strategi") is None  # the older policy's words are not read


def test_short_words_and_numbers_are_never_respelt(client, world):
    assert search_respelt("Al 2O19 plan") is None


def test_the_nearest_of_two_words_is_the_one_used_most(client, world):
    make.published_commitment(policy=world, title="Count the quokkas", description="Quokka one.")
    make.published_commitment(policy=world, title="Quokka two", description="Quokka three.")
    make.published_commitment(policy=world, title="Count the quokkos")
    assert search_respelt("quokky") == "quokka"


def test_a_word_only_a_draft_has_is_never_offered(client, world, contributor, editor):
    make.policy(jurisdiction=world.jurisdiction, title="Hidden wombat plan")
    pledge = make.published_commitment(policy=world, title="Count the quokkas")
    make.cite(pledge)
    edit = workflow.entry_start_edit(pledge, by=contributor)
    edit.title = "Count the numbats"
    workflow.entry_save(edit, by=contributor, seen_version=edit.version)
    workflow.entry_submit(edit, by=contributor)
    for q in ("wombta", "numbtas"):
        response = results(client, q)
        assert response.context["results"].instead is None, q
        assert "Nothing published matches" in response.text
    workflow.entry_publish(edit, by=editor)
    # Published, its words are offered at once: the data version moved.
    assert "showing entries with “numbats”" in results(client, "numbtas").text


@pytest.mark.parametrize("q", ["人工智能", "智能", "发展规划"])
def test_chinese_words_are_found_inside_a_title(client, world, q):
    [plan] = hits(client, q, "policy")
    assert str(plan.entry) == "New Generation AI Development Plan"
    assert f"<mark>{q}</mark>" in plan.passage


def test_it_marks_the_words_matched_in_the_name_and_in_the_best_passage(client, world):
    make.published_commitment(
        policy=world,
        title="Quokka census",
        description="Rangers count every quokka on the island.",
        metric="Animals seen",
    )
    [hit] = hits(client, "quokka", "commitment")
    assert hit.name == "<mark>Quokka</mark> census"
    assert hit.passage == "Rangers count every <mark>quokka</mark> on the island."


def test_an_entry_found_by_its_name_only_shows_no_passage(client, world):
    make.published_commitment(policy=world, title="Quokka census", description="Rangers count.")
    [hit] = hits(client, "quokka", "commitment")
    assert (hit.name, hit.passage) == ("<mark>Quokka</mark> census", None)


def test_a_quote_with_markup_in_it_is_shown_as_text_with_its_match_marked(client, world):
    make.cite(world, quote='The board read <script>alert("quokka")</script> twice.', page="9")
    body = results(client, "quokka", kind="quote").text
    assert "&lt;script&gt;alert(&quot;<mark>quokka</mark>&quot;)&lt;/script&gt; twice." in body
    assert "<script>alert" not in body


def test_a_long_passage_is_cut_around_its_matches(client, world):
    filler = " ".join(["The rangers counted the animals of the western island again."] * 12)
    make.published_commitment(
        policy=world, title="Island census", description=f"{filler} Quokkas were found. {filler}"
    )
    [hit] = hits(client, "quokkas", "commitment")
    assert hit.passage.startswith("…") and hit.passage.endswith("…")
    assert "again. <mark>Quokkas</mark> were found. The rangers" in hit.passage
    assert len(hit.passage) < 300


def test_a_passage_keeps_only_the_marks_it_was_given_as_markup():
    start, end = search.MARK_START, search.MARK_END
    marked = f"a {start}b{end} <i>{start}c {end}{end}d {start}"
    assert search.passage(marked, width=100) == "a <mark>b</mark> &lt;i&gt;<mark>c </mark>d "


def test_nothing_matching_every_word_shows_what_matches_the_most_of_them(client, world):
    response = results(client, "quokka strategy artificial")
    assert "showing entries with “strategy artificial”" in response.text
    assert found(client, "quokka strategy artificial", "policy") == [STRATEGY]


def test_when_nothing_matches_any_word_it_says_nothing_matches(client, world):
    response = results(client, "quokka wombat")
    assert response.context["results"].instead is None
    assert "Nothing published matches. Try fewer words, or another spelling." in response.text


def test_a_draft_is_never_found_nor_shown_for_fewer_words(client, world):
    make.policy(jurisdiction=world.jurisdiction, title="Hidden quokka plan")
    make.published_commitment(policy=make.policy(), title="Hidden quokka of a draft policy")
    draft_source = make.source(title="Hidden quokka report", state=State.DRAFT)
    make.cite(world, source=draft_source, quote="A hidden quokka passage.", page="2")
    make.published_commitment(policy=world, title="Count the quokkas")
    for q in ("quokka", "hidden quokka", "hidden"):
        body = results(client, q).text.split("</form>")[-1]
        assert "Hidden" not in body and "hidden quokka passage" not in body, q
    assert found(client, "hidden quokka", "commitment") == ["Count the quokkas"]


def test_an_edit_of_a_published_entry_is_found_once_published(client, world, contributor, editor):
    pledge = make.published_commitment(policy=world, title="Count the wombats")
    make.cite(pledge)
    edit = workflow.entry_start_edit(pledge, by=contributor)
    edit.title = "Count the quokkas"
    workflow.entry_save(edit, by=contributor, seen_version=edit.version)
    workflow.entry_submit(edit, by=contributor)
    assert found(client, "quokkas", "commitment") == []
    assert found(client, "wombats", "commitment") == ["Count the wombats"]
    workflow.entry_publish(edit, by=editor)
    assert found(client, "quokkas", "commitment") == ["Count the quokkas"]
    assert found(client, "wombats", "commitment") == []


@on_sqlite
@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_has_full_text_tables_over_its_searched_fields_kept_by_triggers(kind):
    table = _querysets()[kind].model._meta.db_table
    with connection.cursor() as cursor:
        for full_text in (search.words_table(table), search.trigrams_table(table)):
            cursor.execute(f"SELECT name FROM pragma_table_info('{full_text}')")
            assert [name for (name,) in cursor.fetchall()] == list(search_fields(kind))
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
        )
        triggers = {name for (name,) in cursor.fetchall()}
    assert {f"{table}_search_{event}" for event in ("insert", "update", "delete")} <= triggers


@on_sqlite
def test_every_write_keeps_the_full_text_tables_in_step(client, world):
    plan = make.published_policy(title="Quokka plan")
    # Around the model's save, as SQL by hand would.
    Policy.objects.filter(pk=plan.pk).update(title="Wombat plan")
    make.published_policy(title="Quokka census").delete()
    assert search.rebuild_full_text() == 0  # nothing out of step
    assert found(client, "quokka", "policy") == []
    assert found(client, "wombat", "policy") == ["Wombat plan"]


@on_sqlite
def test_the_rebuild_command_repairs_full_text_tables_out_of_step(client, world):
    make.published_policy(title="Quokka plan")
    table = Policy._meta.db_table
    with connection.cursor() as cursor:
        for full_text in (search.words_table(table), search.trigrams_table(table)):
            cursor.execute(f"INSERT INTO {full_text}({full_text}) VALUES ('delete-all')")
    assert found(client, "quokka", "policy") == []
    out = io.StringIO()
    call_command("rebuild_read_model", stdout=out)
    assert "2 search indexes rebuilt." in out.getvalue()
    assert found(client, "quokka", "policy") == ["Quokka plan"]
