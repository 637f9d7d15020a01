"""The admin site, with the review queues on its index and a page of their own."""

from typing import Any, TypedDict

from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse

from tracker.core.corrections import may_triage
from tracker.core.datefields import understood
from tracker.core.editorial import Curated, State, curated_models
from tracker.core.models import Correction
from tracker.core.workflow import RequestUser, can_review

QUEUES = {
    "review": "Waiting for my review",
    "drafts": "My drafts",
    "submitted": "My entries in review",
    "changes": "Changes requested of me",
}


class Queue(TypedDict):
    label: str
    count: int
    # (the kind's verbose name, the entry, its change page)
    entries: list[tuple[str, Curated, str]]


def queue_filters(user: RequestUser, model: type[Curated]) -> dict[str, Q]:
    filters = {
        "drafts": Q(state=State.DRAFT, created_by=user, review_note=""),
        "submitted": Q(state=State.IN_REVIEW, submitted_by=user),
        "changes": Q(state=State.DRAFT, created_by=user) & ~Q(review_note=""),
    }
    if can_review(user, model):
        filters["review"] = Q(state=State.IN_REVIEW) & ~Q(submitted_by=user)
    return filters


class CorrectionCount(TypedDict):
    label: str
    count: int
    url: str


def correction_counts(user: RequestUser) -> list[CorrectionCount]:
    """Readers' corrections waiting for a curator: new ones, and accepted ones whose edit is not
    published yet; none for someone who may not triage them."""
    if not may_triage(user):
        return []
    counts = Correction.objects.aggregate(
        new=Count("pk", filter=Q(state=Correction.State.NEW)),
        waiting=Count("pk", filter=Q(state=Correction.State.ACCEPTED, published_at__isnull=True)),
    )
    queue = reverse("admin:tracker_correction_changelist")
    return [
        {"label": "New from readers", "count": counts["new"], "url": f"{queue}?state__exact=new"},
        {
            "label": "Accepted, edit not yet published",
            "count": counts["waiting"],
            "url": f"{queue}?state__exact=accepted&published=no",
        },
    ]


class TrackerAdminSite(admin.AdminSite):
    site_header = "Policy Tracker"
    site_title = "Policy Tracker admin"
    index_title = "Curation and review"
    index_template = "admin/tracker/index.html"

    def get_urls(self) -> list[URLPattern | URLResolver]:
        return [
            path("review/", self.admin_view(self.review_queue), name="review_queue"),
            path("fuzzy-date/", self.admin_view(self.fuzzy_date), name="fuzzy_date"),
            *super().get_urls(),
        ]

    def queues(self, user: RequestUser, *, entries: int) -> dict[str, Queue]:
        """{queue: {"count": n, "entries": [(kind, entry, url), ...]}} across every curated model,
        up to `entries` of each kind (the latest changed first) in each queue."""
        result: dict[str, Queue] = {
            name: {"label": label, "count": 0, "entries": []} for name, label in QUEUES.items()
        }
        for model in curated_models():
            filters = queue_filters(user, model)
            counts = model.objects.aggregate(
                **{name: Count("pk", filter=q) for name, q in filters.items()}
            )
            for name, count in counts.items():
                result[name]["count"] += count
                if entries and count:
                    url = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
                    result[name]["entries"] += [
                        (str(model._meta.verbose_name), entry, reverse(url, args=[entry.pk]))
                        for entry in model.objects.filter(filters[name]).order_by("-updated_at")[
                            :entries
                        ]
                    ]
        for queue in result.values():
            queue["entries"].sort(key=lambda row: row[1].updated_at, reverse=True)
            del queue["entries"][entries:]
        if not any(can_review(user, model) for model in curated_models()):
            result.pop("review")
        return result

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        # A curator's own work first: their drafts, what they submitted, what was asked of them;
        # then what readers sent.
        extra = {
            "queues": self.queues(request.user, entries=5),
            "corrections": correction_counts(request.user),
            **(extra_context or {}),
        }
        return super().index(request, extra)

    def fuzzy_date(self, request: HttpRequest) -> JsonResponse:
        """What a fuzzy date's text is read as (datefields.understood), for its box's preview."""
        return JsonResponse(understood(request.GET.get("value", "")[:100]))

    def review_queue(self, request: HttpRequest) -> TemplateResponse:
        context = {
            **self.each_context(request),
            "title": "Review queues",
            "queues": self.queues(request.user, entries=100),
            "corrections": correction_counts(request.user),
        }
        return TemplateResponse(request, "admin/tracker/review_queue.html", context)
