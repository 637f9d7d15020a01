"""Commitments for the bulk exports, represented from plain column values.

A full export is every commitment (100,000 and more), so it cannot afford a model instance
and a DRF field walk per row. `commitment_rows` reads the columns with `values_list`, and
each chunk's citations and published verdicts in one query each, then builds exactly what
`CommitmentSerializer` gives for the same entry: plain fields go through the serializer's own
fields (so dates, decimals and text are formatted by the same code), and the composite ones
(links, fuzzy dates, progress, citations) through the same functions. A test compares the two
representations, entry for entry.
"""

import itertools
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, QuerySet

from policies.models import Actor, Commitment
from policies.progress import derive_progress
from policies.selectors import published_verdicts
from tracker.api.fields import CitationSerializer, FuzzyDateField
from tracker.api.serializers import CommitmentSerializer, ProgressSerializer
from tracker.core import clock
from tracker.core.dates import optional_period

CHUNK = 2000
# The serializer's fields that need more than one column's value.
COMPOSITE = {"url", "citations", "policy", "pledged_by", "pledged", "due", "deadline", "progress"}
RELATED = [
    "policy__slug",
    "policy__title",
    "pledged_by__slug",
    "pledged_by__name",
    "pledged_start",
    "pledged_end",
    "due_start",
    "due_end",
]


def commitment_rows(
    serializer: CommitmentSerializer, queryset: QuerySet, complete
) -> Iterator[dict]:
    """`serializer.to_representation(entry)` for every entry of `queryset`, in its order.

    `complete(entries)` sets each entry's `api_citations`, as it does for a page of the API;
    here the entries are lightweight rows. Progress is derived from each chunk's published
    verdicts (`public.published_verdicts`), as the serializer derives it.
    """
    plain = [name for name in serializer.fields if name not in COMPOSITE]
    fields = serializer.fields
    public = serializer.context.get("public")
    url = serializer.get_url(Commitment(pk=0)).removesuffix("0/")
    citations = CitationSerializer()
    progress_of = ProgressSerializer()
    today = clock.today()
    # A public commitment's policy is public (it is a parent); its actor is an optional link,
    # shown to the public only when the actor is public, by the same rule as everywhere.
    linked = Actor.objects.public() if public else Actor.objects.all()
    queryset = queryset.annotate(pledged_by_shown=Exists(linked.filter(pk=OuterRef("pledged_by"))))
    columns = [*plain, "policy_id", "pledged_by_id", "pledged_by_shown", *RELATED]
    values = queryset.values_list(*columns).iterator(chunk_size=CHUNK)
    for chunk in itertools.batched(values, CHUNK, strict=False):
        entries = [_Row(dict(zip(columns, row, strict=True))) for row in chunk]
        complete(entries)
        verdicts = published_verdicts(entry.pk for entry in entries)
        for entry in entries:
            row = entry.values
            due = optional_period(row["due_start"], row["due_end"])
            pledged_by = None
            if row["pledged_by_shown"]:
                pledged_by = {
                    "id": row["pledged_by_id"],
                    "slug": row["pledged_by__slug"],
                    "name": row["pledged_by__name"],
                }
            representation = {
                name: None if row[name] is None else fields[name].to_representation(row[name])
                for name in plain
            }
            representation.update(
                url=f"{url}{row['id']}/",
                citations=[citations.to_representation(p) for p in entry.api_citations],
                policy={
                    "id": row["policy_id"],
                    "slug": row["policy__slug"],
                    "name": row["policy__title"],
                },
                pledged_by=pledged_by,
                pledged=FuzzyDateField.represent(
                    optional_period(row["pledged_start"], row["pledged_end"])
                ),
                due=FuzzyDateField.represent(due),
                deadline=due.as_deadline() if due else None,
                progress=progress_of.to_representation(
                    derive_progress(due=due, verdicts=verdicts[entry.pk], today=today)
                ),
            )
            yield {name: representation[name] for name in fields}


class _Row:
    """One commitment's column values, standing in for the instance `complete` decorates."""

    __slots__ = ("api_citations", "pk", "values")

    def __init__(self, values: dict):
        self.values = values
        self.pk = values["id"]
