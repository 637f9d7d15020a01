"""Text search: PostgreSQL full text where available, a Unicode-aware substring match always.

On PostgreSQL, `q` matches an entry when the English full-text query matches its fields
(so "strategies" finds "strategy") or when the text occurs in them as typed, ignoring case.
The substring half is what finds Chinese, which full-text parsers do not split into words.
Both halves are indexed: the full-text half by `search_vector`, a stored `tsvector` column the
database generates from the row's fields (weighted, so a word in the title counts more than
one in the description) with a GIN index (migrations `policies/0012_search_vectors`,
`sources/0007_search_vectors`); the substring half by pg_trgm GIN indexes on the upper-cased
fields (`policies/0003_search_indexes`, `sources/0003_search_indexes`). Finding the matches
costs milliseconds even among 400,000 quotes, and ranking them reads the stored vector instead
of computing `to_tsvector` for each. Text of one or two characters has no trigram to look up:
the substring half then reads the whole table.
On SQLite, only the substring match runs; SQLite's own LIKE folds ASCII case only, so both
sides are case-folded by Python's `str.casefold`, registered as an SQL function: "стратегия"
finds "Стратегия".
"""

from collections.abc import Sequence
from typing import cast

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    CharField,
    Expression,
    F,
    FloatField,
    Func,
    Model,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.db.models.sql.compiler import SQLCompiler

SQLITE_CASEFOLD = "tracker_casefold"
# The stored tsvector column of every searched table (PostgreSQL only).
SEARCH_VECTOR_COLUMN = "search_vector"


def _casefold(text: object) -> object:
    return text.casefold() if isinstance(text, str) else text


class Casefold(Func):
    function = SQLITE_CASEFOLD
    output_field = CharField()


def _register_casefold(alias: str) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    connection.connection.create_function(SQLITE_CASEFOLD, 1, _casefold, deterministic=True)


class StoredSearchVector(Expression):
    """The `search_vector` column of the query's own table (PostgreSQL only).

    The models do not declare it (the migrations add it on PostgreSQL only, see
    tracker/core/migration_operations.py), so it is named here, on whatever alias the table
    has in the query being compiled (a subquery relabels it).
    """

    output_field = SearchVectorField()

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(SEARCH_VECTOR_COLUMN)}", ()


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


def text_search[M: Model](queryset: QuerySet[M], text: str, fields: Sequence[str]) -> QuerySet[M]:
    """Entries of `queryset` whose `fields` contain `text`; on PostgreSQL ranked by relevance.

    On PostgreSQL both halves of the match are indexed, so a rare word costs milliseconds:
    the full-text half by the GIN index on the table's stored `search_vector` (generated from
    the same `fields`), the substring half by a pg_trgm GIN index on `UPPER()` of
    `search_text(fields)` (what `icontains` compiles to). `search_rank` is `ts_rank` of the
    stored vector (the weights of the fields the words are in, how often, how close together),
    0 for a match by substring only; computing it reads the stored vector, no `to_tsvector`.
    """
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        vector = StoredSearchVector()
        query = SearchQuery(text, config="english", search_type="websearch")
        # The full-text test comes first: on the stored vector it is the cheaper one, and a row
        # it matches (most rows, for a word) is then never upper-cased for the substring test.
        found = (
            queryset.alias(search_text=search_text(fields), search_vector=vector)
            .annotate(search_rank=SearchRank(vector, query))
            .filter(Q(search_vector=query) | Q(search_text__icontains=text))
        )
    elif vendor == "sqlite":
        _register_casefold(queryset.db)
        haystack = Concat(
            *[part for name in fields for part in (Coalesce(F(name), Value("")), Value("\n"))],
            output_field=CharField(),
        )
        found = queryset.annotate(
            search_text=Casefold(haystack), search_rank=Value(0.0, output_field=FloatField())
        ).filter(search_text__contains=text.casefold())
    else:
        substring = Q()
        for name in fields:
            substring |= Q(**{f"{name}__icontains": text})
        found = queryset.annotate(search_rank=Value(0.0, output_field=FloatField())).filter(
            substring
        )
    # The Django plugin reads annotate() on a queryset of a model not known here as a queryset of
    # Model; it is one of the caller's model, as the signature says.
    return cast("QuerySet[M]", found)
