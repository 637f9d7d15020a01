from django.contrib.contenttypes.admin import GenericTabularInline

from sources.models import Citation


class CitationInline(GenericTabularInline):
    """Citations edited on the record they support."""

    model = Citation
    extra = 1
    fields = ("source", "page", "section", "footnote", "quote", "note", "position")
    autocomplete_fields = ("source",)
