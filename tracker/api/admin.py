"""The admin's "Background work": every run of the background tasks (tracker/api/tasks.py),
how far it got and how it ended; editors start the re-verification of quotes, the rebuild of
the read model and the public files from it. Contributors do not see it."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from tracker.api import tasks
from tracker.api.models import BackgroundJob

RUN = "api.run_backgroundjob"


def may_run(user) -> bool:
    """May `user` start background work (editors)?"""
    return user.is_active and user.has_perm(RUN)


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    change_list_template = "admin/api/backgroundjob/change_list.html"
    list_display = (
        "kind",
        "status",
        "progress",
        "requested_by",
        "enqueued_at",
        "started_at",
        "finished_at",
    )
    list_filter = ("kind", "status")
    list_select_related = ("requested_by",)
    fields = readonly_fields = (
        "kind",
        "status",
        "progress",
        "version",
        "requested_by",
        "enqueued_at",
        "started_at",
        "finished_at",
        "outcome",
        "error",
        "task_id",
    )

    # Runs are written by the tasks alone: nobody adds, edits or deletes one here.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="progress")
    def progress(self, job: BackgroundJob) -> str:
        return job.progress

    def get_urls(self) -> list[URLPattern]:
        start = self.admin_site.admin_view(require_POST(self.start))
        return [path("start/", start, name="api_backgroundjob_start"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra = {
            "may_run": may_run(request.user),
            "kinds": BackgroundJob.Kind.choices,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def start(self, request: HttpRequest) -> HttpResponseBase:
        """Start the background work the form names, for an editor; back to the list."""
        if not may_run(request.user):
            raise PermissionDenied
        kind = request.POST.get("kind", "")
        back = HttpResponseRedirect(reverse("admin:api_backgroundjob_changelist"))
        if kind not in BackgroundJob.Kind.values:
            self.message_user(
                request, "Choose one of the kinds of background work listed.", messages.ERROR
            )
            return back
        job = tasks.start(kind, by=request.user)
        job.refresh_from_db()
        self.message_user(request, f"{job.get_kind_display()}: {job.get_status_display().lower()}.")
        return back
