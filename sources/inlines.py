from django.contrib.contenttypes.admin import GenericTabularInline

from sources.models import Citation
from tracker.core import workflow
from tracker.core.relations import RelationFields


def may_edit_in_form(request, entry) -> bool:
    """May the person change `entry` in this request's change form (its fields and its rows)?

    When they may edit it now (workflow.can_edit); and on the POST of a form they opened while
    they could, when someone has since published or submitted it. That save is refused all the
    same, as a conflict (workflow.require_version, in the form and again in entry_save), but
    the form then comes back with what they typed and why, not as a bare 403.
    """
    if workflow.can_edit(request.user, entry):
        return True
    return request.method == "POST" and workflow.could_edit_at(
        request.user, entry, request.POST.get("seen_version")
    )


class EditedWithEntry(RelationFields):
    """An inline whose rows are part of the entry: they change only when the entry may
    (may_edit_in_form), and are saved with it as one version through workflow.entry_save."""

    def _may_edit(self, request, obj, allowed: bool) -> bool:
        # On the add page there is no entry yet: it will be the person's own draft.
        return allowed and (obj is None or may_edit_in_form(request, obj))

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
