from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError

from sources.claims import claimable_fields, unknown_field
from sources.models import Citation, Source
from tracker.core.admin import CuratedAdmin, EditedWithEntry, fuzzy_column

# The inline is a table of nine columns on one line: each box as wide as what it usually holds
# (sizes as attributes, not styles, which the admin's CSP refuses; `position` keeps the admin's
# narrow number box).
NARROW = {
    "page": forms.TextInput(attrs={"size": 5}),
    "footnote": forms.TextInput(attrs={"size": 5}),
    "section": forms.TextInput(attrs={"size": 16}),
    "claim": forms.TextInput(attrs={"size": 14}),
    "quote": forms.Textarea(attrs={"rows": 3, "cols": 36}),
    "note": forms.Textarea(attrs={"rows": 2, "cols": 16}),
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


class CitationInline(EditedWithEntry, GenericTabularInline):
    """Citations edited on the record they support: the only place they are written."""

    model = Citation
    extra = 1
    fields = (
        "source",
        "page",
        "section",
        "footnote",
        "quote",
        "field",
        "claim",
        "note",
        "position",
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
        if db_field.name in NARROW:
            kwargs["widget"] = NARROW[db_field.name]
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CitedAdmin(CuratedAdmin):
    """The admin of an entry that cites sources: its citations are edited in its own form."""

    inlines = [CitationInline, *CuratedAdmin.inlines]


@admin.register(Source)
class SourceAdmin(CitedAdmin):
    list_display = ("title", "kind", "publisher", "published_display", "state")
    list_filter = ("kind", "state", "language")
    search_fields = ("title", "subtitle", "publisher", "doi", "isbn", "slug")
    prepopulated_fields = {"slug": ("title",)}
    fields = (
        "slug",
        "kind",
        "title",
        "subtitle",
        "authors",
        "publisher",
        "published",
        "url",
        "doi",
        "isbn",
        "series",
        "language",
        "rights",
        "archived_url",
        "how_to_cite",
        "document",
        "text",
        "text_sha256",
    )
    readonly_fields = ("text_sha256",)
    published_display = fuzzy_column("published", "Published")

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
