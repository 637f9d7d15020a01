"""Readers' corrections in the admin: the queue (by state, kind of entry, entry and age), and on
each correction the steps of tracker.core.corrections offered to whoever may take them. Starting
an edit opens the entry's pending edit, or a new entry about it, with the reader's quote in a new
citation; it then goes through review as any change does."""

# Django's admin classes take no type arguments at run time: annotations stay unevaluated.
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from tracker.core import clock, corrections, workflow
from tracker.core.editorial import Curated, curated_models, public_children
from tracker.core.models import Correction

if TYPE_CHECKING:
    _CorrectionAdmin = admin.ModelAdmin[Correction]
else:
    _CorrectionAdmin = admin.ModelAdmin

DECIDED = ("state", "decided_by", "decided_at", "reason", "duplicate_of", "edit_link")


def admin_url(entry: Model, view: str = "change") -> str:
    opts = entry._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[entry.pk])


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"
    BANDS = {
        "week": ("This week", 0, 7),
        "month": ("1 to 4 weeks", 7, 28),
        "older": ("Older", 28, None),
    }

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(key, label) for key, (label, _, _) in self.BANDS.items()]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Correction]
    ) -> QuerySet[Correction]:
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        _, newest, oldest = band
        now = clock.now()
        queryset = queryset.filter(submitted_at__lte=now - dt.timedelta(days=newest))
        if oldest is not None:
            queryset = queryset.filter(submitted_at__gt=now - dt.timedelta(days=oldest))
        return queryset


class PublishedFilter(admin.SimpleListFilter):
    title = "edit published"
    parameter_name = "published"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Yes"), ("no", "Not yet")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Correction]
    ) -> QuerySet[Correction]:
        if self.value() in ("yes", "no"):
            return queryset.filter(published_at__isnull=self.value() == "no")
        return queryset


class KindFilter(admin.SimpleListFilter):
    """The kind of entry a correction is about: curated kinds only."""

    title = "kind of entry"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        kinds = ContentType.objects.get_for_models(*curated_models())
        return sorted(
            (
                (str(kind.pk), str(model._meta.verbose_name).capitalize())
                for model, kind in kinds.items()
            ),
            key=lambda pair: pair[1],
        )

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Correction]
    ) -> QuerySet[Correction]:
        value = self.value() or ""
        return queryset.filter(content_type_id=int(value)) if value.isdigit() else queryset


class EntryFilter(admin.SimpleListFilter):
    """One entry's corrections (`?entry=<kind id>-<entry id>`, as the entry's page links them)."""

    title = "entry"
    parameter_name = "entry"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        value = self.value()
        return [(value, "This entry")] if value else []

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Correction]
    ) -> QuerySet[Correction]:
        kind, _, pk = (self.value() or "").partition("-")
        if kind.isdigit() and pk.isdigit():
            return queryset.filter(content_type_id=int(kind), object_id=int(pk))
        return queryset


def entry_filter_value(entry: Model) -> str:
    return f"{ContentType.objects.get_for_model(entry).pk}-{entry.pk}"


@admin.register(Correction)
class CorrectionAdmin(_CorrectionAdmin):
    list_display = ("number", "entry_link", "short_message", "state", "submitted_at", "edit_link")
    list_filter = (
        "state",
        PublishedFilter,
        KindFilter,
        AgeFilter,
        EntryFilter,
    )
    list_select_related = ("content_type", "edit_type")
    # The reporter's email is not searched: a contributor could find out who wrote.
    search_fields = ("message", "source_url", "quote")
    date_hierarchy = "submitted_at"
    list_per_page = 50
    change_form_template = "admin/tracker/correction/change_form.html"
    actions = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Correction]:
        # The entry and the edit of every row listed: a query a kind, not one a row.
        return super().get_queryset(request).prefetch_related("entry", "edit")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # readers send corrections, through the public form

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return corrections.may_triage(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Nothing is edited in the form: every change is a step, offered on the page.
        return False

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # What the reader sent is at the top of the page (the template); below, what became of
        # it, and the reporter's address and the replies to it, for editors only.
        reporter = ["email", "replied_at", "reply"] if corrections.may_decide(request.user) else []
        return [*DECIDED, "public_note", "published_at", *reporter]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return self.get_fields(request, obj)

    # -- columns ---------------------------------------------------------------------------

    @admin.display(description="#", ordering="pk")
    def number(self, correction: Correction) -> str:
        return f"#{correction.pk}"

    @admin.display(description="About")
    def entry_link(self, correction: Correction) -> str:
        entry = corrections.entry_of(correction)
        if entry is None:
            return "an entry since deleted"
        kind = str(entry._meta.verbose_name)
        return format_html('{}: <a href="{}">{}</a>', kind.capitalize(), admin_url(entry), entry)

    @admin.display(description="What is wrong or new")
    def short_message(self, correction: Correction) -> str:
        return Truncator(correction.message).chars(120)

    @admin.display(description="Edit started from it")
    def edit_link(self, correction: Correction) -> str:
        edit = corrections.edit_of(correction)
        if edit is None:
            return "—" if correction.edit_id is None else "a draft since deleted"
        published = (
            f", published {correction.published_at:%Y-%m-%d}" if correction.published_at else ""
        )
        return format_html(
            '<a href="{}">{} #{}</a> ({}{})',
            admin_url(edit),
            str(edit._meta.verbose_name).capitalize(),
            edit.pk,
            edit.get_state_display().lower(),
            published,
        )

    @admin.display(description="Document")
    def document_link(self, correction: Correction) -> str:
        if not correction.document:
            return "—"
        url = reverse("admin:tracker_correction_document", args=[correction.pk])
        return format_html('<a href="{}">Download the document the reader sent</a>', url)

    # -- the steps -------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/step/",
                self.admin_site.admin_view(self.step_view),
                name="tracker_correction_step",
            ),
            path(
                "<path:object_id>/document/",
                self.admin_site.admin_view(self.document_view),
                name="tracker_correction_document",
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
        correction = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if correction is not None:
            entry = corrections.entry_of(correction)
            extra.update(
                correction=correction,
                document_link=self.document_link(correction),
                entry=entry,
                entry_kind=str(entry._meta.verbose_name) if entry else "",
                entry_url=admin_url(entry) if entry else "",
                steps={
                    name: step.offered(request.user, correction)
                    for name, step in corrections.STEPS.items()
                },
                new_kinds=self._new_kinds(request, entry) if entry is not None else [],
                may_note=correction.published_at is None
                and correction.state in (Correction.State.NEW, Correction.State.ACCEPTED),
                may_reply=corrections.may_decide(request.user) and bool(correction.email),
                reply_subject=f"Your correction of “{entry}”" if entry else "Your correction",
            )
        return super().change_view(request, object_id, form_url, extra)

    def _new_kinds(self, request: HttpRequest, entry: Curated) -> list[tuple[str, str]]:
        """(label, value) for each kind of entry that belongs to `entry` (an assessment of a
        commitment, a commitment of a policy) and that the person may add."""
        kinds = []
        for child, name in public_children(type(entry)):
            child_admin = self.admin_site._registry.get(child)
            if child_admin is not None and child_admin.has_add_permission(request):
                kinds.append((str(child._meta.verbose_name), f"{child._meta.label_lower}:{name}"))
        return sorted(kinds)

    def step_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            raise Http404
        correction = self.get_object(request, unquote(object_id))
        if correction is None:
            raise Http404
        by = workflow.signed_in(request.user)
        change_url = admin_url(correction)
        try:
            target = self._take_step(request, correction, by)
        except workflow.WorkflowError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(change_url)
        return HttpResponseRedirect(target or change_url)

    def _take_step(self, request: HttpRequest, correction: Correction, by: Any) -> str | None:
        """Take the step the form asks for; where to go next (None: back to the correction)."""
        post = request.POST
        step, note = post.get("step", ""), post.get("note", "")
        if step == "start":
            draft = corrections.start_edit(correction, by=by, note=note)
            self.message_user(request, "Correction accepted: edit the draft, then submit it.")
            return f"{admin_url(draft)}?correction={correction.pk}"
        if step == "new":
            return self._plan_new_entry(request, correction, by)
        if step == "decline":
            corrections.decline(correction, by=by, reason=post.get("reason", ""))
        elif step == "duplicate":
            corrections.mark_duplicate(
                correction,
                by=by,
                of=_other(post.get("duplicate_of", "")),
                reason=post.get("reason", ""),
            )
        elif step == "reopen":
            corrections.reopen(correction, by=by)
        elif step == "note":
            corrections.set_note(correction, by=by, note=note)
        elif step == "reply":
            corrections.reply(
                correction, by=by, subject=post.get("subject", ""), message=post.get("message", "")
            )
        else:
            raise workflow.WorkflowError("Choose one of the steps offered on the page.")
        self.message_user(request, f"Correction #{correction.pk}: done.", messages.SUCCESS)
        return None

    def _plan_new_entry(self, request: HttpRequest, correction: Correction, by: Any) -> str:
        """The add page of a new entry about the correction's entry, its parent filled in; the
        correction is accepted when that entry is saved (CuratedAdmin.save_related)."""
        entry = corrections.entry_of(correction)
        chosen = request.POST.get("kind", "")
        if entry is None or chosen not in {value for _, value in self._new_kinds(request, entry)}:
            raise workflow.WorkflowError("Choose the kind of entry to start.")
        if not corrections.START.offered(by, correction):
            raise PermissionDenied
        correction = corrections.set_note(correction, by=by, note=request.POST.get("note", ""))
        if not correction.public_note:
            raise workflow.WorkflowError(
                "Write the one line the entry's page will show once the change is published."
            )
        label, _, field = chosen.partition(":")
        app_label, model_name = label.split(".")
        add = reverse(f"admin:{app_label}_{model_name}_add")
        return f"{add}?{urlencode({field: entry.pk, 'correction': correction.pk})}"

    def document_view(self, request: HttpRequest, object_id: str) -> FileResponse:
        """The document a reader sent, to curators only, as a download (never shown inline: it
        came from anybody)."""
        correction = self.get_object(request, unquote(object_id))
        if correction is None or not correction.document:
            raise Http404
        return FileResponse(correction.document.open("rb"), as_attachment=True)


def _other(number: str) -> Correction | None:
    number = number.strip().lstrip("#")
    if not number:
        return None
    found = Correction.objects.filter(pk=number).first() if number.isdigit() else None
    if found is None:
        raise workflow.WorkflowError(f"There is no correction #{number}.")
    return found
