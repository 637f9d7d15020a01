"""The admin site, with the review queues on its index and a page of their own."""

from django.apps import apps
from django.contrib import admin
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import path, reverse

from tracker.core.editorial import State
from tracker.core.roles import curated_kinds
from tracker.core.workflow import can_review

QUEUES = {
    "review": "Waiting for my review",
    "drafts": "My drafts",
    "changes": "Changes requested of me",
}


def queue_filters(user, model) -> dict[str, Q]:
    filters = {
        "drafts": Q(state=State.DRAFT, created_by=user, review_note=""),
        "changes": Q(state=State.DRAFT, created_by=user) & ~Q(review_note=""),
    }
    if can_review(user, model):
        filters["review"] = Q(state=State.IN_REVIEW) & ~Q(submitted_by=user)
    return filters


class TrackerAdminSite(admin.AdminSite):
    site_header = "Policy Tracker"
    site_title = "Policy Tracker admin"
    index_title = "Curation and review"
    index_template = "admin/tracker/index.html"

    def get_urls(self):
        return [
            path("review/", self.admin_view(self.review_queue), name="review_queue"),
            *super().get_urls(),
        ]

    def queues(self, user, *, with_entries: bool):
        """{queue: {"count": n, "entries": [(model, entry), ...]}} across every curated model."""
        result = {
            name: {"label": label, "count": 0, "entries": []} for name, label in QUEUES.items()
        }
        for app_label, model_name in curated_kinds():
            model = apps.get_model(app_label, model_name)
            filters = queue_filters(user, model)
            counts = model.objects.aggregate(
                **{name: Count("pk", filter=q) for name, q in filters.items()}
            )
            for name, count in counts.items():
                result[name]["count"] += count
                if with_entries and count:
                    url = f"admin:{app_label}_{model_name}_change"
                    result[name]["entries"] += [
                        (model._meta.verbose_name, entry, reverse(url, args=[entry.pk]))
                        for entry in model.objects.filter(filters[name]).order_by("-updated_at")[
                            :100
                        ]
                    ]
        if not any(can_review(user, apps.get_model(a, m)) for a, m in curated_kinds()):
            result.pop("review")
        return result

    def index(self, request, extra_context=None):
        extra = {"queues": self.queues(request.user, with_entries=False), **(extra_context or {})}
        return super().index(request, extra)

    def review_queue(self, request):
        context = {
            **self.each_context(request),
            "title": "Review queues",
            "queues": self.queues(request.user, with_entries=True),
        }
        return TemplateResponse(request, "admin/tracker/review_queue.html", context)
