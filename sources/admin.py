from collections import defaultdict
from pathlib import PurePath
from typing import cast

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.admin import GenericStackedInline
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse

from sources.claims import claimable_fields, unknown_field
from sources.models import Citation, Source
from sources.passages import as_quoted
from sources.reading import Cited, may_read_text, reading
from tracker.core.admin import CuratedAdmin, EditedWithEntry, fuzzy_column, started_from
from tracker.core.models import Correction

# Each citation is a block, the quote first and full width (what a researcher reads and checks),
# then where it is, then what it states: every box as wide as what it usually holds, so that a
# row fits a 1,366 px screen (sizes as attributes, not styles, which the admin's CSP refuses).
WIDGETS = {
    "quote": forms.Textarea(attrs={"rows": 4, "cols": 90}),
    "page": forms.TextInput(attrs={"size": 6}),
    "footnote": forms.TextInput(attrs={"size": 6}),
    "section": forms.TextInput(attrs={"size": 24}),
    "claim": forms.TextInput(attrs={"size": 24}),
    "note": forms.Textarea(attrs={"rows": 2, "cols": 60}),
}


class NamesField(forms.CharField):
    """A list of names (a source's authors) as a researcher types it: one name per line. The
    model field's validator (ListOfNames) still checks each name."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(name) for name in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        # Lines end at a line feed only: splitlines() would also split at the control
        # characters the names' validator must see and refuse.
        lines = (value or "").replace("\r\n", "\n").split("\n")
        return [line.strip() for line in lines if line.strip()]


class StatedField(forms.ChoiceField):
    """A citation's `field`: a choice of the fields a passage may state for an entry of `model`
    (sources.claims); any other name is refused with the rule's message, naming those it may."""

    def __init__(self, model, **kwargs):
        self.model = model
        choices = [("", "—"), *claimable_fields(model).items()]
        super().__init__(choices=choices, required=False, **kwargs)

    def validate(self, value):
        if value and not self.valid_value(value):
            raise ValidationError(unknown_field(self.model, value), code="invalid_choice")
        super().validate(value)


def checked(citation: Citation) -> str:
    """What the last check of a saved citation's quote found, in words."""
    if citation.pk is None:
        return "Checked when saved"
    if citation.verified is None:
        return "No text to check against"
    if not citation.verified:
        return "Not found in the text"
    return f"Found on p. {citation.located_page}" if citation.located_page else "Found"


class CitationInline(EditedWithEntry, GenericStackedInline):
    """Citations edited on the record they support: the only place they are written."""

    model = Citation
    extra = 1
    fields = (
        "quote",
        ("source", "page", "section", "footnote"),
        ("field", "claim"),
        ("note", "position"),
        "checked",
    )
    readonly_fields = ("checked",)
    autocomplete_fields = ("source",)

    @admin.display(description="Checked against the text")
    def checked(self, citation: Citation) -> str:
        return checked(citation)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "field":
            return StatedField(
                self.parent_model, label=db_field.verbose_name, help_text=db_field.help_text
            )
        if db_field.name in WIDGETS:
            kwargs["widget"] = WIDGETS[db_field.name]
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CitedAdmin(CuratedAdmin):
    """The admin of an entry that cites sources: its citations are edited in its own form.

    Its add page takes a passage (`?cite_source=<id>&cite_quote=…`, as a source's reader
    sends it) and opens with the first citation filled in: the source, the quote, and the
    page the quote is on."""

    inlines = [CitationInline, *CuratedAdmin.inlines]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if not isinstance(inline, CitationInline) or request.method != "GET":
            return kwargs
        # On the add page, the entry is the form's new instance, not yet saved; a draft opened
        # from a reader's correction gets the reader's passage as a new citation.
        cited = cited_passage(request) if obj.pk is None else None
        if cited is None and (correction := started_from(request)) is not None:
            cited = corrected_passage(correction)
        if cited is not None:
            kwargs["initial"] = [cited]
        return kwargs


def corrected_passage(correction: Correction) -> dict | None:
    """The citation a reader's correction suggests: its quote and page, and the source whose
    address the reader gave when there is one (else the curator chooses or adds it)."""
    if not correction.quote.strip():
        return None
    source = None
    if correction.source_url:
        source = Source.objects.originals().filter(url=correction.source_url).first()
    quote = as_quoted(correction.quote)
    found = source.pages.locate(quote) if source is not None and source.pages else None
    return {
        "source": source.pk if source is not None else None,
        "quote": quote,
        "page": found.pages if found else correction.page,
    }


def cited_passage(request) -> dict | None:
    """The citation an add page's query string asks for (source, quote, page), or None."""
    source_id, quote = request.GET.get("cite_source", ""), request.GET.get("cite_quote", "")
    if not (source_id.isdigit() and quote.strip()):
        return None
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return None
    quote = as_quoted(quote)
    found = source.pages.locate(quote) if source.pages else None
    return {"source": source.pk, "quote": quote, "page": found.pages if found else ""}


@admin.register(Source)
class SourceAdmin(CitedAdmin):
    list_display = ("title", "kind", "publisher", "published_display", "state")
    list_filter = ("kind", "state", "language")
    search_fields = ("title", "subtitle", "publisher", "doi", "isbn", "slug")
    prepopulated_fields = {"slug": ("title",)}
    groups = (
        (
            "What",
            ("title", "slug", "kind", "subtitle", "authors", "publisher", "series", "language"),
        ),
        ("When", ("published",)),
        (
            "Where to find it",
            ("url", "doi", "isbn", "archived_url", "wikidata_id", "how_to_cite", "rights"),
        ),
        ("The document", ("document", "text", "text_sha256")),
    )
    readonly_fields = ("text_sha256",)
    published_display = fuzzy_column("published", "Published")
    change_form_template = "admin/sources/source/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {**(extra_context or {}), "may_read_text": may_read_text(request.user)}
        return super().change_view(request, object_id, form_url, extra)

    def get_queryset(self, request):
        # The list shows no text: up to megabytes a row, read only where a page shows it.
        queryset = super().get_queryset(request)
        match = request.resolver_match
        listing = match is not None and match.url_name in (
            "sources_source_changelist",
            "autocomplete",
        )
        return queryset.defer(*Source.unpublished_fields) if listing else queryset

    def get_urls(self):
        return [
            path(
                "<path:object_id>/text/",
                self.admin_site.admin_view(self.text_view),
                name="sources_source_text",
            ),
            path(
                "<path:object_id>/document/",
                self.admin_site.admin_view(self.document_view),
                name="sources_source_document",
            ),
            *super().get_urls(),
        ]

    def _readable(self, request, object_id) -> Source:
        """The source whose text the person asks to read, if they may (may_read_text)."""
        source = self.get_object(request, unquote(object_id))
        if not isinstance(source, Source) or not self.has_view_permission(request, source):
            raise Http404
        if not may_read_text(request.user):
            raise PermissionDenied
        return source

    def text_view(self, request, object_id):
        """The source's text to read, every passage its citations quote marked and linked to
        the entry it supports; a passage selected (or pasted) starts a new entry citing it."""
        source = self._readable(request, object_id)
        # Citations name the entry, never its pending edit, whose text is read here.
        cited = cast(Source, source.draft_of) if source.draft_of_id else source
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Read “{source}”",
            "source": source,
            "cited": cited,
            "reading": reading(source, self._cited_here(cited)),
            "citing_forms": self._citing_forms(request),
        }
        return TemplateResponse(request, "admin/sources/source/text.html", context)

    def _cited_here(self, source: Source) -> list[Cited]:
        """Every citation of `source`, drafts included, with the entry each supports: one
        query for the citations and one per kind of entry cited."""
        citations = list(source.citations_made.select_related("content_type").order_by("pk"))
        wanted: defaultdict[ContentType, set[int]] = defaultdict(set)
        for citation in citations:
            wanted[citation.content_type].add(citation.object_id)
        entries = {}
        for kind, ids in wanted.items():
            model = kind.model_class()
            if model is not None:
                for pk, found in model._default_manager.in_bulk(ids).items():
                    entries[(kind.pk, pk)] = found
        here = []
        for citation in citations:
            entry = entries.get((citation.content_type_id, citation.object_id))
            if entry is None:
                continue
            opts = entry._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
            here.append(Cited(citation, str(opts.verbose_name), str(entry), url))
        return here

    def _citing_forms(self, request) -> list[tuple[str, str]]:
        """(kind, add page) for every kind of entry that cites sources and the person may add."""
        forms_ = []
        for model, model_admin in self.admin_site._registry.items():
            if not isinstance(model_admin, CitedAdmin) or not model_admin.has_add_permission(
                request
            ):
                continue
            try:
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
            except NoReverseMatch:
                continue
            forms_.append((str(model._meta.verbose_name), url))
        return sorted(forms_)

    def document_view(self, request, object_id):
        """The document as it was uploaded, to those who may read the text."""
        source = self._readable(request, object_id)
        if not source.document:
            raise Http404
        return FileResponse(
            source.document.open("rb"),
            as_attachment=True,
            filename=PurePath(source.document.name or "document").name,
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "authors":
            return NamesField(
                label="Authors",
                required=False,
                help_text="One name per line, as the source gives them",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    """Read-only for everyone: a citation is part of its entry, so it is added, changed and
    removed only in the entry's own form (CitationInline), under the entry's
    permissions, versioned and reviewed with it."""

    list_display = ("source", "locator", "short_quote", "content_type", "object_id")
    list_select_related = ("source", "content_type")
    list_filter = ("content_type",)
    search_fields = ("quote", "section", "source__title")
    autocomplete_fields = ("source",)

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Quote")
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) <= 120 else obj.quote[:117] + "…"
