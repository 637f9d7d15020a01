"""Bulk import of commitments, funding, events and estimates from CSV or XLSX (django-import-export).

The admin shows a dry run first, with every row's outcome and every error by row and column,
then a confirm. The import runs in one transaction: a file with any invalid row imports
nothing. Each row is saved through workflow.entry_save, which alone sets state, version and
owner: rows land as drafts owned by the importer, and an existing entry is updated only when
it is a draft the importer may edit. Each row may carry one citation in the citation_*
columns, added with the row's version unless the entry already has the same passage.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from import_export import fields, resources, widgets
from import_export.forms import ImportForm

from policies.models import Actor, Commitment, Estimate, Event, Funding, Jurisdiction, Policy
from sources.models import Citation, Source
from tracker import workflow
from tracker.dates import FuzzyDate

CITATION_COLUMNS = (
    "citation_source",
    "citation_page",
    "citation_section",
    "citation_footnote",
    "citation_quote",
)


class SizedImportForm(ImportForm):
    """The import form, refusing a file over IMPORT_MAX_FILE_SIZE before it is parsed.

    Django's upload limits do not cover files (FILE_UPLOAD_MAX_MEMORY_SIZE only decides when an
    upload spills to disk), so the size is checked here, from the upload's own count of bytes.
    """

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_FILE_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; imports take at most "
                f"{filesizeformat(limit)}. Split it into smaller files."
            )
        return upload


class FuzzyDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        return FuzzyDate.parse(str(value))

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class EntryWidget(widgets.ForeignKeyWidget):
    """A relation by natural key, to the entry itself, never to a pending edit of it."""

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.originals()

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                f"No {self.model._meta.verbose_name} has the {self.field} {value!r}."
            ) from None


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


class DraftResource(resources.ModelResource):
    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user")
        missing = {"slug"} - set(dataset.headers or [])
        if missing:
            raise ValidationError(f"The file needs a column named {', '.join(sorted(missing))}.")

    def get_queryset(self):
        return self._meta.model.objects.originals()

    def before_import_row(self, row, **kwargs):
        quote = (row.get("citation_quote") or "").strip()
        if not quote:
            return
        if not Source.objects.originals().filter(slug=row.get("citation_source") or "").exists():
            raise ValidationError(
                f"citation_source: no source has the slug {row.get('citation_source')!r}."
            )
        if not any(row.get(c) for c in ("citation_page", "citation_section", "citation_footnote")):
            raise ValidationError(
                "A citation needs a locator: citation_page, citation_section or citation_footnote."
            )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.pk is not None and not workflow.can_edit(self.user, instance):
            errors["slug"] = [
                f"{instance.slug!r} exists and is {instance.get_state_display().lower()}; "
                "only drafts you may edit can be updated by an import."
            ]
        super().validate_instance(instance, errors, validate_unique)

    def save_instance(self, instance, is_create, row, **kwargs):
        # The workflow saves the row and, in the same version, its links and citation.
        workflow.entry_save(
            instance,
            by=self.user,
            seen_version=None if is_create else instance.version,
            reason="imported",
            parts=lambda: self._save_parts(instance, row, **kwargs),
        )

    def save_m2m(self, instance, row, **kwargs):
        """Done by save_instance, inside the entry's save (see _save_parts)."""

    def _save_parts(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        quote = (row.get("citation_quote") or "").strip()
        if not quote:
            return
        passage = {
            "source": Source.objects.originals().get(slug=row["citation_source"]),
            "quote": quote,
            "page": row.get("citation_page") or "",
            "section": row.get("citation_section") or "",
            "footnote": row.get("citation_footnote") or "",
        }
        # Importing the same file again must not cite the same passage twice.
        if not instance.citations.filter(**passage).exists():
            Citation.objects.create(record=instance, **passage)

    class Meta:
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True


class CommitmentResource(DraftResource):
    policy = entry("policy", Policy)
    pledged_by = entry("pledged_by", Actor)
    pledged = fuzzy("pledged")
    due = fuzzy("due")

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
        )


class FundingResource(DraftResource):
    policy = entry("policy", Policy)
    funder = entry("funder", Actor)
    recipient = entry("recipient", Actor)
    delivers_against = entry("delivers_against", Funding)
    period_start = fuzzy("period_start")
    period_end = fuzzy("period_end")

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
