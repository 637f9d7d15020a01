"""Load the curated dataset in fixtures/: validate everything, then write it in one transaction.

Each JSON file holds lists of records by kind. A record that appears in several files (one
entity that several documents discuss) is merged by its key: citations add up, and a field
given twice must agree. Records load as published; a record a researcher has since changed
(it has an `updated_by`) is left alone, so loading twice duplicates and overwrites nothing.
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from simple_history.utils import bulk_create_with_history

from policies.models import (
    Actor,
    Assessment,
    Commitment,
    Estimate,
    Event,
    Funding,
    Jurisdiction,
    Policy,
    PolicyActor,
)
from sources.models import Citation, Source
from sources.passages import Document, unescape_markdown
from tracker.core import clock, constraints, freshness
from tracker.core.dates import FuzzyDate
from tracker.core.editorial import Curated, State
from tracker.core.models import PublicChange
from tracker.core.workflow import EDITORIAL_FIELDS, save_version

# Dependency order: a kind refers only to kinds above it (and, for two, to itself). Funding
# comes before commitments, which may track a pledge.
KINDS: dict[str, type[Curated]] = {
    "sources": Source,
    "jurisdictions": Jurisdiction,
    "actors": Actor,
    "policies": Policy,
    "funding": Funding,
    "commitments": Commitment,
    "assessments": Assessment,
    "events": Event,
    "estimates": Estimate,
}
SELF_REFERENCES = {"policies": "parent", "funding": "delivers_against"}
MONEY_FIELDS = {
    "amount": ("amount", "amount_high", "currency", "qualifier"),
    "stated_equivalent": (
        "stated_amount",
        "stated_amount_high",
        "stated_currency",
        "stated_qualifier",
    ),
    "value": ("value", "value_high", "currency", "qualifier"),
}
# A passage's text and place, and optionally the value it states of one field of its record.
CITATION_TEXT = ("page", "section", "footnote", "note", "field", "claim")
CITATION_FIELDS = {"source", "quote", *CITATION_TEXT}
# A source record's document text: the name of its file in the texts folder (attach_texts).
TEXT_FILE = "text_file"


def key_field(model: type[models.Model]) -> str:
    return "code" if model is Jurisdiction else "slug"


class FieldKind(StrEnum):
    """How a record holds a field, read the same way by the loader and the dump."""

    PLAIN = "plain"  # the value itself; decimals as strings of digits
    FUZZY_DATE = "fuzzy date"  # "2019-Q4", for the two period columns
    MONEY = "money"  # {"amount", "amount_high", "currency", "qualifier"}, for four columns
    RELATION = "relation"  # the key of the entry pointed at
    MANY = "many"  # the keys of the entries linked
    ROLES = "roles"  # a policy's actors: [{"actor": key, "role": role}]


def field_kind(model, name: str) -> FieldKind:
    """How a record holds the field `name` of `model` (FieldDoesNotExist if it has none)."""
    if name in getattr(model, "_fuzzy_dates", ()):
        return FieldKind.FUZZY_DATE
    if name in MONEY_FIELDS and _has_fields(model, MONEY_FIELDS[name]):
        return FieldKind.MONEY
    if model is Policy and name == "actors":
        return FieldKind.ROLES
    model_field = model._meta.get_field(name)
    if model_field.many_to_many:
        return FieldKind.MANY
    if model_field.many_to_one:
        return FieldKind.RELATION
    return FieldKind.PLAIN


class BrokenReference(LookupError):
    """A reference to a record that is in the fixtures but was itself refused (reported once)."""


class DatasetError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the fixtures; nothing was written:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


@dataclass
class Record:
    kind: str
    key: str
    files: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    citations: list[dict] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{', '.join(self.files)}: {self.kind} {self.key!r}"


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def lines(self) -> list[str]:
        return [
            f"{kind}: " + ", ".join(f"{n} {what}" for what, n in sorted(counter.items()))
            for kind, counter in self.counts.items()
        ]


def read_fixtures(folder: Path) -> dict[tuple[str, str], Record]:
    """Every record of every *.json file in `folder`, merged by kind and key."""
    problems: list[str] = []
    merged: dict[tuple[str, str], Record] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"{path.name}: not valid JSON: {exc}")
            continue
        if not isinstance(document, dict):
            problems.append(f"{path.name}: the top level must be an object of lists by kind")
            continue
        for kind, rows in document.items():
            if kind not in KINDS:
                problems.append(f"{path.name}: unknown kind {kind!r} (known: {', '.join(KINDS)})")
                continue
            if not isinstance(rows, list):
                problems.append(f"{path.name}: {kind} must be a list")
                continue
            for number, row in enumerate(rows, start=1):
                _merge_row(merged, problems, path.name, kind, number, row)
    if problems:
        raise DatasetError(problems)
    return merged


def _merge_row(merged, problems, filename, kind, number, row):
    key = _row_key(kind, row)
    if key is None:
        problems.append(f"{filename}: {kind} #{number} has no {key_field(KINDS[kind])}")
        return
    record = merged.setdefault((kind, key), Record(kind, key))
    record.files.append(filename)
    problems.extend(_merge_fields(record, row, filename))
    for citation in row.get("citations") or []:
        if citation not in record.citations:
            record.citations.append(citation)


def _row_key(kind: str, row) -> str | None:
    key_name = key_field(KINDS[kind])
    if not isinstance(row, dict) or not isinstance(row.get(key_name), str) or not row[key_name]:
        return None
    # The key in the field's own form: a code written "ru" in one file is RU of another.
    key_column = KINDS[kind]._meta.get_field(key_name)
    assert isinstance(key_column, models.Field)  # a column, not the other side of a relation
    return key_column.to_python(row[key_name])


def _merge_fields(record: Record, row: dict, filename: str) -> list[str]:
    """Add the row's fields to the record; the problems of a field given twice, differently."""
    problems = []
    for name, value in row.items():
        if name in (key_field(KINDS[record.kind]), "citations"):
            continue
        if name in record.data and record.data[name] != value:
            problems.append(
                f"{record.where}: {name} is {record.data[name]!r} in one file and {value!r} in {filename}"
            )
        record.data[name] = value
    return problems


def load_texts(folder: Path) -> list[Document]:
    """The documents of `folder` (*.txt: Markdown renderings of the documents, page breaks as
    form feeds), which every quote is checked against (sources/passages.py)."""
    return [
        Document.of_text(path.read_text(encoding="utf-8"), markdown=True)
        for path in sorted(folder.glob("*.txt"))
    ]


class Loader:
    def __init__(
        self, records: dict[tuple[str, str], Record], *, texts: list[Document] | None = None
    ):
        self.records = records
        self.texts = texts
        self.problems: list[str] = []
        self.report = Report()
        self.failed: set[tuple[str, str]] = set()
        self.changes: list[freshness.Change] = []
        self.now = clock.now()

    def run(self) -> Report:
        """Write every record, or raise DatasetError having written nothing."""
        with transaction.atomic():
            for kind, model in KINDS.items():
                for record in self._in_order(kind):
                    self._load(record, model)
            if self.problems:
                transaction.set_rollback(True)
            else:
                _reset_sequences()
                # Records load as published: what they publish or change is a public change.
                freshness.record(self.changes)
        if self.problems:
            raise DatasetError(self.problems)
        return self.report

    def _in_order(self, kind: str) -> list[Record]:
        """Records of one kind, each after the records of the same kind it refers to."""
        records = {key: r for (k, key), r in self.records.items() if k == kind}
        ordered: list[Record] = []
        done: set[str] = set()

        def visit(record: Record, path: tuple[str, ...]):
            if record.key in done:
                return
            for target in _same_kind_references(record):
                if target in path:
                    self.problems.append(
                        f"{record.where}: refers in a cycle ({' -> '.join((*path, target))})"
                    )
                elif target in records:
                    visit(records[target], (*path, target))
            done.add(record.key)
            ordered.append(record)

        for record in sorted(records.values(), key=lambda r: r.key):
            visit(record, (record.key,))
        return ordered

    def _load(self, record: Record, model) -> None:
        instance = model.objects.originals().filter(**{key_field(model): record.key}).first()
        if instance is not None and instance.updated_by_id is not None:
            self.report.counts[record.kind]["left alone (changed by a researcher)"] += 1
            return
        problems_before = len(self.problems)
        created = instance is None
        was_published = not created and instance.state == State.PUBLISHED
        instance = self._instance(record, model, instance)
        changed = None if instance is None else self._update(record, instance, created=created)
        if changed is None:
            self._fail(record, problems_before)
            return
        outcome = "created" if created else ("updated" if changed else "unchanged")
        self.report.counts[record.kind][outcome] += 1
        if changed:
            change = PublicChange.Change.UPDATED if was_published else PublicChange.Change.PUBLISHED
            self.changes.append((model, instance.pk, change))

    def _instance(self, record: Record, model, instance):
        """The entry to load the record into (a new one, with the dump's id if it gives one), or
        None when the record's id does not fit."""
        wanted_id = record.data.get("id")
        if wanted_id is not None and not self._id_fits(record, model, instance, wanted_id):
            return None
        return instance or model(**{key_field(model): record.key, "id": wanted_id})

    def _update(self, record: Record, instance, *, created: bool) -> bool | None:
        """Give the entry the record's fields, links and citations, published, and save it:
        whether anything changed, or None with the problems recorded."""
        before = None if created else self._snapshot(instance)
        related = self._validated(record, instance)
        if related is None:
            return None
        changed = created or before != self._snapshot(instance)
        if created or instance.state != State.PUBLISHED:
            instance.state, instance.published_at, changed = State.PUBLISHED, self.now, True
        parts_changed = self._save_with_parts(record, instance, related, created=created)
        if parts_changed is None:
            return None
        if not created and (changed or parts_changed):
            save_version(instance, by=None, reason="loaded from the fixtures")
        return changed or parts_changed

    def _validated(self, record: Record, instance) -> dict | None:
        """Set the record's fields on the instance and validate it: its many-to-many values, or
        None with the problems recorded."""
        related = self._assign(record, instance)
        if related is None:
            return None
        try:
            constraints.full_clean(instance)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                label = "" if name == "__all__" else f"{name}: "
                self.problems.extend(f"{record.where}: {label}{m}" for m in messages)
            return None
        return related

    def _save_with_parts(self, record: Record, instance, related: dict, *, created: bool):
        """Save a new entry with its links and citations (an existing one's parts only): whether
        the parts changed, or None when its citations were refused."""
        written = {}

        def parts():
            # Citations are read once the entry has its id, so that a source may cite its pages.
            citations = self._citations(record, instance)
            if citations is not None:
                written["parts"] = self._save_related(instance, related) | self._save_citations(
                    instance, citations
                )

        # Parts first, the entry's history record last: each loaded version holds its
        # citations and links, so that a revert to it brings them back.
        if created:
            save_version(instance, by=None, reason="loaded from the fixtures", parts=parts)
        else:
            parts()
        return written.get("parts")

    def _id_fits(self, record: Record, model, instance, wanted_id) -> bool:
        """A dump's ids keep permalinks (/e/<kind>/<id>/) pointing at the same entries."""
        if not isinstance(wanted_id, int) or isinstance(wanted_id, bool) or wanted_id < 1:
            self.problems.append(f"{record.where}: id must be a positive whole number")
            return False
        if instance is not None:
            if instance.pk != wanted_id:
                self.problems.append(
                    f"{record.where}: is entry #{instance.pk} here, not #{wanted_id}; load a dump "
                    "into an empty database, or remove its ids"
                )
                return False
            return True
        taken = model.objects.filter(pk=wanted_id).first()
        if taken is not None:
            self.problems.append(
                f"{record.where}: id {wanted_id} already belongs to {taken} "
                f"({key_field(model)} {getattr(taken, key_field(model))!r})"
            )
            return False
        return True

    def _fail(self, record: Record, problems_before: int) -> None:
        self.failed.add((record.kind, record.key))
        if len(self.problems) == problems_before:
            self.problems.append(f"{record.where}: refers to records that were refused above")

    @staticmethod
    def _snapshot(instance) -> dict:
        return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}

    def _assign(self, record: Record, instance) -> dict | None:
        """Set the record's fields on the instance: its many-to-many values, or None with the
        problems recorded."""
        related: dict[str, list] = {}
        ok = True
        for name, value in record.data.items():
            if name == "id":
                continue  # checked by _id_fits, set on creation only
            try:
                kind = field_kind(type(instance), name)
                related |= self.ASSIGN[kind](self, instance, name, value)
            except (LookupError, ValueError, TypeError, InvalidOperation, FieldDoesNotExist) as exc:
                self.problems.append(f"{record.where}: {_assignment_problem(name, exc)}")
                ok = False
        return related if ok else None

    # Each assigner sets one field of a record on the instance and returns the many-to-many
    # values it leaves for after the save.

    def _assign_plain(self, instance, name: str, value) -> dict:
        setattr(instance, name, _plain_value(instance._meta.get_field(name), value))
        return {}

    def _assign_fuzzy(self, instance, name: str, value) -> dict:
        setattr(instance, name, FuzzyDate.parse(value) if value else None)
        return {}

    def _assign_money(self, instance, name: str, value: dict | None) -> dict:
        amount, high, currency, qualifier = MONEY_FIELDS[name]
        value = value or {}
        unknown = set(value) - {"amount", "amount_high", "currency", "qualifier", "unit"}
        if unknown:
            raise ValueError(f"unknown money field(s) {', '.join(sorted(unknown))}")
        setattr(instance, amount, _decimal(value.get("amount")))
        setattr(instance, high, _decimal(value.get("amount_high")))
        setattr(instance, currency, value.get("currency") or "")
        setattr(instance, qualifier, value.get("qualifier") or "exact")
        if "unit" in value:
            instance.unit = value["unit"] or ""
        return {}

    def _assign_relation(self, instance, name: str, value) -> dict:
        model_field = instance._meta.get_field(name)
        setattr(
            instance,
            model_field.name,
            self._find(model_field.related_model, value) if value else None,
        )
        return {}

    def _assign_many(self, instance, name: str, value) -> dict:
        model = instance._meta.get_field(name).related_model
        return {name: [self._find(model, key) for key in value or []]}

    def _assign_roles(self, instance, name: str, value) -> dict:
        return {"roles": [(self._find(Actor, a["actor"]), a["role"]) for a in value or []]}

    ASSIGN = {
        FieldKind.PLAIN: _assign_plain,
        FieldKind.FUZZY_DATE: _assign_fuzzy,
        FieldKind.MONEY: _assign_money,
        FieldKind.RELATION: _assign_relation,
        FieldKind.MANY: _assign_many,
        FieldKind.ROLES: _assign_roles,
    }

    def _find[C: Curated](self, model: type[C], key: object) -> C:
        """The entry of `model` with the key a file gives (whatever it holds: one found only
        when it is a key)."""
        found = model.objects.originals().filter(**{key_field(model): key}).first()
        if not isinstance(found, model):  # None: no such entry
            kind = next(k for k, m in KINDS.items() if m is model)
            if (kind, key) in self.failed:
                raise BrokenReference(f"{model._meta.verbose_name} {key!r}")
            raise LookupError(f"{model._meta.verbose_name} {key!r}")
        return found

    def _citations(self, record: Record, instance: Curated) -> list[Citation] | None:
        # The entry says whether it needs one (a check with a note may do without).
        if not record.citations and instance.needs_citation:
            self.problems.append(
                f"{record.where}: has no citation; every fact needs a cited passage"
            )
            return None
        model = KINDS[record.kind]
        citations = [
            self._citation(f"{record.where}: citation #{position + 1}", position, data, model)
            for position, data in enumerate(record.citations)
        ]
        found = [c for c in citations if c is not None]
        return found if len(found) == len(citations) else None

    def _citation(self, where: str, position: int, data: dict, model) -> Citation | None:
        """The record's citation at `position` (of an entry of `model`), or None with the
        problems recorded."""
        unknown = set(data) - CITATION_FIELDS
        if unknown:
            self.problems.append(f"{where} has unknown field(s) {sorted(unknown)}")
            return None
        try:
            source = self._find(Source, data.get("source"))
        except LookupError as exc:
            self.problems.append(f"{where} cites {_reference_problem(exc)}")
            return None
        citation = Citation(
            source=source,
            # Its entry's kind, so that validating it checks the field it states (sources.claims).
            content_type=ContentType.objects.get_for_model(model),
            position=position,
            quote=data.get("quote") or "",
            **{name: data.get(name) or "" for name in CITATION_TEXT},
        )
        problems = [*self._unquoted(where, citation), *_citation_problems(where, citation)]
        self.problems.extend(problems)
        return None if problems else citation

    def _unquoted(self, where: str, citation: Citation) -> list[str]:
        # A source holding its own text checks the quote in Citation.clean (_citation_problems).
        if self.texts is None or any(text.locate(citation.quote) for text in self.texts):
            return []
        return [f"{where} quotes a passage found in none of the documents: {citation.quote[:80]!r}"]

    def _save_related(self, instance, related: dict) -> bool:
        changed = False
        for name, values in related.items():
            if name == "roles":
                wanted = {(actor.pk, role) for actor, role in values}
                current = set(instance.roles.values_list("actor_id", "role"))
                if wanted != current:
                    instance.roles.all().delete()
                    bulk_create_with_history(
                        [
                            PolicyActor(policy=instance, actor_id=a, role=r)
                            for a, r in sorted(wanted)
                        ],
                        PolicyActor,
                    )
                    changed = True
            else:
                manager = getattr(instance, name)
                if {o.pk for o in values} != set(manager.values_list("pk", flat=True)):
                    manager.set(values)
                    changed = True
        return changed

    def _save_citations(self, instance, citations: list[Citation]) -> bool:
        def fingerprint(c):
            return tuple(
                getattr(c, name) for name in ("source_id", "quote", "position", *CITATION_TEXT)
            )

        existing = list(instance.citations.all())
        if sorted(map(fingerprint, existing)) == sorted(map(fingerprint, citations)):
            return False
        instance.citations.all().delete()
        for citation in citations:
            citation.record = instance
            citation.verify()  # what save() records, which bulk_create does not call
        bulk_create_with_history(citations, Citation)
        return True


def _same_kind_references(record: Record) -> list[str]:
    if record.kind == "sources":
        # A cited work's citation points at the document that cites it.
        cited = {c["source"] for c in record.citations if c.get("source") is not None}
        return sorted(cited - {record.key})
    ref = SELF_REFERENCES.get(record.kind)
    return [record.data[ref]] if ref and record.data.get(ref) else []


def _has_fields(model, names) -> bool:
    return all(any(f.name == n for f in model._meta.concrete_fields) for n in names)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | int):
        raise ValueError(f"{value!r} is not a number; write it as a string of digits")
    return Decimal(str(value))


def _plain_value(model_field, value):
    if isinstance(model_field, models.DecimalField):
        return _decimal(value)
    if (
        value is None
        and isinstance(model_field, models.CharField | models.TextField)
        and not model_field.null
    ):
        return ""
    return value


def _assignment_problem(name: str, exc: Exception) -> str:
    if isinstance(exc, FieldDoesNotExist):
        return f"unknown field {name!r}"
    if isinstance(exc, LookupError):
        return f"{name} refers to {_reference_problem(exc)}"
    return f"{name}: {_reason(exc)}"


def _reference_problem(exc: LookupError) -> str:
    if isinstance(exc, BrokenReference):
        return f"{exc.args[0]}, which was refused"
    return f"{exc.args[0]}, which is in no fixture"


def _citation_problems(where: str, citation: Citation) -> list[str]:
    try:
        constraints.full_clean(citation, exclude=["content_type", "object_id"])
    except ValidationError as exc:
        return [f"{where}: {m}" for m in exc.messages]
    return []


def _reason(exc: Exception) -> str:
    if isinstance(exc, InvalidOperation):
        return "not a number"
    return str(exc.args[0]) if exc.args else exc.__class__.__name__


def load_documents(folder: Path, *, texts: Path | None = None) -> Report:
    records = read_fixtures(folder)
    attach_texts(records, texts)
    return Loader(records, texts=load_texts(texts) if texts else None).run()


def attach_texts(records: dict[tuple[str, str], Record], folder: Path | None) -> None:
    """Each source record naming the file of its document's text (`text_file`, in the texts
    folder) gets that text, as the document reads it (the files are Markdown renderings), so
    that its quotes are checked against it and located (Citation.verify); without a folder
    the name is set aside. DatasetError for a name that is no file there."""
    problems = []
    for record in records.values():
        name = record.data.pop(TEXT_FILE, None)
        if name is None or folder is None:
            continue
        path = folder / str(name)
        if record.kind != "sources" or not path.is_file():
            problems.append(f"{record.where}: {TEXT_FILE} {name!r} is no text in {folder}")
            continue
        record.data["text"] = unescape_markdown(path.read_text(encoding="utf-8"))
    if problems:
        raise DatasetError(problems)


# -- the inverse: the published dataset in the fixture format ------------------------------


def dump_documents() -> dict[str, list[dict]]:
    """Every public entry as fixture records, with the ids its permalinks use, so that
    `load_documents` on an empty database gives the same dataset back (a backup that needs no
    database tools, and the round-trip test). Links to entries that are not public are left out,
    as on the public site: a dump holds nothing the public cannot see.
    """
    return {
        kind: [_record_of(entry) for entry in model.objects.public().order_by(key_field(model))]
        for kind, model in KINDS.items()
    }


def _key_of(entry) -> str | None:
    """An entry's key, or None for no entry or one the public cannot see."""
    if entry is None or not type(entry).objects.public().filter(pk=entry.pk).exists():
        return None
    return getattr(entry, key_field(type(entry)))


def _record_of(entry) -> dict:
    model = type(entry)
    key = key_field(model)
    record: dict = {key: getattr(entry, key), "id": entry.pk}
    for name in _dumped_fields(model):
        record[name] = DUMP[field_kind(model, name)](entry, name)
    record["citations"] = _citations_of(entry)
    return record


def _dumped_fields(model) -> list[str]:
    """The names of a record's fields as a dump writes them: columns first, then fuzzy dates and
    amounts (each one field for its columns), links last; not the key, the id, the editorial
    fields or those never published (Curated.unpublished_fields)."""
    fuzzy = tuple(getattr(model, "_fuzzy_dates", ()))
    money = [name for name, columns in MONEY_FIELDS.items() if _has_fields(model, columns)]
    left_out = EDITORIAL_FIELDS | {key_field(model)} | _grouped_columns(fuzzy, money)
    left_out |= set(model.unpublished_fields)
    # Not what the site works out itself either (a text's hash).
    columns = [f.name for f in model._meta.concrete_fields if f.editable and f.name not in left_out]
    return [*columns, *fuzzy, *money, *(f.name for f in model._meta.many_to_many)]


def _grouped_columns(fuzzy, money) -> set[str]:
    """The columns that fuzzy dates and amounts write as one field each."""
    grouped = {f"{name}_{end}" for name in fuzzy for end in ("start", "end")}
    grouped |= {column for name in money for column in MONEY_FIELDS[name]}
    if "value" in money:
        grouped.add("unit")
    return grouped


def _dump_plain(entry, name: str):
    value = getattr(entry, name)
    return str(value) if isinstance(value, Decimal) else value


def _dump_fuzzy(entry, name: str) -> str | None:
    value = getattr(entry, name)
    return value.isoformat() if value else None


def _dump_money(entry, name: str) -> dict:
    amount, high, currency, qualifier = MONEY_FIELDS[name]
    value = {
        "amount": _text(getattr(entry, amount)),
        "amount_high": _text(getattr(entry, high)),
        "currency": getattr(entry, currency),
        "qualifier": getattr(entry, qualifier),
    }
    if name == "value":
        value["unit"] = entry.unit
    return value


def _dump_relation(entry, name: str) -> str | None:
    return _key_of(getattr(entry, name))


def _dump_many(entry, name: str) -> list[str]:
    key = key_field(entry._meta.get_field(name).related_model)
    return list(getattr(entry, name).public().order_by(key).values_list(key, flat=True))


def _dump_roles(entry, name: str) -> list[dict]:
    return [
        {"actor": role.actor.slug, "role": role.role}
        for role in entry.roles.filter(actor__in=Actor.objects.public())
        .select_related("actor")
        .order_by("actor__slug", "role")
    ]


DUMP = {
    FieldKind.PLAIN: _dump_plain,
    FieldKind.FUZZY_DATE: _dump_fuzzy,
    FieldKind.MONEY: _dump_money,
    FieldKind.RELATION: _dump_relation,
    FieldKind.MANY: _dump_many,
    FieldKind.ROLES: _dump_roles,
}


def _citations_of(entry) -> list[dict]:
    return [
        _citation_of(citation)
        for citation in entry.citations.filter(source__in=Source.objects.public())
        .select_related("source")
        .order_by("position", "id")
    ]


def _citation_of(citation: Citation) -> dict:
    written = {
        "source": citation.source.slug,
        **{name: getattr(citation, name) for name in ("page", "section", "footnote")},
        "quote": citation.quote,
        "note": citation.note,
    }
    if citation.field:  # the value it states, only where it states one
        written |= {"field": citation.field, "claim": citation.claim}
    return written


def _reset_sequences() -> None:
    """After rows were written with the ids a dump gave, the next new entry must not take one
    of them (PostgreSQL's sequences do not follow explicit ids; SQLite's rowids do)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(KINDS.values()))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _text(value) -> str | None:
    return None if value is None else str(value)
