"""Bulk import of commitments, funding, events and estimates from CSV or XLSX (django-import-export).

The admin shows a dry run first, with every row's outcome and every error by row and column,
then a confirm. The import runs in one transaction: a file with any invalid row imports
nothing, at the confirm as at the dry run. Every row is written by the workflow, which alone
sets state, version and owner: new rows of kinds without links by workflow.entries_create, a
batch at a time, the others (updates, events) by workflow.entry_save. Rows land as drafts
owned by the importer, and an existing entry is updated only when it is a draft the importer
may edit. Each row may carry one citation in the citation_* columns, added with the row's
version unless the entry already has the same passage.

The import page lists the columns a resource reads, with what each holds and how to write it
(DraftResource.columns, derived from the resource's fields and CITATION_COLUMNS), and offers an
example file written from the same list (DraftResource.example_csv).

The file is read by tracker.core.spreadsheets, within the IMPORT_MAX_* limits, once by the form (so
that a refused file is a form error) and again for the dry run and the confirm. Natural keys,
sources and the rows already there are looked up once a file; the check constraints of many
rows are evaluated together in one query (tracker.core.constraints.violated_checks).
"""

import csv
import dataclasses
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models
from django.db.models import UniqueConstraint
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from import_export import fields, resources, widgets
from import_export.forms import ImportForm
from import_export.instance_loaders import CachedInstanceLoader
from import_export.results import RowResult

from policies.models import (
    CURRENCY,
    Actor,
    Commitment,
    Estimate,
    Event,
    Funding,
    Jurisdiction,
    Policy,
)
from sources.models import Citation, Source
from tracker.core import workflow
from tracker.core.constraints import constraint_errors, violated_checks
from tracker.core.datefields import fuzzy_date_label, fuzzy_date_required
from tracker.core.dates import WRITTEN_FORMS, FuzzyDate
from tracker.core.spreadsheets import FileRefused

# New entries are written this many at a time (workflow.entries_create).
BATCH_SIZE = 500

# The one citation a row may carry: each column, in file order, and the Citation field it fills.
CITATION_COLUMNS = {
    "citation_source": "source",
    "citation_page": "page",
    "citation_section": "section",
    "citation_footnote": "footnote",
    "citation_quote": "quote",
}
# A quote needs at least one of these.
LOCATOR_COLUMNS = ("citation_page", "citation_section", "citation_footnote")
# What the key column (Meta.import_id_fields) holds, as the import page says it.
KEY_HOLDS = (
    "The entry's key. A row with a key already in the site updates that entry (if it is a draft "
    "you may edit); any other adds a draft"
)


def shown(value, limit: int = 40) -> str:
    """A cell's value as an error message quotes it: never more than `limit` characters."""
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


class SizedImportForm(ImportForm):
    """The import form: it refuses a file over IMPORT_MAX_FILE_SIZE before it is parsed, then
    reads it (tracker.core.spreadsheets) and refuses one that cannot be read, is over a limit or
    lacks a key column, with the reason, before anything is imported.

    Django's upload limits do not cover files (FILE_UPLOAD_MAX_MEMORY_SIZE only decides when an
    upload spills to disk), so the size is checked here, from the upload's own count of bytes.
    """

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.import_formats, self.import_resources = formats, resources

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_FILE_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; imports take at most "
                f"{filesizeformat(limit)}. Split it into smaller files."
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or chosen in (None, ""):
            return cleaned
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        try:
            dataset = self.import_formats[int(chosen)]().create_dataset(data)
        except FileRefused as refusal:
            self.add_error("import_file", str(refusal))
            return cleaned
        resource = self.import_resources[int(cleaned.get("resource") or 0)]
        problem = resource.missing_columns(dataset.headers or [])
        if problem:
            self.add_error("import_file", problem)
        return cleaned


class FuzzyDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        return FuzzyDate.parse(str(value))

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class NumberWidget(widgets.DecimalWidget):
    """A decimal, or an error naming the value: '12,5x' is not a number."""

    def clean(self, value, row=None, **kwargs):
        try:
            number = super().clean(value, row, **kwargs)
        except (InvalidOperation, ValueError, TypeError):
            raise ValueError(f"{shown(value)} is not a number.") from None
        if isinstance(number, Decimal) and not number.is_finite():
            raise ValueError(f"{shown(value)} is not a number.")
        return number


class EntryWidget(widgets.ForeignKeyWidget):
    """A relation by natural key, to the entry itself, never to a pending edit of it.

    `remember` looks up a file's keys in one query; a key it does not know (an entry made by an
    earlier row of the same file) is looked up alone.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = {}

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.originals()

    def remember(self, values) -> None:
        keys = {str(v).strip() for v in values if v not in (None, "")}
        found = self.get_queryset(None, None).filter(**{f"{self.field}__in": keys})
        self.known = {getattr(entry, self.field): entry for entry in found}

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        key = str(value).strip()
        entry = self.known.get(key)
        if entry is None:
            entry = self.get_queryset(value, row).filter(**{self.field: key}).first()
        if entry is None:
            raise ValueError(
                f"No {self.model._meta.verbose_name} has the {self.field} {shown(key)}."
            )
        return entry


class EntriesWidget(widgets.ManyToManyWidget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.model.objects.none()
        keys = [k.strip() for k in str(value).split(self.separator) if k.strip()]
        found = self.model.objects.originals().filter(**{f"{self.field}__in": keys})
        missing = sorted(set(keys) - set(found.values_list(self.field, flat=True)))
        if missing:
            raise ValueError(
                f"No {self.model._meta.verbose_name} has the {self.field} {', '.join(missing)}."
            )
        return found


def fuzzy(name):
    return fields.Field(attribute=name, column_name=name, widget=FuzzyDateWidget())


def entry(name, model, key="slug"):
    return fields.Field(attribute=name, column_name=name, widget=EntryWidget(model, field=key))


@dataclass(frozen=True, slots=True)
class Column:
    """A column the import reads, as the import page lists it."""

    name: str
    required: bool
    holds: str
    written: str


def _either(names: tuple[str, ...]) -> str:
    return f"{', '.join(names[:-1])} or {names[-1]}"


def field_column(model: type[models.Model], field: fields.Field) -> Column:
    """How the import page describes the column of `field`: from the widget that reads it and
    the model field (or fuzzy date) it fills."""
    if isinstance(field.widget, FuzzyDateWidget):
        return Column(
            field.column_name,
            required=fuzzy_date_required(model, field.attribute),
            holds=capfirst(fuzzy_date_label(model, field.attribute)),
            written=f"A date, as precise as the source is: {WRITTEN_FORMS}; “by 2024” is 2024",
        )
    target = model._meta.get_field(field.attribute)
    assert isinstance(target, models.Field)
    holds = str(capfirst(target.verbose_name))
    written = _written(field.widget, target)
    # The library fills an empty cell with the model field's default.
    if target.has_default() and target.get_default() not in ("", None):
        written += f"; left empty: {target.get_default()}"
    return Column(
        field.column_name,
        required=not target.blank and not target.has_default(),
        holds=f"{holds}. {target.help_text}" if target.help_text else holds,
        written=written,
    )


def _written(widget: widgets.Widget, target: models.Field) -> str:
    """How a cell of the column is written."""
    if isinstance(widget, EntriesWidget):
        return (
            f"{capfirst(widget.model._meta.verbose_name)} {widget.field}s, separated by "
            f"{widget.separator}"
        )
    if isinstance(widget, EntryWidget):
        return f"{capfirst(widget.model._meta.verbose_name)} {widget.field}"
    if target.choices:
        codes = ", ".join(f"{code} ({label})" for code, label in target.flatchoices)
        return f"One of {codes}"
    if isinstance(widget, NumberWidget):
        return (
            "A number in full, a point for decimals, no separators: 1600000000000 for 1.6 trillion"
        )
    if CURRENCY in target.validators:
        return "A currency code (ISO 4217): RUB, EUR, USD"
    return _text(target)


def _text(target: models.Field) -> str:
    if isinstance(target, models.SlugField):
        return f"Letters, digits, hyphens and underscores, at most {target.max_length} characters"
    if target.max_length:
        return f"Text, at most {target.max_length} characters"
    return "Text"


def citation_columns() -> list[Column]:
    """The citation_* columns as the import page lists them; DraftResource.citation and
    _check_citation_columns are the rules they describe."""
    needed = f"A quote needs at least one of {_either(LOCATOR_COLUMNS)}"
    holds = {
        "citation_source": "The source quoted. Needed with a quote",
        **{
            name: f"{capfirst(_citation_field(name).verbose_name)} of the passage in the source. "
            f"{needed}"
            for name in LOCATOR_COLUMNS
        },
        "citation_quote": "The passage that supports the row, copied verbatim from the source; "
        "when the source holds its text, it must be in it (and an empty page is found there). "
        "Leave it empty for no citation: the other citation_* columns are then not read",
    }
    written = {"citation_source": f"{capfirst(Source._meta.verbose_name)} slug"}
    return [
        Column(
            name,
            required=False,
            holds=holds[name],
            written=written.get(name) or _text(_citation_field(name)),
        )
        for name in CITATION_COLUMNS
    ]


def _citation_field(column: str) -> models.Field:
    field = Citation._meta.get_field(CITATION_COLUMNS[column])
    assert isinstance(field, models.Field)
    return field


class DraftResource(resources.ModelResource):
    # Every decimal column says which value is not a number, as a row's error.
    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "DecimalField": NumberWidget}
    # The rows of the example file the import page offers (example_csv), by column: entries of
    # the shipped dataset (fixtures/) under slugs of their own, with their verbatim quotes, so
    # that the file imports beside the dataset and states nothing its source does not.
    examples: tuple[dict[str, str], ...] = ()

    def columns(self) -> list[Column]:
        """Every column the import reads, in the order of the example file."""
        listed = []
        for field in self.get_import_fields():
            column = field_column(self._meta.model, field)
            if field.column_name in self._meta.import_id_fields:
                column = dataclasses.replace(column, required=True, holds=KEY_HOLDS)
            listed.append(column)
        return [*listed, *citation_columns()]

    def example_csv(self) -> bytes:
        """A CSV file of the columns and the example rows, in UTF-8 with a byte order mark, which
        is how Excel tells UTF-8 from its local encoding ("₽", "€", Cyrillic)."""
        text = io.StringIO()
        # A key of an example naming no column is an error here (DictWriter refuses it).
        writer = csv.DictWriter(text, fieldnames=[column.name for column in self.columns()])
        writer.writeheader()
        writer.writerows(self.examples)
        return text.getvalue().encode("utf-8-sig")

    @classmethod
    def missing_columns(cls, headers) -> str:
        """What the file lacks to be imported at all, or ''."""
        missing = set(cls._meta.import_id_fields) - {str(h).strip() for h in headers}
        if missing:
            return f"The file needs a column named {', '.join(sorted(missing))}."
        return ""

    def import_data(self, dataset, **kwargs):
        # A file with any invalid row imports nothing, at the confirm as at the dry run (the
        # library would otherwise commit the valid rows of a confirm whose file went bad since).
        kwargs["rollback_on_validation_errors"] = True
        result = super().import_data(dataset, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            # Rolled back: no row was written, and the result must not say otherwise (the admin
            # logs and counts the rows it reports as new or updated).
            for row in result.rows:
                if row.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
                    row.import_type = RowResult.IMPORT_TYPE_SKIP
            for kind in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
                result.totals[RowResult.IMPORT_TYPE_SKIP] += result.totals[kind]
                result.totals[kind] = 0
        return result

    def before_import(self, dataset, **kwargs):
        # The admin's import names the person importing: the author of the rows.
        self.user = workflow.signed_in(kwargs["user"])
        self.pending = []  # (new entry, its citations' fields), created together by flush()
        self.pending_keys = set()
        self.waiting_rows = []  # (row number, row, row result) of each pending entry
        self.failed_rows = []  # (row number, row, row result, errors) found by flush()
        self.queued = 0
        self.refused = None  # what the database refused in a batch, for after_import
        headers = list(dataset.headers or [])
        problem = self.missing_columns(headers)
        if problem:
            raise ValidationError(problem)
        for field in self._entry_fields():
            if field.column_name in headers:
                field.widget.remember(dataset[field.column_name])
        self.sources = self._cited_sources(dataset, headers)
        self.rows_by_key: dict[str, list[int]] = {}
        for number, key in enumerate(dataset["slug"], start=1):
            self.rows_by_key.setdefault(str(key or "").strip(), []).append(number)

    def _entry_fields(self) -> list[fields.Field]:
        """The columns naming an entry by its key."""
        return [f for f in self.get_import_fields() if isinstance(f.widget, EntryWidget)]

    @staticmethod
    def _cited_sources(dataset, headers) -> dict:
        """The sources the file's citations name, by slug, in one query."""
        if "citation_source" not in headers:
            return {}
        slugs = {str(s).strip() for s in dataset["citation_source"] if s}
        return {s.slug: s for s in Source.objects.originals().filter(slug__in=slugs)}

    def get_queryset(self):
        return self._meta.model.objects.originals()

    def before_import_row(self, row, **kwargs):
        self._refuse_a_repeated_key(row)
        # A row naming an entry made by an earlier row still waiting to be written.
        if any(
            str(row.get(f.column_name) or "").strip() in self.pending_keys
            for f in self._entry_fields()
            if f.widget.model is self._meta.model
        ):
            self.flush()
        self._check_citation_columns(row)

    def _refuse_a_repeated_key(self, row) -> None:
        key = str(row.get("slug") or "").strip()
        rows = self.rows_by_key.get(key, [])
        if key and len(rows) > 1:
            raise ValidationError(
                {
                    "slug": f"{shown(key)} is on rows {', '.join(map(str, rows))} of this file; "
                    "each entry may appear once."
                }
            )

    def _check_citation_columns(self, row) -> None:
        """A row citing a passage names a known source and a locator."""
        if not (row.get("citation_quote") or "").strip():
            return
        if str(row.get("citation_source") or "").strip() not in self.sources:
            raise ValidationError(
                f"citation_source: no source has the slug {shown(row.get('citation_source'))}."
            )
        if not any(row.get(c) for c in LOCATOR_COLUMNS):
            raise ValidationError(f"A citation needs a locator: {_either(LOCATOR_COLUMNS)}.")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.pk is not None and not workflow.can_edit(self.user, instance):
            errors["slug"] = [
                f"{instance.slug!r} exists and is {instance.get_state_display().lower()}; "
                "only drafts you may edit can be updated by an import."
            ]
        # The relations were just found among the entries, in this transaction: checking that
        # each exists again would cost a query a column a row.
        found = {f.attribute for f in self._entry_fields() if getattr(instance, f.attribute, None)}
        try:
            instance.full_clean(
                exclude={*errors, *found},
                validate_unique=validate_unique,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        later = instance.pk is None and workflow.creates_in_bulk(type(instance))
        for message in constraint_errors(
            instance, exclude=set(errors), established=self._key_constraints(), checks_later=later
        ):
            errors.setdefault(NON_FIELD_ERRORS, []).append(message)
        if errors:
            raise ValidationError(errors)

    def _key_constraints(self) -> set[str]:
        """The key's uniqueness is established already: the instance loader looked every key up
        among the entries, and before_import_row refuses a key repeated in the file. (The
        database's constraint still refuses a key taken since.)"""
        key = tuple(self._meta.import_id_fields)
        return {
            c.name
            for c in self._meta.model._meta.constraints
            if isinstance(c, UniqueConstraint) and tuple(c.fields) == key
        }

    def citation(self, row) -> dict | None:
        """The fields of the row's citation, checked as the citation form checks them."""
        quote = (row.get("citation_quote") or "").strip()
        if not quote:
            return None
        fields = {field: str(row.get(column) or "") for column, field in CITATION_COLUMNS.items()}
        fields.update(source=self.sources[fields["source"].strip()], quote=quote)
        citation = Citation(**fields)
        try:
            citation.clean_fields(exclude={"content_type", "object_id", "source"})
        except ValidationError as error:
            raise ValidationError(
                {f"citation_{name}": messages for name, messages in error.message_dict.items()}
            ) from None
        if citation.verify() is False:
            raise ValidationError({"citation_quote": citation.misquoted()})
        return fields

    def import_row(self, row, instance_loader, **kwargs):
        queued = self.queued
        row_result = super().import_row(row, instance_loader, **kwargs)
        if self.queued > queued:  # this row's entry waits for flush()
            self.waiting_rows.append((kwargs["row_number"], row, row_result))
        if len(self.pending) >= BATCH_SIZE:
            self.flush()
        return row_result

    def save_instance(self, instance, is_create, row, **kwargs):
        citation = self.citation(row)
        if is_create and workflow.creates_in_bulk(self._meta.model):
            self.pending.append((instance, [citation] if citation else []))
            self.pending_keys.add(instance.slug)
            self.queued += 1
            return
        # The workflow saves the row and, in the same version, its links and citation.
        try:
            workflow.entry_save(
                instance,
                by=self.user,
                seen_version=None if is_create else instance.version,
                reason="imported",
                parts=lambda: self._save_parts(instance, row, citation, is_create=is_create),
            )
        except workflow.WorkflowError as refusal:
            raise ValidationError(refusal.message) from None

    def flush(self) -> None:
        """Create the new entries waiting through the workflow, in a few queries.

        The database checks each row against its model's check constraints as it inserts it.
        When one fails, nothing of the batch is written; the rows that break a constraint are
        found (with its message) by evaluating the constraints of all of them in one query,
        reported invalid by after_import, and the others created.
        """
        try:
            workflow.entries_create(self.pending, by=self.user, reason="imported")
        except IntegrityError as error:
            violations = violated_checks([entry for entry, _ in self.pending])
            if any(violations):
                passing = []
                for waiting, row, errors in zip(
                    self.pending, self.waiting_rows, violations, strict=True
                ):
                    if errors:
                        self.failed_rows.append((*row, errors))
                    else:
                        passing.append(waiting)
                workflow.entries_create(passing, by=self.user, reason="imported")
            else:
                # Not a check constraint: a key taken by someone else since the file was read.
                self.refused = self.refused or error
        self.pending, self.pending_keys, self.waiting_rows = [], set(), []

    def after_import(self, dataset, result, **kwargs):
        self.flush()
        if self.refused is not None:
            # A base error: the library rolls the whole file back.
            raise ValidationError(
                "Nothing was imported: the database refused a row written meanwhile by someone "
                f"else ({str(self.refused)[:200]}). Upload the file again."
            )
        for number, row, row_result, errors in self.failed_rows:
            error = ValidationError({NON_FIELD_ERRORS: errors})
            result.totals[row_result.import_type] -= 1
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = error
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
            result.append_invalid_row(number, row, error)
        result.invalid_rows.sort(key=lambda invalid: invalid.number)
        super().after_import(dataset, result, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        """Done by save_instance, inside the entry's save (see _save_parts)."""

    def _save_parts(self, instance, row, citation, *, is_create):
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                self.import_field(field, instance, row, is_m2m=True)
        # Importing the same file again must not cite the same passage twice; a new entry has
        # no citation yet.
        if citation and (is_create or not instance.citations.filter(**citation).exists()):
            Citation.objects.create(record=instance, **citation)

    class Meta:
        import_id_fields = ("slug",)
        instance_loader_class = CachedInstanceLoader
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True
        # The dry run's page shows each row's values (shortened), not an HTML diff of each
        # field, which cost a deep copy and a diff a row.
        skip_diff = True
        store_row_values = True
        # No savepoint a row (two queries): save_instance writes new entries in batches and
        # others through entry_save, each in a savepoint of its own; this resource does not use
        # the library's bulk lists, which stay empty.
        use_bulk = True


# The section of the EUREN brief (fixtures/euren-brief-2.json) the example files quote, and
# passages of it that two examples cite; its dashes are the document's en dashes (U+2013).
SHIPPED_SECTION = "Artificial Intelligence (AI) \u2013 is Russia an attractive partner"
STRATEGY_QUOTE = (
    "Finalizing AI's political build-up, President Vladimir Putin declared on February 27, 2019 "
    "the development of the National AI Strategy (to be presented on July 1, 2019) with "
    "additional federal stimulus for AI high-tech projects."
)
DIGITAL_ECONOMY_QUOTE = (
    "A total of₽1.6 trillion (~€22 billion, 2/3 from the federal budget) will be invested or "
    "contracted up to 2024, with more than₽280 billion (~€3.8 billion) channeled to support "
    "so-called end-to-end technologies, where AI is among the top priorities.[10]"
)


class CommitmentResource(DraftResource):
    policy = entry("policy", Policy)
    pledged_by = entry("pledged_by", Actor)
    funding = entry("funding", Funding)
    pledged = fuzzy("pledged")
    due = fuzzy("due")

    examples = (
        {
            "slug": "example-present-the-national-ai-strategy",
            "policy": "ru-national-ai-strategy",
            "title": "Present the National AI Strategy by 1 July 2019",
            "description": "On 27 February 2019 President Putin declared the development of a "
            "National AI Strategy, to be presented on 1 July 2019.",
            "kind": "deliverable",
            "pledged_by": "ru-president",
            "pledged": "2019-02-27",
            "due": "2019-07-01",
            "citation_source": "euren-brief-2-2019",
            "citation_section": SHIPPED_SECTION,
            "citation_quote": STRATEGY_QUOTE,
        },
        {
            "slug": "example-digital-economy-1-6-trillion-by-2024",
            "policy": "ru-digital-economy-national-project",
            "title": 'Invest or contract RUB 1.6 trillion under "Digital Economy" up to 2024',
            "description": "A total of about EUR 22 billion, two thirds from the federal budget, "
            "to be invested or contracted up to 2024.",
            "kind": "deliverable",
            "due": "2024",
            "funding": "ru-digital-economy-np-total-1-6-trillion-to-2024",
            "citation_source": "euren-brief-2-2019",
            "citation_section": SHIPPED_SECTION,
            "citation_footnote": "10",
            "citation_quote": DIGITAL_ECONOMY_QUOTE,
        },
    )

    class Meta(DraftResource.Meta):
        model = Commitment
        fields = (
            "slug",
            "policy",
            "title",
            "description",
            "kind",
            "pledged_by",
            "pledged",
            "due",
            "metric",
            "unit",
            "baseline_value",
            "target_value",
            "funding",
        )


class FundingResource(DraftResource):
    policy = entry("policy", Policy)
    funder = entry("funder", Actor)
    recipient = entry("recipient", Actor)
    delivers_against = entry("delivers_against", Funding)
    period_start = fuzzy("period_start")
    period_end = fuzzy("period_end")

    examples = (
        {
            "slug": "example-digital-economy-280-billion-end-to-end",
            "policy": "ru-digital-economy-national-project",
            "kind": "pledged",
            "amount": "280000000000",
            "currency": "RUB",
            "qualifier": "more_than",
            "stated_amount": "3800000000",
            "stated_currency": "EUR",
            "stated_qualifier": "about",
            "period_end": "2024",
            "purpose": 'Share of the "Digital Economy" National Project funding (up to 2024) '
            "channeled to support so-called end-to-end technologies, where AI is among the top "
            "priorities.",
            "citation_source": "euren-brief-2-2019",
            "citation_section": SHIPPED_SECTION,
            "citation_footnote": "10",
            "citation_quote": DIGITAL_ECONOMY_QUOTE,
        },
    )

    class Meta(DraftResource.Meta):
        model = Funding
        fields = (
            "slug",
            "policy",
            "kind",
            "amount",
            "amount_high",
            "currency",
            "qualifier",
            "stated_amount",
            "stated_amount_high",
            "stated_currency",
            "stated_qualifier",
            "period_start",
            "period_end",
            "funder",
            "recipient",
            "purpose",
            "delivers_against",
        )


class EventResource(DraftResource):
    occurred = fuzzy("occurred")
    jurisdiction = entry("jurisdiction", Jurisdiction, key="code")
    actors = fields.Field(
        attribute="actors",
        column_name="actors",
        widget=EntriesWidget(Actor, field="slug", separator="|"),
    )
    policies = fields.Field(
        attribute="policies",
        column_name="policies",
        widget=EntriesWidget(Policy, field="slug", separator="|"),
    )
    commitments = fields.Field(
        attribute="commitments",
        column_name="commitments",
        widget=EntriesWidget(Commitment, field="slug", separator="|"),
    )

    examples = (
        {
            "slug": "example-smart-cities-competence-centre-2019-01",
            "occurred": "2019-01",
            "kind": "institution_founded",
            "title": "National Competence Centre for Smart Cities created",
            "description": "Alongside Rostelecom's Smart Cities program for 2019-2024, a National "
            "Competence Centre was created in January 2019 in partnership with Rostec and Rosatom.",
            "jurisdiction": "RU",
            "actors": "ru-smart-cities-national-competence-centre|rostelecom|rostec|rosatom",
            "policies": "rostelecom-smart-cities-program-2019-2024",
            "citation_source": "euren-brief-2-2019",
            "citation_section": SHIPPED_SECTION,
            # Verbatim: the document spells Rostelecom with a Cyrillic es (U+0441).
            "citation_quote": (
                "Rostele\u0441om has already announced its Smart Cities program for 2019-2024, "
                "with the National Competence Centre created in January 2019 in partnership with "
                "Rostec and Rosatom."
            ),
        },
        {
            "slug": "example-putin-declares-the-ai-strategy-2019-02-27",
            "occurred": "2019-02-27",
            "kind": "announcement",
            "title": "Putin declares development of the National AI Strategy",
            "description": "President Vladimir Putin declared the development of a National AI "
            "Strategy, to be presented on 1 July 2019, with additional federal stimulus for AI "
            "high-tech projects.",
            "jurisdiction": "RU",
            "actors": "ru-president",
            "policies": "ru-national-ai-strategy",
            "commitments": "ru-national-ai-strategy-presentation-2019-07-01"
            "|ru-national-ai-strategy-federal-stimulus-high-tech-projects",
            "citation_source": "euren-brief-2-2019",
            "citation_section": SHIPPED_SECTION,
            "citation_quote": STRATEGY_QUOTE,
        },
    )

    class Meta(DraftResource.Meta):
        model = Event
        fields = (
            "slug",
            "occurred",
            "kind",
            "title",
            "description",
            "jurisdiction",
            "actors",
            "policies",
            "commitments",
        )


class EstimateResource(DraftResource):
    jurisdiction = entry("jurisdiction", Jurisdiction, key="code")
    period = fuzzy("period")

    examples = (
        {
            "slug": "example-ru-ai-market-2017",
            "measure": "Russian AI market size",
            "jurisdiction": "RU",
            "value": "9500000",
            "value_high": "10500000",
            "qualifier": "range",
            "currency": "EUR",
            "period": "2017",
            "publisher": "Kingdom of the Netherlands; tadviser",
            "kind": "actual",
            "citation_source": "euren-brief-2-2019",
            "citation_section": SHIPPED_SECTION,
            "citation_footnote": "1",
            "citation_quote": "At present, Russian AI and machine learning markets are estimated "
            "to be less than 1% of the global ones \u2013 €9.5-10.5 million in 2017.[1]",
        },
        {
            "slug": "example-ru-ai-market-2021-forecast",
            "measure": "Russian AI market size",
            "jurisdiction": "RU",
            "value": "380000000",
            "qualifier": "exact",
            "currency": "EUR",
            "period": "2021",
            "publisher": "Kingdom of the Netherlands; tadviser",
            "kind": "forecast",
            "citation_source": "euren-brief-2-2019",
            "citation_section": SHIPPED_SECTION,
            "citation_footnote": "2",
            "citation_quote": "Assessments of the future Russian market size differ significantly "
            "\u2013 from €380 million in 2021 to more than €425 million in 2020.[2]",
        },
    )

    class Meta(DraftResource.Meta):
        model = Estimate
        fields = (
            "slug",
            "measure",
            "jurisdiction",
            "value",
            "value_high",
            "qualifier",
            "currency",
            "unit",
            "period",
            "publisher",
            "kind",
        )
