"""Public commitments stored as the API shows them, when a save changes them: the API's list
and detail read them, and the database writes the CSV export from them.

The API's pages represent every commitment they show, and a full export is every public
commitment (100,000 and more): representing each one in Python on every request kept a page
of 100 at 50 ms and an export at a fifth of the speed PostgreSQL copies the same rows. Here
each public commitment is represented once, when a save changes it, by the one representation
(`CommitmentSerializer.represent`, through `rows.represent_rows`) and the one flattening
(`exports.cell_texts`), and stored as a `StoredCommitment`: JSON text for the API, and the
texts of its CSV cells. The API's list and detail read the JSON; the CSV export reads the
rows the API's filters select, and on PostgreSQL `COPY (SELECT …) TO STDOUT` writes it,
defusing formulas by `exports.neutralised_sql`; elsewhere Python writes the stored texts.

Both give what the Python path gives, which stays the answer for signed-in staff, who see
drafts, and for a row whose day has come (`until`): the API derives such rows afresh, and an
export that reaches one goes the Python way, until `manage.py rebuild_read_model` (daily)
stores them again.

What a row shows beside its commitment's own fields is kept in step too: its policy, the
actor and the pledge it names, its citations and their sources, its assessments
(`affected_by`).
"""

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

import orjson
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.db.models import F, QuerySet
from rest_framework.utils.encoders import JSONEncoder

from policies import readmodel, selectors
from policies.models import Actor, Assessment, Commitment, Funding
from sources.models import Citation, Source
from tracker.api.exports import Column, cell_texts, columns, csv_text_lines, neutralised_sql
from tracker.api.models import StoredCommitment
from tracker.api.rows import commitment_values, represent_rows, with_citations
from tracker.api.serializers import CommitmentSerializer
from tracker.core import clock, freshness, search
from tracker.core.dates import optional_period
from tracker.core.editorial import Curated, rebuild_visibility

CHUNK = 2000
# The one column a stored row leaves out: it holds the address the export was asked at.
URL = "url"
# Bytes of CSV a write to the client: PostgreSQL hands COPY's output over a row at a time.
BLOCK = 1 << 16


def _json(record: dict) -> str:
    return json.dumps(record, cls=JSONEncoder, ensure_ascii=False)


def _serializer() -> CommitmentSerializer:
    return CommitmentSerializer(context={"public": True})


def export_columns() -> list[Column]:
    """The columns of the commitments' CSV export, in order."""
    return columns(_serializer())


def stored_columns() -> list[Column]:
    """The columns a `StoredCommitment` holds the cells of, in order: every column but `url`."""
    return [column for column in export_columns() if column.name != URL]


# -- writing ------------------------------------------------------------------------------


def store(commitments: QuerySet[Commitment], *, today: dt.date) -> int:
    """Rewrite the stored rows of `commitments` (a queryset of any commitments): a row for
    each public one, none for the others; in the caller's transaction. Returns rows written."""
    serializer = _serializer()
    texts = cell_texts(stored_columns())
    ids = list(commitments.order_by().values_list("pk", flat=True))
    written = 0
    for chunk in itertools.batched(ids, CHUNK, strict=False):
        StoredCommitment.objects.filter(commitment_id__in=chunk).delete()
        public = selectors.commitments_bare().filter(pk__in=chunk).order_by("pk")
        values = list(commitment_values(serializer, public))
        if not values:
            continue
        verdicts = selectors.published_verdicts(row["id"] for row in values)
        records = represent_rows(
            serializer,
            values,
            lambda entries: with_citations(Commitment, entries, public=True),
            verdicts=verdicts,
            today=today,
        )
        StoredCommitment.objects.bulk_create(
            StoredCommitment(
                commitment_id=row["id"],
                representation=_json({k: v for k, v in record.items() if k != URL}),
                cells=texts(record),
                since=today,
                until=readmodel.until(
                    optional_period(row["due_start"], row["due_end"]),
                    verdicts[row["id"]],
                    today=today,
                ),
            )
            for row, record in zip(values, records, strict=True)
        )
        written += len(values)
    return written


def rebuild(*, today: dt.date) -> int:
    """Every public commitment's stored row, from scratch. Returns rows written."""
    StoredCommitment.objects.all().delete()
    return store(Commitment.objects.all(), today=today)


class Rebuilt(NamedTuple):
    changed: int  # entries whose stored visibility changed
    written: int  # standings written (as many commitments stored)
    moved: int  # standings and stored commitments that differed from those stored before
    indexes: int  # search indexes rebuilt (SQLite's full-text tables out of step)

    def summary(self) -> str:
        """What the rebuild changed, in a sentence or two, for `manage.py rebuild_read_model`
        and the admin's background work."""
        if not (self.changed or self.moved or self.indexes):
            return (
                "Rebuilt: nothing to change, the read model was in step "
                f"({self.written:,} standings and stored commitments)."
            )
        noun = "entry's" if self.changed == 1 else "entries'"
        rows = "row" if self.moved == 1 else "rows"
        indexes = (
            f" {self.indexes:,} search {'index' if self.indexes == 1 else 'indexes'} rebuilt."
            if self.indexes
            else ""
        )
        return (
            f"Rebuilt: {self.changed:,} {noun} visibility changed; {self.written:,} "
            f"standings and stored commitments written ({self.moved:,} {rows} differed).{indexes}"
        )


def rebuild_read_model() -> Rebuilt:
    """The whole stored public read model from scratch, in one transaction: each entry's
    visibility, each public commitment's standing and stored row, and on SQLite the search
    indexes that are out of step. When anything was out of step, the data version moves, so
    that no cache serves what was repaired."""
    today = clock.today()
    with transaction.atomic():
        changed = rebuild_visibility()
        before = _digests()
        written = readmodel.rebuild_standings(today=today)
        rebuild(today=today)
        after = _digests()
        moved = sum(before.get(key) != after.get(key) for key in before.keys() | after.keys())
        indexes = search.rebuild_full_text()
        if changed or moved or indexes:
            freshness.advance()
    return Rebuilt(changed, written, moved, indexes)


def _digests() -> dict[tuple[str, int], int]:
    """A digest of each stored standing and commitment, by kind and id (a rebuild compares
    100,000 of each)."""
    return {("standing", row[0]): hash(row) for row in readmodel.snapshot()} | {
        ("export", row[0]): hash(row) for row in snapshot()
    }


def snapshot() -> list[tuple]:
    """Every stored row as values, in order, but the day each was rendered: what a rebuild
    must reproduce."""
    return [
        (pk, representation, json.dumps(cells), until)
        for pk, representation, cells, until in StoredCommitment.objects.order_by("pk").values_list(
            "commitment_id", "representation", "cells", "until"
        )
    ]


def affected_by(entry: Curated) -> QuerySet[Commitment] | None:
    """The commitments whose stored row a save of `entry` may change, or None: those
    whose standing it may change, and those that name it (an actor, a pledge, a source)."""
    found = readmodel.affected_by(entry)
    if found is not None:
        return found
    if isinstance(entry, Actor):
        return Commitment.objects.filter(pledged_by=entry.pk)
    if isinstance(entry, Funding):
        return Commitment.objects.filter(funding=entry.pk)
    if isinstance(entry, Source):
        cited = Citation.objects.filter(
            source=entry.pk, content_type=ContentType.objects.get_for_model(Commitment)
        )
        return Commitment.objects.filter(pk__in=cited.values("object_id"))
    return None


def keep_in_step(sender: type[Curated], entry: Curated, **kwargs: object) -> None:
    """`editorial.public_entry_saved`'s receiver: the stored rows a save changed, rewritten."""
    commitments = affected_by(entry)
    if commitments is not None:
        store(commitments, today=clock.today())


def citation_changed(sender: type[Citation], instance: Citation, **kwargs: object) -> None:
    """`post_save` and `post_delete`'s receiver for citations: a cited commitment's stored
    row, rewritten (its entry's save rewrites it too; a citation may be written alone)."""
    # A draft's citations change no stored row: one query, none of the rewriting.
    if instance.content_type_id == ContentType.objects.get_for_model(Commitment).pk:
        store(Commitment.objects.public().filter(pk=instance.object_id), today=clock.today())


def assessment_deleted(sender: type[Assessment], instance: Assessment, **kwargs: object) -> None:
    """`post_delete`'s receiver for assessments: their commitment's stored row, rewritten."""
    store(Commitment.objects.filter(pk=instance.commitment_id), today=clock.today())


# -- reading ------------------------------------------------------------------------------


def with_stored(queryset: QuerySet[Commitment]) -> QuerySet:
    """`queryset` as the ids and stored rows that `represented` reads."""
    return queryset.values(
        "id",
        stored_json=F("stored__representation"),
        stored_since=F("stored__since"),
        stored_until=F("stored__until"),
    )


def represented(
    rows: Sequence[dict], *, prefix: str, today: dt.date, afresh: Callable[[list[int]], list[dict]]
) -> list[dict]:
    """The representation of each row of `with_stored`, in order: stored, with its `url`
    (`prefix`, its id and a slash), or, for the rows without a stored one that holds
    `today`, from `afresh(ids)`."""
    stale = [
        row["id"]
        for row in rows
        if row["stored_json"] is None
        or not readmodel.holds(row["stored_since"], row["stored_until"], today=today)
    ]
    derived = {entry["id"]: entry for entry in afresh(stale)} if stale else {}
    return [
        derived[row["id"]]
        if row["id"] in derived
        else {"id": row["id"], URL: f"{prefix}{row['id']}/", **orjson.loads(row["stored_json"])}
        for row in rows
    ]


def usable(queryset: QuerySet[Commitment], *, today: dt.date) -> bool:
    """Whether the stored rows answer for every commitment of `queryset` (public ones) on
    `today`: none lacks a row that holds on that day."""
    holding = StoredCommitment.objects.filter(readmodel.fresh(today)).values("pk")
    return not queryset.exclude(pk__in=holding).exists()


def csv_lines(queryset: QuerySet[Commitment], *, base: str) -> Iterator[bytes]:
    """The CSV export of the public commitments of `queryset`, from their stored rows, by id;
    `base` is the address an entry's id is appended to for its `url`. PostgreSQL writes it
    (`COPY`); elsewhere Python does, from the same texts by the same rule."""
    if connections[queryset.db].vendor == "postgresql":
        return _copied(queryset, base)
    return _written(queryset, base)


def _rows(queryset: QuerySet[Commitment]) -> QuerySet[StoredCommitment]:
    return StoredCommitment.objects.filter(
        commitment__in=queryset.order_by().values("pk")
    ).order_by("pk")


def _written(queryset: QuerySet[Commitment], base: str) -> Iterator[bytes]:
    names = [column.name for column in export_columns()]
    at = names.index(URL)

    def lines():
        for pk, cells in _rows(queryset).values_list("pk", "cells").iterator(chunk_size=CHUNK):
            yield [*cells[:at], f"{base}{pk}/", *cells[at:]]

    for text in csv_text_lines(names, lines()):
        yield text.encode()


def _copied(queryset: QuerySet[Commitment], base: str) -> Iterator[bytes]:
    """COPY of the rows, CHUNK rows a statement, each read whole before it is sent: a slow
    client holds no statement open (nor runs into the statement timeout), and memory stays
    within a chunk."""
    ids = list(_rows(queryset).values_list("commitment_id", flat=True))
    selected, parameters, stored = [], [], 0
    for column in export_columns():
        if column.name == URL:
            selected.append(f"%s || r.commitment_id || '/' AS {URL}")
            parameters.append(base)
            continue
        text, defusing = neutralised_sql(f"r.cells[{stored + 1}]")
        selected.append(f'{text} AS "{column.name}"')
        parameters.extend(defusing)
        stored += 1
    # The cells as an array, unpacked once a row: `cells ->> n` would decompress the stored
    # value again for each of the 50 columns.
    select = (
        f"SELECT {', '.join(selected)} FROM (SELECT commitment_id,"
        " ARRAY(SELECT jsonb_array_elements_text(cells)) AS cells"
        f" FROM {StoredCommitment._meta.db_table}"
        " WHERE commitment_id = ANY(%s) ORDER BY commitment_id OFFSET 0) r"
    )
    # On the database the rows are read from: the read replica's, for a reader it serves.
    with connections[queryset.db].cursor() as cursor:
        chunks = list(itertools.batched(ids, CHUNK, strict=False)) or [()]
        for index, chunk in enumerate(chunks):
            sql = cursor.mogrify(select, [*parameters, list(chunk)])
            sql = sql.decode() if isinstance(sql, bytes) else sql
            header = ", HEADER" if index == 0 else ""
            copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv{header})"
            with cursor.cursor.copy(copy_sql) as copy:
                block = b"".join(copy)
            for start in range(0, len(block), BLOCK):
                yield block[start : start + BLOCK]
