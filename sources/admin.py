from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from sources.models import Citation, Source
from tracker.core.admin import CuratedAdmin, EditedWithEntry, fuzzy_column


class CitationInline(EditedWithEntry, GenericTabularInline):
    """Citations edited on the record they support: the only place they are written."""

    model = Citation
    extra = 1
    fields = ("source", "page", "section", "footnote", "quote", "note", "position")
    autocomplete_fields = ("source",)


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
    )
    published_display = fuzzy_column("published", "Published")


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
