"""Commitments for the bulk exports, represented from plain column values.

A full export is every commitment (100,000 and more), so it cannot afford a model instance
and a DRF field walk per row. `commitment_rows` reads the columns with `values_list`, and
each chunk's citations and published verdicts in one query each, and hands the values to
`CommitmentSerializer.represent`: the one definition of a commitment's representation, which
the API's pages and details read too.
"""

import itertools
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, QuerySet

from policies.models import Actor
from policies.progress import derive_progress
from policies.selectors import published_verdicts
from sources.models import Passage
from tracker.api.serializers import CommitmentSerializer
from tracker.core import clock
from tracker.core.dates import optional_period

CHUNK = 2000
# The columns of the values `represent` reads beside the plain fields.
RELATED = [
    "policy_id",
    "policy__slug",
    "policy__title",
    "pledged_by_id",
    "pledged_by__slug",
    "pledged_by__name",
    "pledged_by_shown",
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
    verdicts (`selectors.published_verdicts`), as the serializer derives it.
    """
    public = serializer.context.get("public")
    today = clock.today()
    # A public commitment's policy is public (it is a parent); its actor is an optional link,
    # shown to the public only when the actor is public, by the same rule as everywhere.
    linked = Actor.objects.public() if public else Actor.objects.all()
    queryset = queryset.annotate(pledged_by_shown=Exists(linked.filter(pk=OuterRef("pledged_by"))))
    columns = [*serializer.plain_fields(), *RELATED]
    values = queryset.values_list(*columns).iterator(chunk_size=CHUNK)
    for chunk in itertools.batched(values, CHUNK, strict=False):
        entries = [_Row(dict(zip(columns, row, strict=True))) for row in chunk]
        complete(entries)
        verdicts = published_verdicts(entry.pk for entry in entries)
        for entry in entries:
            shown = _values(entry.values)
            progress = derive_progress(due=shown["due"], verdicts=verdicts[entry.pk], today=today)
            yield serializer.represent(shown, citations=entry.api_citations, progress=progress)


def _values(row: dict) -> dict:
    """The values `CommitmentSerializer.represent` reads, from one row of columns."""
    pledged_by = None
    if row["pledged_by_shown"]:
        pledged_by = (row["pledged_by_id"], row["pledged_by__slug"], row["pledged_by__name"])
    return {
        **row,
        "policy": (row["policy_id"], row["policy__slug"], row["policy__title"]),
        "pledged_by": pledged_by,
        "pledged": optional_period(row["pledged_start"], row["pledged_end"]),
        "due": optional_period(row["due_start"], row["due_end"]),
    }


class _Row:
    """One commitment's column values, standing in for the instance `complete` decorates."""

    __slots__ = ("api_citations", "pk", "values")
    api_citations: list[Passage]  # set by `complete`

    def __init__(self, values: dict):
        self.values = values
        self.pk = values["id"]
