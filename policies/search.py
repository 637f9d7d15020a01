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

`site_search` runs one query per kind of entry through that kind's FilterSet, so the facets
mean on the search page what they mean on every list and in the API. On PostgreSQL it ranks
at most RANKED matches a kind, the first ones in the kind's own order (commitments by due
date), and shows the best ranked 25 of them. Ranking needs `to_tsvector` of every row it
ranks (the index does not keep it), about 50 µs a commitment: a word in 30,000 commitments
would cost 1.5 s to rank whole. The trade-off: when a word matches more than RANKED entries
of a kind, the 25 shown are the most relevant of the first RANKED in list order, not
necessarily of all; "more" is still right, and a longer query narrows the matches.
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import OperationalError, connections, transaction
from django.db.models import CharField, F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat
from psycopg.errors import QueryCanceled

SQLITE_CASEFOLD = "tracker_casefold"


def _casefold(text):
    return text.casefold() if isinstance(text, str) else text


class Casefold(Func):
    function = SQLITE_CASEFOLD
    output_field = CharField()


def _register_casefold(alias: str) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    connection.connection.create_function(SQLITE_CASEFOLD, 1, _casefold, deterministic=True)


def search_text(fields: list[str]) -> Func:
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


def text_search(queryset: QuerySet, text: str, fields: list[str]) -> QuerySet:
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
        return (
            queryset.alias(search_text=search_text(fields), search_vector=vector)
            .annotate(search_rank=SearchRank(vector, query))
            .filter(Q(search_text__icontains=text) | Q(search_vector=query))
        )
    if vendor == "sqlite":
        _register_casefold(queryset.db)
        haystack = Concat(
            *[part for name in fields for part in (Coalesce(F(name), Value("")), Value("\n"))],
            output_field=CharField(),
        )
        return queryset.annotate(
            search_text=Casefold(haystack), search_rank=Value(0.0, output_field=FloatField())
        ).filter(search_text__contains=text.casefold())
    substring = Q()
    for name in fields:
        substring |= Q(**{f"{name}__icontains": text})
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField())).filter(substring)


KINDS = {
    "policy": "Policies",
    "commitment": "Commitments",
    "event": "Events",
    "funding": "Funding",
    "actor": "Actors",
    "estimate": "Estimates",
    "source": "Sources",
    "quote": "Quoted passages",
}

# Which facets mean something for which kind; a facet a kind lacks leaves that kind out.
FACETS = {
    "policy": {"jurisdiction", "year"},
    "commitment": {"jurisdiction", "year", "status"},
    "event": {"jurisdiction", "year"},
    "funding": {"jurisdiction", "year"},
    "actor": {"jurisdiction"},
    "estimate": {"jurisdiction", "year"},
    "source": {"year"},
    "quote": set(),
}

PER_KIND = 25
# On PostgreSQL, how many matches of a kind are ranked (see site_search).
RANKED = 200


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search for")
    kind = forms.ChoiceField(
        required=False, choices=[("", "Everything"), *KINDS.items()], label="Kind"
    )
    jurisdiction = forms.CharField(required=False, max_length=20, label="Jurisdiction")
    status = forms.CharField(required=False, max_length=30, label="Commitment status")
    year = forms.IntegerField(required=False, min_value=1000, max_value=9999, label="Year")


@dataclass
class Group:
    kind: str
    label: str
    entries: list = field(default_factory=list)
    more: bool = False
    too_broad: bool = False  # the database could not search this kind in time


@dataclass
class SearchResults:
    groups: list[Group]
    errors: dict[str, list[str]]

    @property
    def total(self) -> int:
        return sum(len(g.entries) for g in self.groups)

    @property
    def too_broad(self) -> list[Group]:
        return [g for g in self.groups if g.too_broad]


def _querysets():
    from policies import public

    return {
        "policy": public.policies().select_related("jurisdiction"),
        "commitment": public.commitments(),
        "event": public.events(),
        "funding": public.funding(),
        "actor": public.actors(),
        "estimate": public.estimates(),
        "source": public.sources(),
        "quote": public.citations(),
    }


def _filtersets():
    from policies import filters
    from sources.filters import CitationFilter, SourceFilter

    return {
        "policy": filters.PolicyFilter,
        "commitment": filters.CommitmentFilter,
        "event": filters.EventFilter,
        "funding": filters.FundingFilter,
        "actor": filters.ActorFilter,
        "estimate": filters.EstimateFilter,
        "source": SourceFilter,
        "quote": CitationFilter,
    }


class SearchTooSlow(Exception):
    """The search ran out of SEARCH_TIMEOUT_MS before it had searched every kind."""


def site_search(params: dict) -> SearchResults:
    """Published entries of each kind matching `params` (q, kind, jurisdiction, status, year)."""
    wanted = params.get("kind") or None
    facets = {k for k in ("jurisdiction", "status", "year") if params.get(k) not in (None, "")}
    querysets, filtersets = _querysets(), _filtersets()
    pending, errors = [], {}
    for kind, label in KINDS.items():
        if (wanted and kind != wanted) or not facets <= FACETS[kind]:
            continue
        data = {k: params[k] for k in ("q", *facets) if params.get(k) not in (None, "")}
        filterset = filtersets[kind](data=data, queryset=querysets[kind])
        if not filterset.is_valid():
            for name, messages in filterset.errors.items():
                errors.setdefault(name, list(messages))
            continue
        pending.append((kind, label, _best_first(filterset.qs)[: PER_KIND + 1]))
    found = {}
    deadline = time.monotonic() + settings.SEARCH_TIMEOUT_MS / 1000
    try:
        with _time_limit() as limit:
            for kind, _, queryset in pending:
                limit(deadline)
                found[kind] = list(queryset)
    except SearchTooSlow:
        pass  # the kinds not found are shown as too broad
    groups = [
        Group(kind, label, found[kind][:PER_KIND], more=len(found[kind]) > PER_KIND)
        if kind in found
        else Group(kind, label, too_broad=True)
        for kind, label, _ in pending
    ]
    return SearchResults(groups=groups, errors=errors)


@contextmanager
def _time_limit(alias: str = "default"):
    """On PostgreSQL, `limit(deadline)` bounds the next statements by the time left until
    `deadline` (`statement_timeout`, for this savepoint only); running out raises
    SearchTooSlow. Elsewhere there is no limit."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield lambda deadline: None
        return

    def limit(deadline: float) -> None:
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms < 1:
            raise SearchTooSlow
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [left_ms])

    try:
        with transaction.atomic(using=alias):
            yield limit
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
    except OperationalError as exc:
        if isinstance(exc.__cause__, QueryCanceled):
            raise SearchTooSlow from None
        raise


def _best_first(queryset: QuerySet) -> QuerySet:
    """`queryset` by relevance, then in its own order; on PostgreSQL ranking RANKED at most."""
    ordering = _ordering(queryset)
    rank = queryset.query.annotations.get("search_rank")
    if rank is None:
        return queryset
    if isinstance(rank, SearchRank):
        # The candidates: the first RANKED matches by id, found without computing a rank. By
        # id, PostgreSQL can stop at the RANKED-th match of a common word instead of sorting
        # every match (a word in a third of 400,000 quotes took 10 s in the kind's own order).
        candidates = queryset.order_by("pk").values("pk")[:RANKED]
        queryset = queryset.filter(pk__in=candidates)
    return queryset.order_by("-search_rank", *ordering)


def _ordering(queryset):
    return queryset.query.order_by or queryset.model._meta.ordering or ["pk"]
