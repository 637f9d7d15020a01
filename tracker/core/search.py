"""Text search, the same rule on PostgreSQL and on SQLite, each through its own indexes.

An entry matches `q` when every word of `q` is a word of its fields, in any order, the last one
also as the start of a word (so "Russia AI strat" finds "Russia's national AI strategy"), or
when `q` occurs in its fields as typed, ignoring case: what finds Chinese, which neither
database splits into words, and part of a word. Matches by words rank by relevance (the
fields are weighted: a word in a title counts more than one in a description); a match as
typed only ranks 0, after them.

- PostgreSQL: the words are an English full-text query (`to_tsquery`, so "strategies" finds
  "strategy"), matched against `search_vector`, a stored `tsvector` column the database
  generates from the row's weighted fields, with a GIN index (migrations
  `policies/0012_search_vectors`, `sources/0007_search_vectors`), and ranked by `ts_rank` of
  it; the text as typed by pg_trgm GIN indexes on the upper-cased fields
  (`policies/0003_search_indexes`, `sources/0003_search_indexes`). Text of one or two
  characters has no trigram to look up: that half then reads the whole table.
- SQLite: each searched table has two FTS5 tables, which triggers keep in step with every
  write of its rows (`sqlite_full_text` in tracker/core/migration_operations.py, migrations
  `policies/0013_sqlite_full_text`, `sources/0009_sqlite_full_text`): `<table>_words`, the
  words (English stems, case and Latin accents folded), ranked by bm25 with the same weights;
  and `<table>_trigrams`, for the text as typed. Text of one or two characters has no trigram:
  the fields are then read and case-folded by Python's `str.casefold`, registered as an SQL
  function (SQLite's own LIKE folds ASCII only), so "стратегия" finds "Стратегия".

Both indexes hold every row, drafts too, as the stored vectors do: what is public is decided
by the queryset searched (its door), never here. (bm25 weighs a word by how rare it is among
all the table's rows, so drafts move the order of public matches a little; nothing of a draft
is ever shown.)

`with_marks` marks the words matched in each field of the entries shown; `marked_fields` and
`passage` turn that into the escaped part of a field around its marks.
"""

import re
from collections.abc import Sequence
from typing import Any, cast

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    CharField,
    Expression,
    F,
    Field,
    FloatField,
    Func,
    Model,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.db.models.sql.compiler import SQLCompiler
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SQLITE_CASEFOLD = "tracker_casefold"
# The stored tsvector column of every searched table (PostgreSQL only).
SEARCH_VECTOR_COLUMN = "search_vector"
# What `text_search` reads and `with_marks` returns: names the apps' querysets do not use.
RANK, MARKS = "search_rank", "search_marks"

# A word, as the search splits `q`: letters, digits and the marks that go with them.
WORD = re.compile(r"\w+")
# Where the database marks a matched word, and what separates one field from the next in
# `with_marks`: Unicode noncharacters, kept for a program's internal use, so no curated text
# means them. A stray one is dropped, never turned into markup (`passage`).
MARK_START, MARK_END, FIELD_BREAK = "\ufdd0", "\ufdd1", "\ufdd2"
SENTINELS = re.compile(f"[{MARK_START}{MARK_END}{FIELD_BREAK}]")
MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")
# The fewest characters the trigram index can look up.
TRIGRAM = 3


def words(text: str) -> list[str]:
    """The words of `text`, in the order typed; punctuation between them is left out."""
    return WORD.findall(text)


def words_table(table: str) -> str:
    """The name of `table`'s FTS5 table of words (SQLite)."""
    return f"{table}_words"


def trigrams_table(table: str) -> str:
    """The name of `table`'s FTS5 table of trigrams (SQLite)."""
    return f"{table}_trigrams"


def tsquery(found: Sequence[str]) -> str:
    """PostgreSQL's query for `found` words: each one, the last also as a prefix. A word holds
    letters and digits only, so it needs no escaping inside its quotes."""
    return " & ".join(f"'{word}'" for word in found) + ":*"


def fts5_query(found: Sequence[str]) -> str:
    """FTS5's query for `found` words: each one (FTS5 ANDs them), the last also as a prefix."""
    return " ".join(f'"{word}"' for word in found) + "*"


def fts5_phrase(text: str) -> str:
    """FTS5's query for `text` as typed: one phrase, its quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _casefold(text: object) -> object:
    return text.casefold() if isinstance(text, str) else text


class Casefold(Func):
    function = SQLITE_CASEFOLD
    output_field = CharField()


def _register_casefold(alias: str) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    connection.connection.create_function(SQLITE_CASEFOLD, 1, _casefold, deterministic=True)


class OwnRowSQL(Expression):
    """SQL about the row of the query's own table: `{table}` in `sql` names that table, on
    whatever alias it has in the query being compiled (a subquery relabels it), and `{pk}` its
    primary key there."""

    def __init__(self, sql: str, params: Sequence[str], output_field: "Field[Any, Any]") -> None:
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, tuple(params)

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        table = compiler.quote_name(compiler.query.get_initial_alias())
        # A primary key is a concrete field: it has a column.
        pk = connection.ops.quote_name(cast("str", compiler.query.get_meta().pk.column))
        return self.sql.format(table=table, pk=f"{table}.{pk}"), self.params


class StoredSearchVector(OwnRowSQL):
    """The `search_vector` column of the query's own table (PostgreSQL only).

    The models do not declare it (the migrations add it on PostgreSQL only, see
    tracker/core/migration_operations.py), so it is named here.
    """

    def __init__(self) -> None:
        super().__init__(f"{{table}}.{SEARCH_VECTOR_COLUMN}", [], SearchVectorField())


def search_text(fields: Sequence[str]) -> Func:
    """The fields as one text for the substring match: `(COALESCE(a, '') || E'\\n' || ...)`.

    PostgreSQL only. `UPPER()` of it has a trigram index per model (migrations
    `policies/0003_search_indexes`, `sources/0003_search_indexes`), used only while this
    expression stays exactly the one written there: same fields, same order, same separator.
    """
    return Func(
        *[Coalesce(F(name), Value(""), output_field=TextField()) for name in fields],
        template="(%(expressions)s)",
        arg_joiner=" || E'\\n' || ",
        output_field=TextField(),
    )


def _english(found: Sequence[str]) -> SearchQuery:
    return SearchQuery(tsquery(found), config="english", search_type="raw")


def text_search[M: Model](queryset: QuerySet[M], text: str, fields: Sequence[str]) -> QuerySet[M]:
    """Entries of `queryset` whose `fields` match `text` (the module's rule), with their
    relevance as `search_rank` (0 for a match as typed only)."""
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return _postgresql_search(queryset, text, fields)
    if vendor == "sqlite":
        return _sqlite_search(queryset, text, fields)
    substring = Q()
    for name in fields:
        substring |= Q(**{f"{name}__icontains": text})
    found = queryset.annotate(**{RANK: Value(0.0, output_field=FloatField())}).filter(substring)
    # The Django plugin reads annotate() on a queryset of a model not known here as a queryset of
    # Model; it is one of the caller's model, as the signature says.
    return cast("QuerySet[M]", found)


def _postgresql_search[M: Model](
    queryset: QuerySet[M], text: str, fields: Sequence[str]
) -> QuerySet[M]:
    """Both halves are indexed, so a rare word costs milliseconds: the words by the GIN index
    on the stored `search_vector` (generated from the same `fields`), the text as typed by the
    pg_trgm GIN index on `UPPER()` of `search_text(fields)` (what `icontains` compiles to).
    The rank is `ts_rank` of the stored vector: no `to_tsvector` of any row."""
    vector = StoredSearchVector()
    found = words(text)
    as_typed = Q(search_text__icontains=text)
    rank: Expression = Value(0.0, output_field=FloatField())
    matched = as_typed
    if found:
        query = _english(found)
        rank = SearchRank(vector, query)
        # The full-text test comes first: on the stored vector it is the cheaper one, and a row
        # it matches (most rows, for a word) is then never upper-cased for the substring test.
        matched = Q(search_vector=query) | as_typed
    # As in text_search: annotate() typed as a queryset of Model.
    return cast(
        "QuerySet[M]",
        queryset.alias(search_text=search_text(fields), search_vector=vector)
        .annotate(**{RANK: rank})
        .filter(matched),
    )


def _sqlite_search[M: Model](
    queryset: QuerySet[M], text: str, fields: Sequence[str]
) -> QuerySet[M]:
    """Each half reads its FTS5 table: the rows it matches, by rowid (the row's primary key).
    The rank is bm25 (negative, the best lowest: negated here, so that the best is highest) of
    the words table, with the weights its migration configured as its `rank`.

    The ranks of all the matches are read once a statement (`MATERIALIZED`, SQLite 3.35) and
    looked up for each row: bm25 counts the rows holding each word afresh for every query of
    the table, so a query for each row cost the square of the matches (1.2 s for 900)."""
    table = queryset.model._meta.db_table
    found = words(text)
    rank: Expression = Value(0.0, output_field=FloatField())
    matched = Q(pk__in=[])
    if found:
        index, query = words_table(table), fts5_query(found)
        matched = Q(pk__in=RawSQL(f"SELECT rowid FROM {index} WHERE {index} MATCH %s", [query]))
        rank = OwnRowSQL(
            f"COALESCE((WITH ranked AS MATERIALIZED (SELECT rowid AS id, -rank AS rank FROM"
            f" {index} WHERE {index} MATCH %s) SELECT rank FROM ranked WHERE id = {{pk}}), 0.0)",
            [query],
            FloatField(),
        )
    if len(text) >= TRIGRAM:
        trigrams = trigrams_table(table)
        as_typed = RawSQL(
            f"SELECT rowid FROM {trigrams} WHERE {trigrams} MATCH %s", [fts5_phrase(text)]
        )
        return cast(
            "QuerySet[M]", queryset.annotate(**{RANK: rank}).filter(matched | Q(pk__in=as_typed))
        )
    _register_casefold(queryset.db)
    haystack = Concat(
        *[part for name in fields for part in (Coalesce(F(name), Value("")), Value("\n"))],
        output_field=CharField(),
    )
    return cast(
        "QuerySet[M]",
        queryset.alias(search_text=Casefold(haystack))
        .annotate(**{RANK: rank})
        .filter(matched | Q(search_text__contains=text.casefold())),
    )


def with_marks[M: Model](queryset: QuerySet[M], text: str, fields: Sequence[str]) -> QuerySet[M]:
    """`queryset` with `search_marks`: its `fields` with the words of `text` they match marked
    (MARK_START, MARK_END), one text, FIELD_BREAK between fields; or None where the database
    marks nothing (SQLite, a row matched as typed only: `marked_fields` marks that).

    For the few rows a page shows: PostgreSQL's `ts_headline` parses each field whole
    (`HighlightAll`, which keeps the text verbatim; its fragments leave out what looks like
    HTML), and SQLite's `highlight()` reads each field of the words table.
    """
    found = words(text)
    if not found:
        return queryset
    vendor = connections[queryset.db].vendor
    marks: Expression
    if vendor == "postgresql":
        marks = _joined(_headlines(fields, _english(found)))
    elif vendor == "sqlite":
        marks = _highlights(queryset.model._meta.db_table, len(fields), fts5_query(found))
    else:
        return queryset
    return cast("QuerySet[M]", queryset.annotate(**{MARKS: marks}))


def _headlines(fields: Sequence[str], query: SearchQuery) -> list[Expression]:
    return [
        SearchHeadline(
            Coalesce(F(name), Value(""), output_field=TextField()),
            query,
            config="english",
            start_sel=MARK_START,
            stop_sel=MARK_END,
            highlight_all=True,
        )
        for name in fields
    ]


def _joined(parts: list[Expression]) -> Expression:
    """`parts` as one text, FIELD_BREAK between each and the next."""
    if len(parts) == 1:
        return parts[0]
    joined: list[Expression] = [parts[0]]
    for part in parts[1:]:
        joined += [Value(FIELD_BREAK, output_field=TextField()), part]
    return Concat(*joined, output_field=TextField())


def _highlights(table: str, count: int, query: str) -> OwnRowSQL:
    words_ = words_table(table)
    columns = " || char(0xFDD2) || ".join(
        f"COALESCE(highlight({words_}, {n}, char(0xFDD0), char(0xFDD1)), '')" for n in range(count)
    )
    return OwnRowSQL(
        f"(SELECT {columns} FROM {words_} WHERE {words_} MATCH %s AND rowid = {{pk}})",
        [query],
        TextField(),
    )


def marked_fields(marks: str | None, texts: Sequence[str], text: str) -> list[str]:
    """Each of `texts` (an entry's fields) with the words the search matched marked: as the
    database marked them (`marks`, from `with_marks`), or, where it marked none (a match as
    typed only), every occurrence of `text` as typed, ignoring case."""
    fields = marks.split(FIELD_BREAK) if marks else []
    if len(fields) == len(texts) and any(MARK_START in field for field in fields):
        return fields
    typed = re.compile(re.escape(text), re.IGNORECASE)
    return [typed.sub(lambda found: f"{MARK_START}{found[0]}{MARK_END}", t) for t in texts]


def mark_count(marked: str) -> int:
    return len(MARKED.findall(marked))


def passage(marked: str, *, width: int) -> SafeString:
    """`marked` (a field with its marks) escaped, its marks as `<mark>`; cut, where longer than
    `width` characters, to the part around most of its marks, at spaces, with "…" where cut."""
    text, spans = _unmarked(marked)
    start, end = _window(text, spans, width)
    shown: list[str] = ["…"] if start else []
    at = start
    for first, last in spans:
        first, last = max(first, start), min(last, end)
        if first >= last:
            continue
        shown += [escape(text[at:first]), "<mark>", escape(text[first:last]), "</mark>"]
        at = last
    shown += [escape(text[at:end]), "…" if end < len(text) else ""]
    # Every piece of the text is escaped above; the only markup is the marks'.
    return mark_safe("".join(shown))


def _unmarked(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The text of `marked` without its marks (and without stray sentinels), and where the
    marked parts are in it."""
    text, spans = "", []
    # Split with a group: the text outside marks, then a marked part, and so on.
    for n, piece in enumerate(MARKED.split(marked)):
        piece = SENTINELS.sub("", piece)
        if n % 2 and piece:
            spans.append((len(text), len(text) + len(piece)))
        text += piece
    return text, spans


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The part of `text`, about `width` characters long, that holds most of the `spans`:
    from a little before the first of them, both ends moved to a space."""
    if len(text) <= width:
        return 0, len(text)
    best = max(
        spans,
        key=lambda span: sum(1 for other in spans if span[0] <= other[0] < span[0] + width),
        default=(0, 0),
    )
    start = max(0, best[0] - width // 4)
    if start:
        space = text.find(" ", start, best[0])
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(best[1], start), end)
        end = space if space != -1 else end
    return start, end


def rebuild_full_text(alias: str = "default") -> int:
    """On SQLite, each FTS5 table checked against the table it indexes, and rebuilt from it
    where they differ (the triggers keep them in step with every write; a table rebuilt by a
    migration without them, or a file restored beside another, may not be). Returns how many
    were rebuilt; elsewhere 0."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return 0
    rebuilt = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5(%' ORDER BY name"
        )
        for (name,) in cursor.fetchall():
            try:
                # With rank 1, the check compares the index with the table's text too.
                with transaction.atomic(using=alias):
                    cursor.execute(
                        f"INSERT INTO {name}({name}, rank) VALUES ('integrity-check', 1)"
                    )
            except DatabaseError:
                cursor.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
                rebuilt += 1
    return rebuilt
