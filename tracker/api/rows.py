"""Commitments for the bulk exports and the API's pages, represented from plain column values.

A full export is every commitment (100,000 and more), so it cannot afford a model instance
and a DRF field walk per row; nor, at a smaller scale, can a page of 100. `commitment_values`
reads the columns with `values`, `represent_rows` reads a page's or a chunk's citations and
published verdicts in one query each and hands the values to `CommitmentSerializer.represent`:
the one definition of a commitment's representation.
"""

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator

from django.db.models import Model, OuterRef, QuerySet, Subquery

from policies.models import Actor, Funding
from policies.progress import Verdict, derive_progress
from policies.selectors import published_verdicts, sources
from sources.models import Citation, Passage, passages
from tracker.api.serializers import CommitmentSerializer
from tracker.core import clock
from tracker.core.dates import optional_period

CHUNK = 2000
# The columns a funding entry's name (`Funding.__str__`, which links show) is made of.
FUNDING_NAMED_BY = ("kind", "amount", "amount_high", "currency", "qualifier")
# The columns of the values `represent` reads beside the plain fields.
RELATED = [
    "policy_id",
    "policy__slug",
    "policy__title",
    "policy__jurisdiction__code",
    "policy__jurisdiction__name",
    "pledged_by_id",
    "pledged_by__slug",
    "pledged_by__name",
    "pledged_by_shown",
    "funding_id",
    "funding__slug",
    *(f"funding__{name}" for name in FUNDING_NAMED_BY),
    "funding_shown",
    "pledged_start",
    "pledged_end",
    "due_start",
    "due_end",
]


def commitment_rows(
    serializer: CommitmentSerializer, queryset: QuerySet, complete
) -> Iterator[dict]:
    """`serializer.to_representation(entry)` for every entry of `queryset`, in its order,
    read a chunk at a time (see `represent_rows`)."""
    values = commitment_values(serializer, queryset).iterator(chunk_size=CHUNK)
    for chunk in itertools.batched(values, CHUNK, strict=False):
        yield from represent_rows(serializer, chunk, complete)


def commitment_values(serializer: CommitmentSerializer, queryset: QuerySet) -> QuerySet:
    """`queryset` as the column values `represent_rows` reads, one dict a commitment."""
    public = serializer.context.get("public")
    # A public commitment's policy is public (it is a parent); its actor and the pledge it
    # tracks are optional links, shown to the public only when they are public, by the same
    # rule as everywhere.
    actors = Actor.objects.public() if public else Actor.objects.all()
    pledges = Funding.objects.public() if public else Funding.objects.all()
    # The links are read in the same query, as columns: no prefetch of instances.
    return (
        queryset.prefetch_related(None)
        .annotate(
            pledged_by_shown=_shown(actors, "pledged_by"),
            funding_shown=_shown(pledges, "funding"),
        )
        .values(*serializer.plain_fields(), *RELATED)
    )


def _shown(public: QuerySet, link: str) -> Subquery:
    """The linked entry's id when `public` holds it, else null: one lookup by primary key a
    row. (As `EXISTS`, PostgreSQL may hash every public entry of the kind for a page of 12.)"""
    return Subquery(public.filter(pk=OuterRef(link)).values("pk")[:1])


def represent_rows(
    serializer: CommitmentSerializer,
    rows: Iterable[dict],
    complete,
    *,
    verdicts: dict[int, list[Verdict]] | None = None,
    today: dt.date | None = None,
) -> list[dict]:
    """`serializer.to_representation(entry)` for each row of `commitment_values`.

    `complete(entries)` sets each entry's `api_citations`, as it does for a page of the API;
    here the entries are lightweight rows. Progress is derived on `today` (default: today) from
    the rows' published `verdicts` (default: `selectors.published_verdicts`, one query), as the
    serializer derives it.
    """
    today = today or clock.today()
    entries = [_Row(row) for row in rows]
    complete(entries)
    if verdicts is None:
        verdicts = published_verdicts(entry.pk for entry in entries)
    represented = []
    for entry in entries:
        shown = _values(entry.values)
        progress = derive_progress(due=shown["due"], verdicts=verdicts[entry.pk], today=today)
        represented.append(
            serializer.represent(shown, citations=entry.api_citations, progress=progress)
        )
    return represented


def _values(row: dict) -> dict:
    """The values `CommitmentSerializer.represent` reads, from one row of columns."""
    pledged_by = None
    if row["pledged_by_shown"] is not None:
        pledged_by = (row["pledged_by_id"], row["pledged_by__slug"], row["pledged_by__name"])
    return {
        **row,
        "policy": (row["policy_id"], row["policy__slug"], row["policy__title"]),
        "jurisdiction": (row["policy__jurisdiction__code"], row["policy__jurisdiction__name"]),
        "pledged_by": pledged_by,
        "funding": None if row["funding_shown"] is None else _funding(row),
        "pledged": optional_period(row["pledged_start"], row["pledged_end"]),
        "due": optional_period(row["due_start"], row["due_end"]),
    }


def _funding(row: dict) -> tuple[int, str, str]:
    """The `link_values` of the pledge a row tracks, named as the entry names itself."""
    named_by = {name: row[f"funding__{name}"] for name in FUNDING_NAMED_BY}
    return (row["funding_id"], row["funding__slug"], str(Funding(**named_by)))


def with_citations(model: type[Model], entries: list, *, public: bool) -> None:
    """Set each entry's `api_citations`: its passages (to the public, those of public sources),
    read as plain values in one query for a page or chunk of entries of `model`."""
    cited = Citation.objects.filter(source__in=sources()) if public else Citation.objects.all()
    by_entry = passages(model, [entry.pk for entry in entries], cited)
    for entry in entries:
        entry.api_citations = by_entry.get(entry.pk, [])


class _Row:
    """One commitment's column values, standing in for the instance `complete` decorates."""

    __slots__ = ("api_citations", "pk", "values")
    api_citations: list[Passage]  # set by `complete`

    def __init__(self, values: dict):
        self.values = values
        self.pk = values["id"]
