"""The whole published dataset as a Frictionless Data Package: one CSV a resource, built by
the API's own viewsets (so each column is what the API and the CSV export say), and its view."""

import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.test import RequestFactory
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.serializers import ModelSerializer

from tracker.api import files
from tracker.api import views as api
from tracker.api.exports import (
    Column,
    columns,
    csv_lines,
    unchanged,
    validators,
    with_validators,
)
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


def datapackage_bytes(version: freshness.Version | None = None) -> bytes:
    """The zip (one CSV a resource plus datapackage.json), cached under the public data version:
    a withdrawal or an approved edit moves the version, and the next request builds it anew."""
    version = version or freshness.current()
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
    request = request_for(base_url)
    buffer = io.BytesIO()
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "policy-tracker",
        "title": "Policy Tracker: published dataset",
        "description": (
            "Every published entry, each with its citations (source, locator, verbatim quote). "
            "The licence is the curation's: the passages quoted stay under their sources' own "
            "rights (the `rights` column of sources.csv)."
        ),
        "created": (last or clock.now()).isoformat(),
        "licenses": settings.DATASET_LICENSES,
        "resources": [],
    }
    stamp = timezone.localtime(last or clock.now()).timetuple()[:6]
    resource_of = {viewset.serializer_class.Meta.model: name for name, viewset in resources()}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, viewset_class in resources():
            view = viewset_class(request=request, format_kwarg=None, action="list", kwargs={})
            view.force_public = True  # the package is the public dataset, whoever asks
            serializer = view.get_serializer_class()()
            fields = columns(serializer)
            path = f"data/{name}.csv"
            rows = view.representations(view.get_queryset())
            if name == "sources":
                rows = _noting_sources(rows, descriptor)
            with archive.open(_member(path, stamp), "w") as handle:
                text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
                for line in csv_lines(fields, rows):
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
                        "fields": [_field(c) for c in fields],
                        "primaryKey": "id",
                        "foreignKeys": _foreign_keys(serializer, fields, name, resource_of),
                    },
                }
            )
        described = json.dumps(descriptor, indent=2, ensure_ascii=False)
        archive.writestr(_member("datapackage.json", stamp), described)
    return buffer.getvalue()


def _member(path: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    """A file of the zip: deflated (a ZipInfo of our own is otherwise stored as it is) and
    readable by all once unzipped (0644; a ZipInfo's mode is otherwise none, which unzip reads
    as 0600)."""
    member = zipfile.ZipInfo(path, date_time=stamp)  # type: ignore[arg-type]
    member.compress_type = zipfile.ZIP_DEFLATED
    member.external_attr = 0o644 << 16
    return member


def _field(column: Column) -> dict[str, Any]:
    """A Table Schema field: its name and type, what it holds, its values when it is a choice
    and its format when it is an address."""
    field: dict[str, Any] = {"name": column.name, "type": column.type}
    if column.description:
        field["description"] = column.description
    if column.format:
        field["format"] = column.format
    if column.enum:
        field["constraints"] = {"enum": list(column.enum)}
    return field


def _foreign_keys(
    serializer: ModelSerializer,
    fields: list[Column],
    name: str,
    resource_of: dict[type[Model], str],
) -> list[dict[str, Any]]:
    """Each `<relation>_id` column as a reference to the `id` of the resource of the related
    model ("" for the resource itself, as Table Schema writes it). A relation to an entry that
    is not public is empty (its reference is left out), so every reference resolves."""
    model: type[Model] = serializer.Meta.model
    keys = []
    for column in fields:
        if len(column.path) != 2 or column.path[1] != "id":
            continue
        try:
            related = model._meta.get_field(column.path[0]).related_model
        except FieldDoesNotExist:
            continue
        if related in resource_of:
            target = "" if resource_of[related] == name else resource_of[related]
            keys.append({"fields": column.name, "reference": {"resource": target, "fields": "id"}})
    return keys


def _noting_sources(rows: Iterable[dict], descriptor: dict[str, Any]) -> Iterator[dict]:
    """`rows`, each source also named in the package's `sources` (the documents it is built
    from) by its title and its public page."""
    descriptor["sources"] = []
    for row in rows:
        descriptor["sources"].append({"title": row["title"], "path": row["url"]})
        yield row


def request_for(base_url: str):
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
    api.refuse_as_of(request)
    version = freshness.current()
    found = validators(request, version=version)
    if (not_modified := unchanged(request, found)) is not None:
        return not_modified
    # The file built after the last publication (tracker/api/files.py), else built here.
    if (stored := files.stored(files.DATAPACKAGE, version)) is not None:
        response: HttpResponseBase = FileResponse(
            stored, content_type="application/zip", as_attachment=True, filename=files.DATAPACKAGE
        )
        return with_validators(request, response, found)
    package = datapackage_bytes(version)
    # HEAD: the same headers, the length of the body it would have had, and no body.
    response = HttpResponse(
        b"" if request.method == "HEAD" else package, content_type="application/zip"
    )
    response["Content-Length"] = str(len(package))
    response["Content-Disposition"] = f'attachment; filename="{files.DATAPACKAGE}"'
    return with_validators(request, response, found)
