"""What every curated model's admin shares: fuzzy-date text fields, editorial fields, citations."""

from django.contrib import admin

from sources.inlines import CitationInline
from tracker.datefields import fuzzy_form_for

EDITORIAL_FIELDS = (
    "state",
    "version",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
    "published_at",
)


class CuratedAdmin(admin.ModelAdmin):
    inlines = [CitationInline]
    readonly_fields = EDITORIAL_FIELDS
    list_per_page = 50
    show_full_result_count = False

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", fuzzy_form_for(self.model))
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": self.fields}),
            ("Editorial", {"fields": EDITORIAL_FIELDS, "classes": ["collapse"]}),
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


def fuzzy_column(name: str, description: str, *, deadline: bool = False):
    """A changelist column that shows a fuzzy date as people write it ("October 2019", "by 2024")."""

    @admin.display(description=description, ordering=f"{name}_start")
    def column(self, obj):
        value = getattr(obj, name)
        if value is None:
            return "—"
        return value.as_deadline() if deadline else str(value)

    return column
