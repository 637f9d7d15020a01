"""Text search: PostgreSQL full text where available, a Unicode-aware substring match always.

On PostgreSQL, `q` matches an entry when the English full-text query matches its fields
(so "strategies" finds "strategy") or when the text occurs in them as typed, ignoring case.
The substring half is what finds Chinese, which full-text parsers do not split into words.
Both halves are indexed (GIN on the `SearchVector`, pg_trgm GIN on the upper-cased fields;
migrations `policies/0003_search_indexes` and `sources/0003_search_indexes`), so finding the
matches costs milliseconds even among 400,000 quotes. Text of one or two characters has no
trigram to look up: the substring half then reads the whole table.
On SQLite, only the substring match runs; SQLite's own LIKE folds ASCII case only, so both
sides are case-folded by Python's `str.casefold`, registered as an SQL function: "стратегия"
finds "Стратегия".
"""

from collections.abc import Sequence
from typing import cast

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import CharField, F, FloatField, Func, Model, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat

SQLITE_CASEFOLD = "tracker_casefold"


def _casefold(text: object) -> object:
    return text.casefold() if isinstance(text, str) else text


class Casefold(Func):
    function = SQLITE_CASEFOLD
    output_field = CharField()


def _register_casefold(alias: str) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    connection.connection.create_function(SQLITE_CASEFOLD, 1, _casefold, deterministic=True)


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
    the full-text half by a GIN index on the same `SearchVector` expression, the substring
    half by a pg_trgm GIN index on `UPPER()` of `search_text(fields)` (what `icontains`
    compiles to). `search_rank` is computed for the rows it is asked of, and ordering by it
    computes `to_tsvector` for every match: `site_search` ranks a bounded number of them.
    """
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        vector = SearchVector(*fields, config="english")
        query = SearchQuery(text, config="english", search_type="websearch")
        # The substring test comes first: it is the cheaper one when PostgreSQL rechecks the
        # rows a trigram index found.
        found = (
            queryset.alias(search_text=search_text(fields), search_vector=vector)
            .annotate(search_rank=SearchRank(vector, query))
            .filter(Q(search_text__icontains=text) | Q(search_vector=query))
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
