"""`site_search` runs one query per kind of entry through that kind's FilterSet, so the facets
mean on the search page what they mean on every list and in the API. Each kind shows its
PER_KIND best matches by relevance (`search_rank`, tracker/core/search.py), then in the kind's
own order (commitments by due date): the best of all its matches, ranked by the database from
its search index with a bounded sort that keeps only the top PER_KIND + 1. Each result is one
entry (a passage cited for several entries is one result, not one per entry), shown with the
words it matched marked: in its name, and in its field that matched best, cut to the part
around them. When nothing matches every word, the search says so and shows what a respelling
of its misspelt words finds (`respelt`), or else what matches the most of the words
(`_fewer_words`).
"""

import bisect
import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connections, transaction
from django.db.models import Min, Model, QuerySet
from django.db.models.expressions import Combinable
from django.utils.html import escape
from django.utils.safestring import SafeString
from django_filters import FilterSet
from psycopg.errors import QueryCanceled
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from policies import filters, selectors
from sources.filters import CitationFilter, SourceFilter
from tracker.core import freshness
from tracker.core.search import (
    MARKS,
    RANK,
    WORD,
    mark_count,
    marked_fields,
    passage,
    with_marks,
    words,
)

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
# What a quoted passage is shown as (its text, its source and where in it): the same passage
# cited for several entries is shown once.
PASSAGE = ("source_id", "page", "section", "footnote", "quote")
# Kinds whose rows are shown once for each value of these fields.
ONE_PER = {"quote": PASSAGE}
# About how many characters of a field a result shows around the words it matched; a quoted
# passage is shown to about 300.
PASSAGE_WIDTH, QUOTE_WIDTH = 240, 300
# At most this many searches with fewer words, when nothing matches them all.
MOST_RELAXED = 6
# A word is respelt only when it has this many letters or more; one or two letters may
# differ from the word it becomes, two from SHORTEST_TWICE letters on.
SHORTEST_RESPELT, SHORTEST_TWICE = 4, 6
# Respelling knows the words of this many entries of each kind, the last published (by id): all
# of them in a dataset of the shipped size, and a bounded read in a large one (about 0.7 s on
# the benchmark's 540,000 entries on PostgreSQL, once a data version; docs/public-site.md).
VOCABULARY_ROWS = 5000
# How long the words are kept (seconds); a new data version reads them anew at once.
VOCABULARY_KEPT = 24 * 60 * 60


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search for")
    kind = forms.ChoiceField(
        required=False, choices=[("", "Everything"), *KINDS.items()], label="Kind"
    )
    jurisdiction = forms.CharField(required=False, max_length=20, label="Jurisdiction")
    status = forms.CharField(required=False, max_length=30, label="Commitment status")
    year = forms.IntegerField(required=False, min_value=1000, max_value=9999, label="Year")


@dataclass(frozen=True)
class Hit:
    """An entry found: the entry, its name as its link shows it and its field that matched
    best, the words matched marked (both escaped); for a quoted passage, the passage."""

    entry: Model
    name: SafeString
    passage: SafeString | None = None


@dataclass
class Group:
    kind: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False
    too_broad: bool = False  # the database could not search this kind in time


@dataclass(frozen=True)
class Instead:
    """Nothing matched every word `asked`: the results shown are those of `searched`, which
    has some of the words or, `respelt`, the same words with those no entry has respelt as
    the published words nearest them."""

    asked: str
    searched: str
    respelt: bool = False


@dataclass
class SearchResults:
    groups: list[Group]
    errors: dict[str, list[str]]
    instead: Instead | None = None

    @property
    def total(self) -> int:
        return sum(len(g.hits) for g in self.groups)

    @property
    def too_broad(self) -> list[Group]:
        return [g for g in self.groups if g.too_broad]


def _querysets() -> dict[str, QuerySet[Model]]:
    return {
        "policy": selectors.policies().select_related("jurisdiction"),
        "commitment": selectors.commitments(),
        "event": selectors.events(),
        "funding": selectors.funding(),
        "actor": selectors.actors(),
        "estimate": selectors.estimates(),
        "source": selectors.sources(),
        "quote": selectors.citations(),
    }


def _filtersets() -> dict[str, type[FilterSet]]:
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


def _given(value: object) -> bool:
    return value not in (None, "")


# A kind searched: its name, its label and the query for its matches.
Pending = tuple[str, str, QuerySet[Model]]


def search_fields(kind: str) -> Sequence[str]:
    """The fields `q` searches in entries of `kind`, in order: its TextFilter's."""
    fields: Sequence[str] = _filtersets()[kind].base_filters["q"].search_fields
    return fields


def _pending(params: Mapping[str, object]) -> tuple[list[Pending], dict[str, list[str]]]:
    """For each kind searched, its label and the query for its first PER_KIND + 1 matches
    (best first, the words matched marked); and the errors of the filters that refused their
    values."""
    wanted = params.get("kind") or None
    facets = {k for k in ("jurisdiction", "status", "year") if _given(params.get(k))}
    data = {k: params[k] for k in ("q", *facets) if _given(params.get(k))}
    querysets, filtersets = _querysets(), _filtersets()
    pending: list[Pending] = []
    errors: dict[str, list[str]] = {}
    for kind, label in KINDS.items():
        if (wanted and kind != wanted) or not facets <= FACETS[kind]:
            continue
        filterset = filtersets[kind](data=dict(data), queryset=querysets[kind])
        if not filterset.is_valid():
            for name, messages in filterset.errors.items():
                errors.setdefault(name, list(messages))
            continue
        pending.append((kind, label, _shown(kind, filterset.qs, str(data.get("q", "")))))
    return pending, errors


def _shown(kind: str, matches: QuerySet[Model], text: str) -> QuerySet[Model]:
    """The first PER_KIND + 1 of `matches`, best first, the words of `text` marked."""
    best = _best_first(matches, one_per=ONE_PER.get(kind, ()))
    if text:
        # On the rows shown only: marking reads each field whole.
        best = with_marks(best, text, search_fields(kind))
    return best[: PER_KIND + 1]


def _found_in_time(
    pending: Iterable[Pending], *, by_index: bool, deadline: float
) -> dict[str, list[Model]]:
    """The matches of each kind found before `deadline` (of `time.monotonic`), by kind."""
    found: dict[str, list[Model]] = {}
    pending = list(pending)
    # The database the querysets read: the read replica's, for a reader it serves.
    alias = pending[0][2].db if pending else "default"
    try:
        with _time_limit(alias, by_index=by_index) as limit:
            for kind, _, queryset in pending:
                limit(deadline)
                found[kind] = list(queryset)
    except SearchTooSlow:
        pass  # the kinds not found are shown as too broad
    return found


def site_search(params: Mapping[str, object]) -> SearchResults:
    """Published entries of each kind matching `params` (q, kind, jurisdiction, status, year);
    when none matches every word of `q`, those matching the most of them, saying so. The whole
    search may take SEARCH_TIMEOUT_MS."""
    deadline = time.monotonic() + settings.SEARCH_TIMEOUT_MS / 1000
    results = _search(params, deadline)
    if results.total or results.errors or results.too_broad:
        return results
    asked = str(params.get("q") or "")
    respelling = respelt(asked)
    tries = [(respelling, True)] if respelling else []
    tries += [(kept, False) for kept in _fewer_words(words(asked))]
    for searched, respelt_ in tries:
        found = _search({**params, "q": searched}, deadline)
        if found.total:
            found.instead = Instead(asked, searched, respelt_)
            return found
        if found.too_broad:
            break  # out of time: the next would be too
    return results


def respelt(text: str) -> str | None:
    """`text` with each word no published entry has (of SHORTEST_RESPELT letters or more, and
    no digit) replaced by the published word nearest it in spelling, the most used of the
    nearest; None when no word is replaced. The last word stands as the start of a word, as the
    search reads it."""
    known, ordered = _vocabulary()
    found = words(text)
    respelling = [
        word if _stands(word, n == len(found) - 1, known, ordered) else _nearest(word, known)
        for n, word in enumerate(found)
    ]
    return " ".join(respelling) if respelling != found else None


def _stands(word: str, last: bool, known: Counter[str], ordered: Sequence[str]) -> bool:
    folded = word.casefold()
    if folded in known or len(word) < SHORTEST_RESPELT or any(c.isdigit() for c in word):
        return True
    n = bisect.bisect_left(ordered, folded)
    return last and n < len(ordered) and ordered[n].startswith(folded)


def _nearest(word: str, known: Counter[str]) -> str:
    """The known word nearest `word` (capitalised when `word` is), or `word` itself when none
    is near enough."""
    most = 1 if len(word) < SHORTEST_TWICE else 2
    near = process.extract(
        word.casefold(), known.keys(), scorer=Levenshtein.distance, score_cutoff=most, limit=None
    )
    best = min(near, key=lambda found: (found[1], -known[found[0]], found[0]), default=None)
    if best is None:
        return word
    return best[0].capitalize() if word[0].isupper() else best[0]


def _vocabulary() -> tuple[Counter[str], list[str]]:
    """How often each word (casefolded) occurs in the searched fields of the VOCABULARY_ROWS
    entries of each kind published last, and the words in order. Kept in the cache under the
    data version, which moves with every change the public can see and only then: a draft's
    words are never among them."""
    key = f"search-vocabulary:{freshness.current().number}"
    if (kept := cache.get(key)) is not None:
        return kept
    known: Counter[str] = Counter()
    for kind, queryset in _querysets().items():
        rows = queryset.order_by("-pk").values_list(*search_fields(kind))[:VOCABULARY_ROWS]
        for row in rows.iterator(chunk_size=VOCABULARY_ROWS):
            known.update(WORD.findall(" ".join(filter(None, row)).casefold()))
    vocabulary = known, sorted(known)
    cache.set(key, vocabulary, timeout=VOCABULARY_KEPT)
    return vocabulary


def _search(params: Mapping[str, object], deadline: float) -> SearchResults:
    pending, errors = _pending(params)
    text = str(params.get("q") or "")
    found = _found_in_time(pending, by_index=bool(text), deadline=deadline)
    groups = [
        Group(
            kind,
            label,
            [_hit(kind, entry, text) for entry in found[kind][:PER_KIND]],
            more=len(found[kind]) > PER_KIND,
        )
        if kind in found
        else Group(kind, label, too_broad=True)
        for kind, label, _ in pending
    ]
    return SearchResults(groups=groups, errors=errors)


def _fewer_words(found: Sequence[str]) -> Iterator[str]:
    """What to search for when nothing matches all the words `found`: all but one of them
    (leaving out the first, then the second...), then all but two, and so on; at most
    MOST_RELAXED, none twice."""
    seen: set[str] = set()
    candidates = (
        " ".join(word for n, word in enumerate(found) if n not in left_out)
        for size in range(1, len(found))
        for left_out in itertools.combinations(range(len(found)), size)
    )
    for kept in candidates:
        if kept not in seen:
            seen.add(kept)
            yield kept
            if len(seen) == MOST_RELAXED:
                return


def _hit(kind: str, entry: Model, text: str) -> Hit:
    """`entry` as a result of a search for `text` (none: a search by facets only)."""
    fields = search_fields(kind)
    texts = [str(getattr(entry, name) or "") for name in fields]
    marked = marked_fields(getattr(entry, MARKS, None), texts, text) if text else texts
    if kind == "quote":
        return Hit(entry, escape(str(entry)), passage(marked[0], width=QUOTE_WIDTH))
    # The link shows the entry's name: its first field, marked, where that is what it shows.
    named = str(entry) == texts[0]
    name = passage(marked[0], width=len(texts[0])) if named else escape(str(entry))
    best = max(marked[1:] if named else marked, key=mark_count, default="")
    return Hit(entry, name, passage(best, width=PASSAGE_WIDTH) if mark_count(best) else None)


@contextmanager
def _time_limit(
    alias: str = "default", *, by_index: bool = False
) -> Iterator[Callable[[float], None]]:
    """On PostgreSQL, `limit(deadline)` bounds the next statements by the time left until
    `deadline` (`statement_timeout`, for this savepoint only); running out raises
    SearchTooSlow. Elsewhere there is no limit.

    `by_index`, for a text search: sequential scans are off for the same statements. The
    planner does not know what the substring test costs a row (upper-casing the fields), so
    for a word in a third of the commitments it read the whole table and tested every row,
    where the two search indexes give the matching rows only: about twice as fast. (Where
    the quotes' door hashes a whole table, it then reads it through an index: see
    docs/performance.md, Search on PostgreSQL.)
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield lambda deadline: None
        return
    settings_sql = "SELECT set_config('statement_timeout', %s, true)"
    reset_sql = "SET LOCAL statement_timeout TO DEFAULT"
    if by_index:
        settings_sql += ", set_config('enable_seqscan', 'off', true)"
        reset_sql += "; SET LOCAL enable_seqscan TO DEFAULT"

    def limit(deadline: float) -> None:
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms < 1:
            raise SearchTooSlow
        with connection.cursor() as cursor:
            cursor.execute(settings_sql, [str(left_ms)])

    try:
        with transaction.atomic(using=alias):
            yield limit
            with connection.cursor() as cursor:
                cursor.execute(reset_sql)
    except OperationalError as exc:
        if isinstance(exc.__cause__, QueryCanceled):
            raise SearchTooSlow from None
        raise


def _best_first[M: Model](queryset: QuerySet[M], *, one_per: Sequence[str] = ()) -> QuerySet[M]:
    """`queryset` by relevance, when it is a text search, then in its own order; with
    `one_per` fields, only the first of the rows that have the same values of them.

    The first PER_KIND + 1 are chosen by their ids, from the kind's own table: the database
    ranks every match but keeps only those few (a bounded sort), and joins the related rows
    the page shows (a commitment's policy) for them only, not for every match.
    """
    ranked = RANK in queryset.query.annotations
    if not (ranked or one_per):
        return queryset
    ordering = [*([f"-{RANK}"] if ranked else []), *_ordering(queryset)]
    # values("pk") leaves out the related rows (select_related).
    candidates = _first_of_each(queryset, one_per) if one_per else queryset
    best = candidates.order_by(*ordering).values("pk")[: PER_KIND + 1]
    return queryset.filter(pk__in=best).order_by(*ordering)


def _first_of_each[M: Model](queryset: QuerySet[M], fields: Sequence[str]) -> QuerySet[M]:
    """The first row (by id) of each group of rows of `queryset` with the same values of
    `fields`, read again by id from the kind's table with `queryset`'s rank.

    Every row of a group has the same text but for its note, so which one stands for it shows
    nothing different. The rank is computed for the rows chosen, once each, outside the
    grouping: inside it SQLite looked each row's rank up among all the matches' ranks one by
    one (the square of the matches).
    """
    firsts = queryset.order_by().values(*fields).annotate(first=Min("pk")).values("first")
    rows = queryset.model._default_manager.filter(pk__in=firsts)
    if RANK in queryset.query.annotations:
        rows = rows.annotate(**{RANK: queryset.query.annotations[RANK]})
    return rows


def _ordering(queryset: QuerySet[Model]) -> Sequence[str | Combinable]:
    return queryset.query.order_by or queryset.model._meta.ordering or ["pk"]
