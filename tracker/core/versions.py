"""What changed between two versions of an entry, in the words its pages use.

`changes_between` turns versions (history records), each compared with an earlier one or with
nothing, into rows of (label, before, after): a fuzzy date as it reads ("Q4 2025"), an amount as
one value ("about RUB 1.6 trillion"), a relation or a link by the name of its entry, a person by
their name, a choice by its label, and each citation added, removed or changed. The admin's
compare page and its history list both show these rows.
"""

# Django's model fields take no type arguments at run time: annotations stay unevaluated.
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser
from django.db.models import Field, ForeignKey, Model, TextField
from django.utils.text import capfirst

from tracker.core import workflow
from tracker.core.datefields import fuzzy_date_label
from tracker.core.editorial import Composite, Curated

EMPTY = "—"

# Who and when of a save, which the history's own columns say (its date, who changed it), and
# the version number that every save moves: nothing a reviewer reviews. The other editorial
# fields (the state, who submitted it, the reviewer's note, why it was withdrawn) are shown.
BOOKKEEPING = frozenset(
    {"created_by", "updated_by", "created_at", "updated_at", "published_at", "version"}
)

type HistoricalRecord = workflow.HistoricalRecord
# A related row, by its model and id: what `_names` names.
type Reference = tuple[type[Model], Any]


class Change(NamedTuple):
    label: str
    before: str
    after: str


class _Passage(NamedTuple):
    """A citation as versions compare it: where it is (its source and locator), what it says
    there (quote, note, the value it states) and the whole in words."""

    where: tuple[Any, str]
    says: tuple[str, ...]
    words: str


class _Version(NamedTuple):
    content: dict[str, str]  # label: value in words, in the form's order, then the links
    editorial: dict[str, str]  # the same of its editorial fields
    passages: list[_Passage]


_NOTHING = _Version({}, {}, [])


def changes_between(
    pairs: Sequence[tuple[HistoricalRecord | None, HistoricalRecord]],
) -> list[list[Change]]:
    """For each (before, after) pair of versions of entries of one kind, the rows that differ;
    a version after nothing shows everything it sets. A pending edit after the published entry
    it would replace shows its content only: their editorial states differ by nature, and
    publishing the edit keeps the entry's. The versions of every pair are read together, in a
    few queries whatever their number."""
    records = {r.history_id: r for pair in pairs for r in pair if r is not None}
    if not records:
        return [[] for _ in pairs]
    model = next(iter(records.values())).instance_type
    read = _read(model, list(records.values()))
    return [
        _compare(
            read[before.history_id] if before is not None else _NOTHING,
            read[after.history_id],
            editorial=before is None or before.id == after.id,
        )
        for before, after in pairs
    ]


def _compare(before: _Version, after: _Version, *, editorial: bool) -> list[Change]:
    changes = _field_changes(before.content, after.content)
    changes += _citation_changes(before.passages, after.passages)
    return changes + (_field_changes(before.editorial, after.editorial) if editorial else [])


def _field_changes(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    return [
        Change(label, before.get(label, EMPTY), words)
        for label, words in after.items()
        if before.get(label, EMPTY) != words
    ]


def _citation_changes(before: list[_Passage], after: list[_Passage]) -> list[Change]:
    """Citations removed, changed (the same source and locator saying something else) and
    added; a citation that reads the same in both versions is no change, whatever its id."""
    removed, added = list(before), []
    for passage in after:
        if passage in removed:
            removed.remove(passage)
        else:
            added.append(passage)
    changes = []
    for old in removed:
        new = next((p for p in added if p.where == old.where), None)
        if new is None:
            changes.append(Change("Citation removed", old.words, EMPTY))
        else:
            added.remove(new)
            changes.append(Change("Citation changed", old.words, new.words))
    return changes + [Change("Citation added", EMPTY, p.words) for p in added]


# -- reading versions ------------------------------------------------------------------


def _read(model: type[Curated], records: list[HistoricalRecord]) -> dict[int, _Version]:
    entries = {r.history_id: _entry(model, r) for r in records}
    parts = workflow.parts_at(model, records)
    content, editorial = _columns(model, editorial=False), _columns(model, editorial=True)
    names = _names(_references(model, content + editorial, entries.values(), parts.values()))
    return {
        history_id: _Version(
            content={
                **_field_words(content, entry, names),
                **_link_words(model, parts[history_id][1], names),
            },
            editorial=_field_words(editorial, entry, names),
            passages=[_passage(c, names) for c in parts[history_id][0]],
        )
        for history_id, entry in entries.items()
    }


def _entry(model: type[Curated], record: HistoricalRecord) -> Curated:
    """The version as an entry, so that its own properties read it (`money`, a fuzzy date);
    built from the record's columns, without the query simple-history's `instance` makes for
    the columns its history leaves out (`is_public`)."""
    return model(
        **{
            f.attname: getattr(record, f.attname)
            for f in model._meta.concrete_fields
            if hasattr(record, f.attname)
        }
    )


def _columns(model: type[Curated], *, editorial: bool) -> list[Composite | Field[Any, Any]]:
    """What a version shows of its content (or its editorial fields), in the model's order:
    its fields, each composite (a fuzzy date, an amount) once, in place of its first column.
    Left out: bookkeeping, and the columns no form writes (a text's hash, the stored
    visibility), which follow from others."""
    composites = [*model.composites, *_fuzzy_dates(model)]
    owner = {column: c for c in composites for column in c.columns}
    shown: list[Composite | Field[Any, Any]] = []
    for field in model._meta.concrete_fields:
        composite = owner.get(field.name)
        if composite is not None:
            if composite not in shown and not editorial:  # a composite is content
                shown.append(composite)
        elif (
            field.editable
            and not field.primary_key
            and field.name not in BOOKKEEPING
            and (field.name in workflow.EDITORIAL_FIELDS) == editorial
        ):
            shown.append(field)
    return shown


def _fuzzy_dates(model: type[Curated]) -> list[Composite]:
    # Each FuzzyDateProperty of the model, read on the class, names its two columns.
    return [
        Composite(fuzzy_date_label(model, name), (prop.start, prop.end), name)
        for name in getattr(model, "_fuzzy_dates", ())
        for prop in [getattr(model, name)]
    ]


def _link(model: type[Curated], through: type[Model]) -> tuple[str, ForeignKey[Any, Any]]:
    """The label of the many-to-many whose rows are of `through`, and the column of a row that
    names the linked entry."""
    field = next(f for f in model._meta.many_to_many if f.remote_field.through is through)
    target = through._meta.get_field(field.m2m_reverse_field_name())
    assert isinstance(target, ForeignKey)  # a through model's two sides are foreign keys
    return _label(field.verbose_name), target


def _references(
    model: type[Curated],
    columns: list[Composite | Field[Any, Any]],
    entries: Iterable[Curated],
    parts: Iterable[workflow.Parts],
) -> set[Reference]:
    """Every related row the versions name: their relations, links and cited sources."""
    found: set[Reference] = set()
    relations = [c for c in columns if isinstance(c, ForeignKey)]
    for entry in entries:
        found |= {(f.related_model, getattr(entry, f.attname)) for f in relations}
    for citations, links in parts:
        found |= {(_source(c), c.source_id) for c in citations}
        for (through, _column), rows in links:
            target = _link(model, through)[1]
            found |= {(target.related_model, getattr(row, target.attname)) for row in rows}
    return {(related, pk) for related, pk in found if pk is not None}


def _source(citation: workflow.CitationRow) -> type[Model]:
    return cast(type[Model], citation._meta.get_field("source").related_model)


def _label(name: object) -> str:
    return str(capfirst(str(name)))


def _names(references: set[Reference]) -> dict[Reference, str]:
    """The name of each row: one query for each kind of row."""
    by_model: defaultdict[type[Model], set[Any]] = defaultdict(set)
    for related, pk in references:
        by_model[related].add(pk)
    return {
        (related, pk): _name(row)
        for related, pks in by_model.items()
        for pk, row in related._default_manager.in_bulk(pks).items()
    }


def _name(row: Model) -> str:
    return person(row) if isinstance(row, AbstractBaseUser) else str(row)


def person(user: AbstractBaseUser | None) -> str:
    """Who saved a version or submitted an entry, by name; "—" for nobody (a load, or an
    account deleted since)."""
    if user is None:
        return EMPTY
    full = user.get_full_name() if isinstance(user, AbstractUser) else ""
    return full or user.get_username()


def _named(names: Mapping[Reference, str], related: type[Model], pk: Any) -> str:
    if pk is None:
        return EMPTY
    # A row deleted since (a person's account; history keeps the id it pointed at).
    return names.get((related, pk), f"deleted {related._meta.verbose_name} #{pk}")


# -- values in words ---------------------------------------------------------------------


def _field_words(
    columns: list[Composite | Field[Any, Any]], entry: Curated, names: Mapping[Reference, str]
) -> dict[str, str]:
    words: dict[str, str] = {}
    for column in columns:
        if isinstance(column, Composite):
            words[_label(column.label)] = _words(getattr(entry, column.attribute))
        elif isinstance(column, ForeignKey):
            pk = getattr(entry, column.attname)
            words[_label(column.verbose_name)] = _named(names, column.related_model, pk)
        elif isinstance(column, TextField) and column.name in entry.unpublished_fields:
            # A source's document text (up to megabytes): its size and fingerprint say whether
            # it changed; the reader shows it.
            words[_label(column.verbose_name)] = _text_words(getattr(entry, column.attname))
        else:
            words[_label(column.verbose_name)] = _value_words(
                column, getattr(entry, column.attname)
            )
    return words


def _link_words(
    model: type[Curated], links: workflow.Links, names: Mapping[Reference, str]
) -> dict[str, str]:
    """Each many-to-many as the names of the entries it links, with what the link itself says
    (a policy's actor and its role: "Ministry of Finance (Funds)")."""
    words: dict[str, str] = {}
    for (through, _column), rows in links:
        label, target = _link(model, through)
        words[label] = ", ".join(sorted(_linked(row, target, names) for row in rows)) or EMPTY
    return words


def _linked(row: Model, target: ForeignKey[Any, Any], names: Mapping[Reference, str]) -> str:
    name = _named(names, target.related_model, getattr(row, target.attname))
    said = [
        _value_words(f, getattr(row, f.attname))
        for f in row._meta.concrete_fields
        if not (f.primary_key or f.is_relation)
    ]
    return f"{name} ({', '.join(said)})" if said else name


def _passage(citation: workflow.CitationRow, names: Mapping[Reference, str]) -> _Passage:
    source = _named(names, _source(citation), citation.source_id)
    words = f"{source}, {citation.locator}: “{citation.quote}”"
    if citation.field:
        words += f" (states {citation.field}: {citation.claim})"
    if citation.note:
        words += f" Note: {citation.note}"
    return _Passage(
        where=(citation.source_id, citation.locator),
        says=(citation.quote, citation.note, citation.field, citation.claim),
        words=words,
    )


def _text_words(text: str) -> str:
    if not text:
        return EMPTY
    fingerprint = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"{len(text):,} characters (SHA-256 {fingerprint}…)"


def _value_words(field: Field[Any, Any], value: Any) -> str:
    if field.choices and value not in ("", None):
        return str(dict(field.flatchoices).get(value, value))
    return _words(value)


def _words(value: Any) -> str:
    """A value as a page reads it: a fuzzy date, an amount or a name by its own str()."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
