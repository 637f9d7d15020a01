"""What every curated model's admin shares: the workflow panel, history with compare and revert,
optimistic locking, fuzzy-date text fields and inline citations. The admin only delegates: each
button calls a function of tracker.core.workflow, which checks who may do what."""

# Django's admin and form classes take no type arguments at run time: annotations stay
# unevaluated.
from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from tracker.core import corrections, versions, workflow
from tracker.core.corrections_admin import entry_filter_value
from tracker.core.datefields import FuzzyDateFormMixin, fuzzy_form_for
from tracker.core.editorial import Curated, CuratedQuerySet, State
from tracker.core.models import Correction, Transition
from tracker.core.relations import RelationFields

if TYPE_CHECKING:
    # What the classes below extend or are mixed into, as the type checker reads them: Django's
    # classes take no type arguments at run time, and simple-history ships no types (its admin
    # is a ModelAdmin with history pages).
    from django.contrib.admin.options import InlineModelAdmin, _FieldsetSpec

    _ModelForm = forms.ModelForm[Any]
    _Inline = InlineModelAdmin[Any, Curated]
    _HistoryAdmin = admin.ModelAdmin[Curated]
else:
    _ModelForm = forms.ModelForm
    _Inline = object
    _HistoryAdmin = SimpleHistoryAdmin


def editorial_fields(model: type[Model]) -> tuple[str, ...]:
    """The model's editorial fields (workflow.EDITORIAL_FIELDS), in the model's order."""
    return tuple(
        f.name
        for f in model._meta.fields
        if f.name in workflow.EDITORIAL_FIELDS and not f.primary_key
    )


def may_edit_in_form(request: HttpRequest, entry: Curated) -> bool:
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


# The most citations (or links of one kind) an entry has in one form; the dataset's most is 9.
PARTS_PER_ENTRY = 100


class EditedWithEntry(RelationFields, _Inline):
    """An inline whose rows are part of the entry: they change only when the entry may
    (may_edit_in_form), and are saved with it as one version through workflow.entry_save."""

    # Rows a form may carry. Django builds (and draws) as many forms as the posted TOTAL_FORMS
    # says, up to absolute_max (1,000 more than max_num by default): a crafted count made one
    # request build 2,000 citation forms, seconds of a worker. Beyond it the form is refused.
    max_num = PARTS_PER_ENTRY

    def get_formset(self, request: HttpRequest, obj: Curated | None = None, **kwargs: Any) -> Any:
        return super().get_formset(request, obj, absolute_max=PARTS_PER_ENTRY, **kwargs)

    def _may_edit(self, request: HttpRequest, obj: Curated | None, allowed: bool) -> bool:
        # On the add page there is no entry yet: it will be the person's own draft.
        return allowed and (obj is None or may_edit_in_form(request, obj))

    def has_add_permission(self, request: HttpRequest, obj: Curated | None = None) -> bool:
        return self._may_edit(request, obj, super().has_add_permission(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Curated | None = None) -> bool:
        return self._may_edit(request, obj, super().has_change_permission(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Curated | None = None) -> bool:
        return self._may_edit(request, obj, super().has_delete_permission(request, obj))


class CuratedForm(FuzzyDateFormMixin, _ModelForm):
    """Carries the version the person opened, and shows a conflict with their input kept.

    The rule is workflow.require_version, which entry_save applies again under its lock."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, instance: Curated | None = None, **kwargs: Any) -> None:
        # The form writes the input into a copy: the admin's page names the entry by the object
        # it loaded, which must stay as stored when the input is refused (a funding entry's
        # name cannot even be written with a zero amount, so naming it by the input crashed).
        instance = copy.copy(instance) if instance is not None else None
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # The admin's change view runs in a transaction: the lock holds until the save.
        stored = type(self.instance).objects.select_for_update().filter(pk=self.instance.pk).first()
        if stored is None:
            return cleaned
        try:
            workflow.require_version(stored, seen_version=self.cleaned_data.get("seen_version"))
        except workflow.WorkflowError as exc:
            history = reverse(
                f"admin:{stored._meta.app_label}_{stored._meta.model_name}_history",
                args=[stored.pk],
            )
            raise ValidationError(
                format_html(
                    '{} Your changes are still in this form: <a href="{}">see what changed</a>.',
                    exc.message,
                    history,
                ),
                code="conflict",
            ) from None
        return cleaned


class TransitionInline(GenericTabularInline):
    """The entry's editorial log: transitions and comments, newest first."""

    model = Transition
    extra = 0
    can_delete = False
    fields = ("at", "verb", "by", "from_state", "to_state", "comment", "version")
    readonly_fields = fields
    verbose_name = "editorial step"
    verbose_name_plural = "editorial history (transitions and comments)"

    def has_add_permission(self, request: HttpRequest, obj: Curated | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Curated | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Curated | None = None) -> bool:
        return True  # whoever may open the entry may read its editorial log

    def get_queryset(self, request: HttpRequest) -> QuerySet[Transition]:
        return super().get_queryset(request).select_related("by")


class CuratedAdmin(RelationFields, _HistoryAdmin):
    # Every curated admin names its fields, in the order its form shows them: either as
    # `fields`, or as `groups` of them by what a researcher thinks about ("What", "When",
    # "How much"), from which `fields` is then read.
    fields: ClassVar[tuple[str, ...]]
    groups: ClassVar[tuple[tuple[str, tuple[str, ...]], ...]] = ()
    inlines = [TransitionInline]
    list_per_page = 50
    show_full_result_count = False
    change_form_template = "admin/tracker/change_form.html"
    object_history_list_template = "admin/tracker/object_history_list.html"
    actions = ["submit_selected", "publish_selected"]

    # -- forms ---------------------------------------------------------------------------

    def get_form(
        self, request: HttpRequest, obj: Curated | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Curated]]:
        kwargs.setdefault("form", fuzzy_form_for(self.model, base=CuratedForm))
        return super().get_form(request, obj, change=change, **kwargs)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "groups" in cls.__dict__:
            cls.fields = tuple(name for _, names in cls.groups for name in names)

    def get_fieldsets(self, request: HttpRequest, obj: Curated | None = None) -> _FieldsetSpec:
        groups: list[tuple[str | None, tuple[str, ...]]] = [*self.groups] or [(None, self.fields)]
        first, names = groups[0]
        groups[0] = (first, (*names, "seen_version"))  # hidden: the version the person opened
        fieldsets: _FieldsetSpec = [(label, {"fields": names}) for label, names in groups]
        editorial = {"fields": editorial_fields(self.model), "classes": ["collapse"]}
        return [*fieldsets, ("Editorial", editorial)]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Curated | None = None
    ) -> tuple[str, ...] | list[str]:
        if obj is not None and not self.has_change_permission(request, obj):
            return [*self.fields, *editorial_fields(self.model)]
        return [*editorial_fields(self.model), *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: Curated, form: Any, change: Any) -> None:
        """Nothing yet: save_related saves the entry with its citations and links, as one
        version, through the workflow."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: Any) -> None:
        by = workflow.signed_in(request.user)
        workflow.entry_save(
            form.instance,
            by=by,
            seen_version=form.cleaned_data.get("seen_version"),
            parts=lambda: super(CuratedAdmin, self).save_related(request, form, formsets, change),
        )
        correction = None if change else started_from(request)
        if correction is not None and corrections.START.offered(by, correction):
            # A new entry about a reader's correction (an assessment of the commitment it is
            # about): the correction is accepted with it.
            corrections.started(correction, form.instance, by=by)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.WorkflowError:
            # entry_save refused what the form's checks passed: something was written between
            # them. The view's transaction rolled back, nothing was saved; run the form once
            # more, so that its checks now see that write and show the reason beside what the
            # person typed, instead of a redirect that loses it.
            pass
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.WorkflowError as exc:
            # Refused again, by yet another write in between: say why; the page reloads.
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # -- permissions: contributors edit their own drafts; published entries only via a draft --

    def has_change_permission(self, request: HttpRequest, obj: Curated | None = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return may_edit_in_form(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Curated | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None
            or obj.state in (State.DRAFT, State.UNPUBLISHED)
            or obj.draft_of_id is not None
        )

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        # An entry's citations and links go with it; their own admin is read-only for everyone.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        parts = {str(inline.model._meta.verbose_name) for inline in self.inlines}
        return deleted, counts, perms_needed - parts, protected

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Curated], bool]:
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # Relations point at entries, never at pending edits. The model's queryset: curated.
            queryset = cast(CuratedQuerySet[Curated], queryset).originals()
        return queryset, distinct

    # -- the workflow panel ----------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:history_id>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name="{}_{}_revert".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        extra = extra_context or {}
        if obj is not None:
            offered = [
                step
                for step in (*workflow.TRANSITIONS, workflow.COMMENT)
                if step.offered(request.user, obj)
            ]
            extra.update(
                workflow_actions=offered,
                comment_needed_by=" or ".join(
                    step.label.lower() for step in workflow.TRANSITIONS if step.needs_comment
                ),
                publication_problems=workflow.publication_problems(obj)
                if workflow.PUBLISH in offered
                else [],
                entry=obj,
                pending_edit=obj.pending_edits.first() if obj.is_published else None,
                # What a reviewer reviews: a pending edit against the published entry, a
                # new entry as everything it sets (compare_view's default).
                under_review=obj.state in (State.DRAFT, State.IN_REVIEW),
                **_corrections_context(request, obj),
            )
        return super().change_view(request, object_id, form_url, extra)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        correction = started_from(request)
        extra = {
            **(extra_context or {}),
            "from_corrections": [correction] if correction else [],
            "source_add_url": source_add_url(),
        }
        return super().add_view(request, form_url, extra)

    def transition_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        action, comment = request.POST.get("action", ""), request.POST.get("comment", "")
        try:
            result = workflow.entry_transition(
                obj, action, by=workflow.signed_in(request.user), comment=comment
            )
        except workflow.WorkflowError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(obj))
        self.message_user(request, workflow.ACTIONS[action].done, messages.SUCCESS)
        return HttpResponseRedirect(
            self._change_url(result if hasattr(result, "draft_of_id") else obj)
        )

    def _change_url(self, obj: Curated) -> str:
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    # -- history: compare any two versions, revert through review ------------------------

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        try:
            old, new = _versions_to_compare(obj, request.GET)
        except (ValueError, type(obj).history.model.DoesNotExist):
            self.message_user(
                request, "Choose two versions of this entry to compare.", messages.WARNING
            )
            return HttpResponseRedirect(
                reverse(
                    f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk]
                )
            )
        (changes,) = versions.changes_between([(old, new)])
        context = {
            **self.admin_site.each_context(request),
            "opts": obj._meta,
            "object": obj,
            "old": old,
            "new": new,
            "old_by": versions.person(old.history_user) if old is not None else "",
            "new_by": versions.person(new.history_user),
            "against_published": old is not None and old.id != obj.pk,
            "title": f"Compare versions of {obj}",
            "changes": changes,
        }
        return TemplateResponse(request, "admin/tracker/compare.html", context)

    def set_history_delta_changes(
        self, request: HttpRequest, historical_records: Any, foreign_keys_are_objs: bool = True
    ) -> None:
        """Nothing: the history list's "what changed" column is `versions.changes_between`,
        given to the page by render_history_view (simple-history's own diff shows raw values,
        leaves out fuzzy dates, and queries for each version)."""

    def render_history_view(
        self, request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        page = context["page_obj"]
        records = list(page.object_list)
        # The version before the page's oldest is the next page's first; the first version
        # of all is compared with nothing: it shows everything it set.
        older = list(page.paginator.object_list[page.end_index() : page.end_index() + 1])
        before = [*records[1:], older[0] if older else None]
        changes = versions.changes_between(list(zip(before, records, strict=True)))
        context["versions"] = [
            (record, versions.person(record.history_user), rows)
            for record, rows in zip(records, changes, strict=True)
        ]
        return TemplateResponse(request, template, context, **kwargs)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """simple-history's own version page saves a posted form around the workflow (and
        broke on read-only forms): a version is read here by comparing it with the entry's
        latest one, and brought back only by the revert view, through review."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        version = get_object_or_404(obj.history.all(), history_id=version_id)
        latest = obj.history.first()
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_compare", args=[obj.pk])
        return HttpResponseRedirect(f"{url}?old={version.history_id}&new={latest.history_id}")

    def revert_view(self, request: HttpRequest, object_id: str, history_id: int) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not workflow.can_review(request.user, type(obj)):
            raise PermissionDenied
        version = get_object_or_404(obj.history.all(), history_id=history_id)
        if request.method == "POST":
            try:
                result = workflow.entry_revert(
                    obj,
                    to_version=version,
                    by=workflow.signed_in(request.user),
                    comment=request.POST.get("comment", ""),
                )
            except workflow.WorkflowError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return HttpResponseRedirect(self._change_url(obj))
            note = (
                " as a draft for review; the published version stays live"
                if result.pk != obj.pk
                else ""
            )
            self.message_user(
                request, f"Reverted to the version of {version.history_date:%Y-%m-%d %H:%M}{note}."
            )
            return HttpResponseRedirect(self._change_url(result))
        context = {
            **self.admin_site.each_context(request),
            "opts": obj._meta,
            "object": obj,
            "version": version,
            "title": f"Revert {obj}",
            "published": obj.is_published,
        }
        return TemplateResponse(request, "admin/tracker/revert_confirm.html", context)

    # -- bulk actions loop over the same transitions -------------------------------------

    def has_review_permission(self, request: HttpRequest) -> bool:
        return workflow.can_review(request.user, self.model)

    @admin.action(description="Submit the selected drafts for review")
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Curated]) -> None:
        self._bulk(request, queryset, workflow.SUBMIT)

    @admin.action(description="Approve and publish the selected entries", permissions=["review"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Curated]) -> None:
        self._bulk(request, queryset, workflow.PUBLISH)

    def _bulk(
        self, request: HttpRequest, queryset: QuerySet[Curated], step: workflow.Action
    ) -> None:
        done = 0
        for entry in queryset:
            try:
                step.run(entry, by=workflow.signed_in(request.user))
                done += 1
            except workflow.WorkflowError as exc:
                self.message_user(request, f"{entry}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, f"{done} {step.code}.", messages.SUCCESS)


def started_from(request: HttpRequest) -> Correction | None:
    """The reader's correction an entry's form was opened from (`?correction=<id>`), if the
    person may read it."""
    number = request.GET.get("correction", "")
    if not (number.isdigit() and corrections.may_triage(request.user)):
        return None
    return Correction.objects.filter(pk=number).first()


def source_add_url() -> str:
    """The add page of the kind of entry citations quote (a source), for a reader's address."""
    citation = apps.get_model(settings.CITATION_MODEL)
    source = citation._meta.get_field("source").related_model
    return reverse(f"admin:{source._meta.app_label}_{source._meta.model_name}_add")


def _corrections_context(request: HttpRequest, entry: Curated) -> dict[str, Any]:
    """What the entry's form says of readers' corrections: those this draft was started from,
    and how many readers sent about the entry, linked to them in the queue."""
    if not corrections.may_triage(request.user):
        return {}
    reported = entry.draft_of or entry
    queue = reverse("admin:tracker_correction_changelist")
    return {
        "from_corrections": list(Correction.objects.leading_to(entry).unpublished()),
        "source_add_url": source_add_url(),
        "reader_corrections": Correction.objects.about(reported).count(),
        "reader_corrections_url": f"{queue}?entry={entry_filter_value(reported)}",
    }


def _versions_to_compare(
    entry: Curated, query: Mapping[str, str]
) -> tuple[workflow.HistoricalRecord | None, workflow.HistoricalRecord]:
    """The versions the compare page shows: the two chosen (`old`, `new`, in either order), or
    the one chosen (by default the latest) against what a reviewer reviews it against: for a
    pending edit, the published entry it would replace (its latest version); for any other
    entry, nothing, so that every field and citation it sets shows."""
    history = entry.history.all()
    new = history.get(history_id=query["new"]) if query.get("new") else history.latest()
    if query.get("old"):
        old = history.get(history_id=query["old"])
        return (new, old) if old.history_date > new.history_date else (old, new)
    if entry.draft_of_id is not None:
        return type(entry).history.filter(id=entry.draft_of_id).latest(), new
    return None, new


def fuzzy_column(
    name: str, description: str, *, deadline: bool = False
) -> Callable[[admin.ModelAdmin[Any], Model], str]:
    """A changelist column that shows a fuzzy date as people write it ("October 2019", "by 2024")."""

    @admin.display(description=description, ordering=f"{name}_start")
    def column(self: admin.ModelAdmin[Any], obj: Model) -> str:
        value = getattr(obj, name)
        if value is None:
            return "—"
        return value.as_deadline() if deadline else str(value)

    return column
