"""Bulk exports: streaming CSV and JSON Lines of any API list, and the whole-dataset Data Package.

Rows are the API's own representation, flattened (`due.start` becomes `due_start`), so a CSV
column means what the JSON field means. Rows stream from the database in chunks: memory stays
flat however many rows there are. Text that a spreadsheet would run as a formula is prefixed
with an apostrophe.
"""

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator

from django.core.cache import cache
from django.db.models import Max
from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from tracker.serializers import FuzzyDateField, FuzzyDateSchema, MoneyField, MoneySchema

CHUNK = 1000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def neutralise(value: str) -> str:
    """Defuse spreadsheet formulas ("=HYPERLINK(...)"); plain negative numbers stay numbers."""
    if value.startswith(FORMULA_START) and not NUMBER.match(value):
        return "'" + value
    return value


def flatten(data, prefix: str = "") -> dict:
    """{"due": {"start": ...}} -> {"due_start": ...}; lists become JSON text."""
    flat = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list):
            flat[name] = json.dumps(value, cls=JSONEncoder, ensure_ascii=False)
        else:
            flat[name] = value
    return flat


def columns(serializer: serializers.Serializer, prefix: str = "") -> list[tuple[str, str]]:
    """The flat columns a serializer's rows have, with Table Schema types, in order."""
    result = []
    for name, field in serializer.fields.items():
        column = f"{prefix}{name}"
        nested = {FuzzyDateField: FuzzyDateSchema(), MoneyField: MoneySchema()}.get(
            type(field), field
        )
        if isinstance(nested, serializers.ListSerializer | serializers.ManyRelatedField):
            result.append((column, "array"))
        elif isinstance(nested, serializers.Serializer):
            result.extend(columns(nested, f"{column}_"))
        else:
            result.append((column, table_type(nested)))
    return result


def table_type(field) -> str:
    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, serializers.IntegerField):
        return "integer"
    if isinstance(field, serializers.DecimalField | serializers.FloatField):
        return "number"
    if isinstance(field, serializers.DateTimeField):
        return "datetime"
    if isinstance(field, serializers.DateField):
        return "date"
    if isinstance(field, serializers.JSONField):
        return "array"
    return "string"


def rows(serializer_class, queryset, context) -> Iterator[dict]:
    for entry in queryset.iterator(chunk_size=CHUNK):
        yield serializer_class(entry, context=context).data


def csv_lines(names: list[str], records: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(names)
    yield take()
    for record in records:
        flat = flatten(record)
        writer.writerow([_cell(flat.get(name)) for name in names])
        yield take()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(str(value))


def _filename(view, extension: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d")
    return f"{view.basename}-{stamp}.{extension}"


def csv_response(view, queryset) -> StreamingHttpResponse:
    serializer_class = view.get_serializer_class()
    names = [name for name, _ in columns(serializer_class())]
    response = StreamingHttpResponse(
        csv_lines(names, rows(serializer_class, queryset, view.get_serializer_context())),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(view, "csv")}"'
    return response


def jsonl_response(view, queryset) -> StreamingHttpResponse:
    serializer_class = view.get_serializer_class()
    renderer = JSONRenderer()
    lines = (
        renderer.render(record).decode() + "\n"
        for record in rows(serializer_class, queryset, view.get_serializer_context())
    )
    response = StreamingHttpResponse(lines, content_type="application/jsonl; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(view, "jsonl")}"'
    return response


# -- the whole dataset as a Frictionless Data Package ------------------------------------


def resources():
    """(name, viewset class) for every resource in the package, in dependency order."""
    from tracker import api

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


def dataset_last_modified():
    """When the published dataset last changed: the newest publication or edit of any entry."""
    newest = None
    for _, viewset in resources():
        model = viewset.serializer_class.Meta.model
        moment = model.objects.published().aggregate(last=Max("updated_at"))["last"]
        if moment and (newest is None or moment > newest):
            newest = moment
    return newest


def datapackage_bytes(request) -> bytes:
    """The zip (one CSV a resource plus datapackage.json), cached until the dataset changes."""
    last = dataset_last_modified()
    key = f"datapackage:{last.isoformat() if last else 'empty'}"
    cached = cache.get(key)
    if cached is None:
        cached = build_datapackage(request, last)
        cache.set(key, cached, timeout=60 * 60 * 24)
    return cached


def build_datapackage(request, last) -> bytes:
    buffer = io.BytesIO()
    descriptor = {
        "profile": "tabular-data-package",
        "name": "policy-tracker",
        "title": "Policy Tracker: published dataset",
        "description": "Every published entry, each with its citations (source, locator, verbatim quote).",
        "created": (last or timezone.now()).isoformat(),
        "licenses": [{"name": "other-at", "title": "See each source's rights note"}],
        "resources": [],
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, viewset_class in resources():
            view = viewset_class(request=request, format_kwarg=None, action="list", kwargs={})
            view.force_public = True  # the package is the public dataset, whoever asks
            serializer_class = view.get_serializer_class()
            fields = columns(serializer_class())
            path = f"data/{name}.csv"
            stamp = timezone.localtime(last or timezone.now()).timetuple()[:6]
            with archive.open(zipfile.ZipInfo(path, date_time=stamp), "w") as handle:
                text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
                for line in csv_lines(
                    [n for n, _ in fields],
                    rows(serializer_class, view.get_queryset(), view.get_serializer_context()),
                ):
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
                        "fields": [{"name": n, "type": t} for n, t in fields],
                        "primaryKey": "id",
                    },
                }
            )
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
    return buffer.getvalue()
