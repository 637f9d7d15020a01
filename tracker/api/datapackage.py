"""The whole published dataset as a Frictionless Data Package: one CSV a resource, built by
the API's own viewsets (so each column is what the API and the CSV export say), and its view."""

import io
import json
import zipfile
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view

from tracker.api import views as api
from tracker.api.exports import columns, csv_lines, unchanged, validators, with_validators
from tracker.core import clock, freshness


def resources():
    """(name, viewset class) for every resource in the package, in dependency order."""
    return [
        ("sources", api.SourceViewSet),
        ("jurisdictions", api.JurisdictionViewSet),
        ("actors", api.ActorViewSet),
        ("policies", api.PolicyViewSet),
        ("commitments", api.CommitmentViewSet),
        ("assessments", api.AssessmentViewSet),
        ("funding", api.FundingViewSet),
        ("events", api.EventViewSet),
        ("estimates", api.EstimateViewSet),
    ]


def datapackage_bytes() -> bytes:
    """The zip (one CSV a resource plus datapackage.json), cached under the public data version:
    a withdrawal or an approved edit moves the version, and the next request builds it anew."""
    version = freshness.current()
    key = f"datapackage:{freshness.etag(version, settings.SITE_URL)}"
    cached = cache.get(key)
    if cached is None:
        cached = build_datapackage(version, base_url=settings.SITE_URL)
        cache.set(key, cached, timeout=60 * 60 * 24)
    return cached


def build_datapackage(version: freshness.Version, *, base_url: str = "") -> bytes:
    """The package as of `version`. Entry links start with `base_url` (the configured site
    address), never with a request's Host: the bytes are shared by every reader."""
    last = version.changed_at
    request = _request_for(base_url)
    buffer = io.BytesIO()
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "policy-tracker",
        "title": "Policy Tracker: published dataset",
        "description": "Every published entry, each with its citations (source, locator, verbatim quote).",
        "created": (last or clock.now()).isoformat(),
        "licenses": settings.DATASET_LICENSES,
        "resources": [],
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, viewset_class in resources():
            view = viewset_class(request=request, format_kwarg=None, action="list", kwargs={})
            view.force_public = True  # the package is the public dataset, whoever asks
            fields = columns(view.get_serializer_class()())
            path = f"data/{name}.csv"
            stamp = timezone.localtime(last or clock.now()).timetuple()[:6]
            with archive.open(zipfile.ZipInfo(path, date_time=stamp), "w") as handle:
                text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
                for line in csv_lines(fields, view.representations(view.get_queryset())):
                    text.write(line)
                text.flush()
                text.detach()
            descriptor["resources"].append(
                {
                    "name": name,
                    "path": path,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {
                        "fields": [{"name": c.name, "type": c.type} for c in fields],
                        "primaryKey": "id",
                    },
                }
            )
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
    return buffer.getvalue()


def _request_for(base_url: str):
    """A request to the site at `base_url`, or none: links are then site-relative paths."""
    if not base_url:
        return None
    scheme, _, host = base_url.rstrip("/").partition("://")
    return RequestFactory().get("/", secure=scheme == "https", headers={"host": host})


@extend_schema(
    summary="The whole published dataset as a Frictionless Data Package (zip of CSVs)",
    responses={(200, "application/zip"): OpenApiTypes.BINARY},
)
@api_view(["GET", "HEAD"])
def datapackage(request):
    found = validators(request)
    if (not_modified := unchanged(request, found)) is not None:
        return not_modified
    package = datapackage_bytes()
    # HEAD: the same headers, the length of the body it would have had, and no body.
    response = HttpResponse(
        b"" if request.method == "HEAD" else package, content_type="application/zip"
    )
    response["Content-Length"] = str(len(package))
    response["Content-Disposition"] = 'attachment; filename="policy-tracker-datapackage.zip"'
    return with_validators(request, response, found)
