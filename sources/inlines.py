from django.contrib.contenttypes.admin import GenericTabularInline

from sources.models import Citation
from tracker import workflow
from tracker.relations import RelationFields


class EditedWithEntry(RelationFields):
    """An inline whose rows are part of the entry: they change only when the entry may
    (workflow.can_edit), and are saved with it as one version through workflow.entry_save."""

    def _may_edit(self, request, obj, allowed: bool) -> bool:
        # On the add page there is no entry yet: it will be the person's own draft.
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request, obj, super().has_add_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj, super().has_delete_permission(request, obj))


class CitationInline(EditedWithEntry, GenericTabularInline):
    """Citations edited on the record they support: the only place they are written."""

    model = Citation
    extra = 1
    fields = ("source", "page", "section", "footnote", "quote", "note", "position")
    autocomplete_fields = ("source",)
