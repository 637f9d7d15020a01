"""The REST API under /api/v1/: read every published entry, sync what changed, run transitions.

Anonymous readers get published entries only, each through the same selectors as the public
pages (policies/selectors.py), filtered by the same FilterSets (policies/filters.py). Signed-in
staff with the model's view permission also see drafts; the workflow transitions call the
same functions as the admin.
"""

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.core.files import File
from django.db.models import Prefetch, QuerySet
from django.utils.dateparse import parse_datetime
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from policies import selectors
from policies.filters import (
    ActorFilter,
    CommitmentFilter,
    EstimateFilter,
    EventFilter,
    FundingFilter,
    JurisdictionListFilter,
    PolicyFilter,
)
from policies.models import Commitment, PolicyActor
from sources.filters import CitationFilter, SourceFilter
from tracker.api import exports, files, stored
from tracker.api.rows import commitment_rows, commitment_values, represent_rows, with_citations
from tracker.api.serializers import (
    ActorSerializer,
    AssessmentSerializer,
    CitationListSerializer,
    CommitmentSerializer,
    EstimateSerializer,
    EventSerializer,
    FundingSerializer,
    JurisdictionSerializer,
    PolicySerializer,
    SourceSerializer,
)
from tracker.core import clock, freshness, workflow
from tracker.core.editorial import Curated
from tracker.core.models import PublicChange

if TYPE_CHECKING:
    # What PublicValidators is mixed into, as the type checker reads it.
    from rest_framework.views import APIView as _APIView
else:
    _APIView = object


class StablePagination(CursorPagination):
    """Cursor pages in id order: stable while entries are added, and cheap at any depth."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """What a page holds, in OpenAPI 3.1: DRF's own says `nullable`, which 3.1 no longer
        has, so strict validators refuse the `null` of a first or last page."""
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """DRF's cursor and page size, the page size with its bounds declared."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters


def parse_moment(raw: str, field: str) -> dt.datetime:
    """An ISO 8601 date or date-time (UTC when no offset is given), or a 400 naming the field."""
    invalid = ValidationError(
        {field: [f"{raw!r} is not an ISO 8601 date-time, e.g. 2024-01-31T00:00:00Z."]}
    )
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = dt.date.fromisoformat(raw)
            moment = dt.datetime(day.year, day.month, day.day)
        if moment.tzinfo is None:
            return moment.replace(tzinfo=dt.UTC)
        offset = moment.utcoffset()  # not None: the moment has a time zone
        if offset is not None and abs(offset) > dt.timedelta(hours=14):
            raise invalid
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise invalid from None


class ScopedFilterBackend(DjangoFilterBackend):
    """The FilterSets of policies/filters.py, told whether the view serves the public."""

    def get_filterset_kwargs(self, request, queryset, view):
        public = view.is_public() if hasattr(view, "is_public") else True
        return {**super().get_filterset_kwargs(request, queryset, view), "public": public}

    def filter_queryset(self, request, queryset, view):
        # With no parameter (an entry by id, a first page), a FilterSet selects every row: it
        # is not built, which spares a deep copy of its filters and the validation of its form
        # (about a fifth of a single entry's time, docs/performance.md).
        if not request.query_params:
            return queryset
        return super().filter_queryset(request, queryset, view)


class UpdatedSinceFilter(BaseFilterBackend):
    """`updated_since`: entries created or changed at or after an ISO 8601 date-time."""

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get("updated_since")
        if not raw:
            return queryset
        return queryset.filter(updated_at__gte=parse_moment(raw, "updated_since"))

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "updated_since",
                "required": False,
                "in": "query",
                "description": "Only entries created or changed at or after this ISO 8601 date-time",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


def refuse_as_of(request) -> None:
    """A 400 for an `as_of` in the request: the API serves the latest published status, and an
    `as_of` it ignored would pass today's status off as that day's (the site's policy and
    commitment pages honour it). Every read of the API calls it, the data package included."""
    if "as_of" in request.query_params:
        raise ValidationError(
            {"as_of": ["The API serves the status known today; as_of does not apply."]}
        )


class PublicValidators(_APIView):
    """To the public, a read's ETag and Last-Modified derive from the public data version (and
    the address), like every public page's: they move with a publication or a withdrawal and
    with nothing else, whichever resource it touched. ConditionalGetMiddleware then answers a
    matching conditional request with 304. Anonymous readers' reads may be kept by any cache a
    short while, anyone else's are private (`exports.with_validators`). Signed-in staff keep
    the content's own ETag."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_as_of(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        public = self.is_public() if hasattr(self, "is_public") else True
        media_type = getattr(request, "accepted_media_type", "")
        found = exports.validators(request, media_type) if public else {}
        return exports.with_validators(request, response, found)


TRANSITION_REQUEST = inline_serializer(
    "TransitionRequest",
    {
        "action": serializers.ChoiceField(choices=list(workflow.ACTIONS)),
        "comment": serializers.CharField(required=False, allow_blank=True),
    },
)
TRANSITION_RESPONSE = inline_serializer(
    "TransitionResponse",
    {
        "id": serializers.IntegerField(),
        "state": serializers.CharField(),
        "version": serializers.IntegerField(),
    },
)


class EntryViewSet(PublicValidators, viewsets.ReadOnlyModelViewSet):
    """List and detail of one kind of entry, plus its streaming exports and transitions."""

    pagination_class = StablePagination
    filter_backends = [ScopedFilterBackend, UpdatedSinceFilter]
    # A function of policies.selectors returning the public queryset; each resource names its own.
    public_entries: ClassVar[Callable[[], QuerySet[Any]]]
    related: tuple[str, ...] = ()

    force_public = False

    def is_public(self) -> bool:
        if self.force_public:
            return True
        user, opts = self.request.user, self.queryset_model()._meta
        return not (
            user.is_authenticated and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        )

    def queryset_model(self) -> type[Curated]:
        # Each resource's serializer is an EntrySerializer, whose Meta names the model.
        model: type[Curated] = self.get_serializer_class().Meta.model  # type: ignore[attr-defined]
        return model

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "public": self.is_public()}

    def get_queryset(self):
        public_view = self.is_public()
        model = self.queryset_model()
        if public_view:
            # The public selector loads optional links through the public door; joining them
            # here would bring back links to entries that are not public.
            queryset = type(self).public_entries()
            related: Sequence[str] = [name for name in self.related if name in model.public_parents]
        else:
            queryset = model.objects.originals()
            related = self.related
        if related:
            queryset = queryset.select_related(*related)
        return queryset.prefetch_related(*self.prefetches(public_view)).order_by("id")

    def prefetches(self, public_view: bool) -> list:
        return []

    def complete(self, entries: list) -> None:
        """Add what a page (or an export's chunk) of entries shows beside their columns: each
        entry's citations as `api_citations`, read as plain values in one query."""
        with_citations(self.queryset_model(), entries, public=self.is_public())

    def representations(self, queryset):
        """Every entry of `queryset` as the API represents it, for the streaming exports."""
        return exports.rows(self, queryset)

    def stored_csv(self, queryset) -> Iterator[bytes] | None:
        """The CSV export of `queryset` from rows stored for it, or None: none are."""
        return None

    def stored_export(self, extension: str, version: freshness.Version) -> File | None:
        """The public export ("csv", "jsonl") as a file built for `version` (tracker/api/files.py),
        or None: none is."""
        return None

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.complete(page)
        return page

    def get_object(self):
        entry = super().get_object()
        self.complete([entry])
        return entry

    @extend_schema(
        summary="Every matching entry as CSV (streamed, no row limit)",
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=False, url_path="csv", pagination_class=None)
    def export_csv(self, request, *args, **kwargs):
        return exports.csv_response(self, self.filter_queryset(self.get_queryset()))

    @extend_schema(
        summary="Every matching entry as JSON Lines (streamed, no row limit)",
        responses={(200, "application/jsonl"): OpenApiTypes.STR},
    )
    @action(detail=False, url_path="jsonl", pagination_class=None)
    def export_jsonl(self, request, *args, **kwargs):
        return exports.jsonl_response(self, self.filter_queryset(self.get_queryset()))

    @extend_schema(
        summary="Run an editorial transition (signed-in researchers and editors)",
        request=TRANSITION_REQUEST,
        responses={200: TRANSITION_RESPONSE},
    )
    # JSON only: one request body, declared once, which generated clients send as it says.
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        filter_backends=[],
        parser_classes=[JSONParser],
    )
    def transition(self, request, pk=None):
        model = self.queryset_model()
        if self.is_public():
            return Response(
                {"detail": "You may not see this entry."}, status=status.HTTP_403_FORBIDDEN
            )
        entry = model.objects.filter(pk=pk).first()
        if entry is None:
            return Response({"detail": "No such entry."}, status=status.HTTP_404_NOT_FOUND)
        try:
            result = workflow.entry_transition(
                entry,
                str(request.data.get("action", "")),
                by=workflow.signed_in(request.user),
                comment=str(request.data.get("comment", "")),
            )
        except workflow.WorkflowError as exc:
            return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"id": result.pk, "state": result.state, "version": result.version})


class JurisdictionViewSet(EntryViewSet):
    serializer_class = JurisdictionSerializer
    filterset_class = JurisdictionListFilter
    public_entries = selectors.jurisdictions


class ActorViewSet(EntryViewSet):
    serializer_class = ActorSerializer
    filterset_class = ActorFilter
    public_entries = selectors.actors
    related = ("jurisdiction",)


class PolicyViewSet(EntryViewSet):
    serializer_class = PolicySerializer
    filterset_class = PolicyFilter
    public_entries = selectors.policies
    related = ("jurisdiction", "parent")

    def prefetches(self, public_view):
        roles = (
            selectors.policy_roles() if public_view else PolicyActor.objects.select_related("actor")
        )
        return [Prefetch("roles", queryset=roles, to_attr="api_roles")]


class CommitmentViewSet(EntryViewSet):
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter

    # A page, an entry and an export are all read as column values, not model instances, and
    # represented by `CommitmentSerializer.represent` (tracker/api/rows.py), which reads the
    # links through the public door itself: no relation to join or prefetch. Each derives its
    # progress from the published verdicts of the entries shown, for readers and editors.
    public_entries = selectors.commitments_bare

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        rows = stored.with_stored(queryset) if self.is_public() else self.values(queryset)
        assert self.paginator is not None  # the list is paginated (pagination_class)
        page = self.paginator.paginate_queryset(rows, request, view=self)
        assert page is not None
        return self.get_paginated_response(self.represent(page, queryset))

    def retrieve(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        rows = stored.with_stored(queryset) if self.is_public() else self.values(queryset)
        row = get_object_or_404(rows, pk=self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        self.check_object_permissions(request, row)
        [entry] = self.represent([row], queryset)
        return Response(entry)

    def values(self, queryset):
        return commitment_values(self.row_serializer(), queryset)

    def represent(self, rows: Sequence[dict], queryset) -> Sequence[dict]:
        """The rows of a page: to the public, as stored (tracker/api/stored.py), each derived
        afresh whose stored row does not hold today; to staff, derived from the values."""
        serializer = self.row_serializer()

        def afresh(values) -> list[dict]:
            return represent_rows(serializer, values, self.complete)

        if not self.is_public():
            return afresh(rows)
        return stored.represented(
            rows,
            prefix=serializer.permalink_prefix(),
            today=clock.today(),
            afresh=lambda ids: afresh(self.values(queryset.filter(pk__in=ids))),
        )

    def representations(self, queryset):
        # The largest export: rows a chunk at a time, each chunk's verdicts read by the rows.
        return commitment_rows(self.row_serializer(), queryset, super().complete)

    def stored_csv(self, queryset) -> Iterator[bytes] | None:
        # The public's export, from the rows stored when each commitment last changed
        # (tracker/api/stored.py), while every one of them holds today.
        if not self.is_public() or not stored.usable(queryset, today=clock.today()):
            return None
        return stored.csv_lines(queryset, base=self.row_serializer().permalink_prefix())

    def stored_export(self, extension: str, version: freshness.Version) -> File | None:
        # The export of every public commitment, built after the last publication; a filtered
        # one is streamed.
        if self.request.query_params:
            return None
        return files.stored(files.EXPORTS[extension], version)

    def row_serializer(self) -> CommitmentSerializer:
        return cast(CommitmentSerializer, self.get_serializer())  # its serializer_class


class AssessmentViewSet(EntryViewSet):
    serializer_class = AssessmentSerializer
    public_entries = selectors.assessments
    related = ("commitment",)


class FundingViewSet(EntryViewSet):
    serializer_class = FundingSerializer
    filterset_class = FundingFilter
    public_entries = selectors.funding
    related = ("policy", "funder", "recipient", "delivers_against")

    def prefetches(self, public_view):
        # The commitments tracking each pledge: the public ones for readers; for staff the
        # entries themselves, without the pending edits that copy their link.
        trackers = selectors.commitments_bare() if public_view else Commitment.objects.originals()
        return [Prefetch("tracked_by", queryset=trackers)]


class EventViewSet(EntryViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilter
    public_entries = selectors.events
    related = ("jurisdiction",)

    def prefetches(self, public_view):
        return selectors.event_relations() if public_view else ["policies", "commitments", "actors"]


class EstimateViewSet(EntryViewSet):
    serializer_class = EstimateSerializer
    filterset_class = EstimateFilter
    public_entries = selectors.estimates
    related = ("jurisdiction",)


class SourceViewSet(EntryViewSet):
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    public_entries = selectors.sources


class CitationViewSet(PublicValidators, viewsets.ReadOnlyModelViewSet):
    """Every published quote, with the entry it supports."""

    serializer_class = CitationListSerializer
    filterset_class = CitationFilter
    pagination_class = StablePagination
    filter_backends = [ScopedFilterBackend, UpdatedSinceFilter]

    def get_queryset(self):
        return selectors.citations().order_by("id")


CHANGE = inline_serializer(
    "Change",
    {
        "kind": serializers.CharField(help_text="commitment, policy, event..."),
        "id": serializers.IntegerField(),
        "change": serializers.ChoiceField(choices=PublicChange.Change.values),
        "at": serializers.DateTimeField(),
        "version": serializers.IntegerField(help_text="The public data version this change made"),
    },
)


class ChangesViewSet(PublicValidators, viewsets.GenericViewSet):
    """What became public, changed in public or stopped being public since a moment: for
    incremental sync.

    A client keeps its copy in step by fetching `?since=` the time of its last sync: entries
    marked withdrawn are no longer public (unpublished, or hidden with a withdrawn parent) and
    should be removed; the others re-fetched. Each change carries the data version it made.
    """

    pagination_class = StablePagination
    filter_backends = []

    def get_queryset(self):
        return PublicChange.objects.select_related("content_type").order_by("id")

    @extend_schema(
        parameters=[OpenApiParameter("since", OpenApiTypes.DATETIME, required=True)],
        responses={200: CHANGE},
    )
    def list(self, request, *args, **kwargs):
        raw = request.query_params.get("since")
        if not raw:
            raise ValidationError(
                {"since": ["Give the moment of your last sync, e.g. 2024-01-31T00:00:00Z."]}
            )
        page = self.paginate_queryset(
            self.get_queryset().filter(at__gte=parse_moment(raw, "since"))
        )
        assert page is not None  # the resource is paginated (pagination_class)
        rows = [
            {
                "kind": change.content_type.model,
                "id": change.object_id,
                "change": change.change,
                "at": change.at,
                "version": change.version,
            }
            for change in page
        ]
        return self.get_paginated_response(rows)
