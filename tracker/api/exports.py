"""Bulk exports: streaming CSV and JSON Lines of any API list, and the whole-dataset Data Package.

Rows are the API's own representation, flattened (`due.start` becomes `due_start`), so a CSV
column means what the JSON field means. Rows stream from the database in chunks: memory stays
flat however many rows there are. Text that a spreadsheet would run as a formula is prefixed
with an apostrophe (`neutralise`; `neutralised_sql` is the same rule for the CSV the database
writes itself, tracker/api/stored.py).

Lines end in a line feed, as PostgreSQL's `COPY ... (FORMAT csv)` ends them: both write the
same bytes.
"""

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from django.http import FileResponse, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from tracker.api.fields import FuzzyDateField, FuzzyDateSchema, MoneyField, MoneySchema
from tracker.core import clock, delivery, freshness

CHUNK = 1000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number, which a spreadsheet reads as one: ASCII digits, in Python as in SQL.
NUMBER = "-?[0-9]+([.][0-9]+)?"
_NUMBER = re.compile(NUMBER)


def neutralise(value: str) -> str:
    """Defuse spreadsheet formulas ("=HYPERLINK(...)"); plain negative numbers stay numbers."""
    if value and value[0] in FORMULA_START and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralised_sql(expression: str) -> tuple[str, list]:
    """`neutralise` of the text `expression` in PostgreSQL's SQL, and its parameters. An empty
    text becomes NULL, which `COPY` writes as an empty cell (an empty string it would quote)."""
    return (
        f"CASE WHEN left({expression}, 1) = ANY(%s) AND {expression} !~ %s"
        f" THEN '''' || {expression} ELSE NULLIF({expression}, '') END",
        [list(FORMULA_START), f"^({NUMBER})$"],
    )


class Column(NamedTuple):
    name: str  # flat: "due_start"
    type: str  # Table Schema type
    path: tuple[str, ...]  # where it is in a row's representation: ("due", "start")
    description: str = ""  # what the field's help text says, the nesting's first
    enum: tuple[str, ...] = ()  # the values a choice may take
    format: str = ""  # a Table Schema format: "uri"


def columns(
    serializer: serializers.Serializer, path: tuple[str, ...] = (), about: str = ""
) -> list[Column]:
    """The flat columns a serializer's rows have, with Table Schema types, in order; `about`,
    what the field they are nested in is."""
    result = []
    for name, field in serializer.fields.items():
        where = (*path, name)
        nested = {FuzzyDateField: FuzzyDateSchema(), MoneyField: MoneySchema()}.get(
            type(field), field
        )
        said = str(field.help_text or nested.help_text or "")
        description = f"{about}: {said or name}" if about else said
        if isinstance(nested, serializers.ListSerializer | serializers.ManyRelatedField):
            result.append(Column("_".join(where), "array", where, description))
        elif isinstance(nested, serializers.Serializer):
            result.extend(columns(nested, where, said or str(field.label or name)))
        else:
            enum = (
                tuple(map(str, nested.choices))
                if isinstance(nested, serializers.ChoiceField)
                else ()
            )
            uri = "uri" if isinstance(nested, serializers.URLField) else ""
            result.append(
                Column("_".join(where), table_type(nested), where, description, enum, uri)
            )
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


def rows(view, queryset) -> Iterator[dict]:
    """The API representation of every entry of `queryset`, read a chunk at a time."""
    # One serializer for every row: building one copies its declared fields, which costs
    # more than representing a row.
    serializer = view.get_serializer()
    for chunk in itertools.batched(queryset.iterator(chunk_size=CHUNK), CHUNK, strict=False):
        view.complete(chunk)
        for entry in chunk:
            yield serializer.to_representation(entry)


def csv_lines(columns: list[Column], records: Iterable[dict]) -> Iterator[str]:
    """A header, then one line a record: `{"due": {"start": …}}` fills column `due_start`."""
    texts = [_text_reader(column) for column in columns]
    return csv_text_lines(
        [column.name for column in columns],
        ([text(record) for text in texts] for record in records),
    )


def csv_text_lines(header: list[str], rows: Iterable[list[str | None]]) -> Iterator[str]:
    """A header, then one line a row of cell texts (as `cell_texts` gives them), defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(header)
    yield take()
    # A hundred rows a chunk: one write to the client per row costs more than the row.
    for batch in itertools.batched(rows, 100, strict=False):
        for row in batch:
            writer.writerow(["" if text is None else neutralise(text) for text in row])
        yield take()


def cell_texts(columns: list[Column]) -> Callable[[dict], list[str | None]]:
    """A function from a record to its cells' texts before `neutralise` (None: empty)."""
    texts = [_text_reader(column) for column in columns]
    return lambda record: [text(record) for text in texts]


def _text_reader(column: Column) -> Callable[[dict], str | None]:
    """A function from a record to this column's text before defusing, None when it has no
    value (its path is split once)."""
    *parents, key = column.path

    def value(record: dict) -> Any:
        found: Any = record  # a record, then each parent's value: a dict or None
        for parent in parents:
            found = found.get(parent)
            if found is None:
                return None
        return found.get(key)

    def text(record: dict) -> str | None:
        found = value(record)
        if found is None:
            return None
        if found is True:
            return "true"
        if found is False:
            return "false"
        if isinstance(found, str):
            return found
        if isinstance(found, list | dict):
            return json.dumps(found, cls=JSONEncoder, ensure_ascii=False)
        return str(found)

    return text


def _filename(view, extension: str) -> str:
    stamp = clock.now().strftime("%Y%m%d")
    return f"{view.basename}-{stamp}.{extension}"


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}


def csv_body(view, queryset) -> Iterator[str] | Iterator[bytes]:
    """The CSV export of `queryset`, a piece at a time: from the stored rows when they answer."""
    return view.stored_csv(queryset) or csv_lines(
        columns(view.get_serializer_class()()), view.representations(queryset)
    )


def jsonl_body(view, queryset) -> Iterator[str]:
    """The JSON Lines export of `queryset`, a line at a time."""
    renderer = JSONRenderer()
    return (renderer.render(record).decode() + "\n" for record in view.representations(queryset))


BODIES = {"csv": csv_body, "jsonl": jsonl_body}


def csv_response(view, queryset) -> HttpResponseBase:
    return _download(view, queryset, "csv")


def jsonl_response(view, queryset) -> HttpResponseBase:
    return _download(view, queryset, "jsonl")


def _download(view, queryset, extension: str) -> HttpResponseBase:
    """An export; to the public, a 304 without reading a row while the data version stands
    (the API's PublicValidators set the validators themselves), and the file built for this
    version when there is one (`view.stored_export`), else the export streamed."""
    response: HttpResponseBase | None = None
    if view.is_public():
        version = freshness.current()
        found = validators(view.request, view.request.accepted_media_type, version=version)
        if (not_modified := unchanged(view.request, found)) is not None:
            return not_modified
        if (stored := view.stored_export(extension, version)) is not None:
            response = FileResponse(stored, content_type=CONTENT_TYPES[extension])
    if response is None:
        response = StreamingHttpResponse(
            BODIES[extension](view, queryset), content_type=CONTENT_TYPES[extension]
        )
    response["Content-Disposition"] = f'attachment; filename="{_filename(view, extension)}"'
    return response


def validators(request, *parts, version: freshness.Version | None = None) -> dict[str, str]:
    """ETag and Last-Modified of a public read at this address (and `parts`: the media type of
    a negotiated response), from the data version (`version`, when read already)."""
    version = version or freshness.current()
    return {
        "ETag": quote_etag(freshness.etag(version, request.get_full_path(), *parts)),
        "Last-Modified": http_date(freshness.last_modified(version).timestamp()),
    }


def with_validators[R: HttpResponseBase](request, response: R, found: dict[str, str]) -> R:
    """`response` with the validators `found`, which any cache may keep a short while when the
    reader is anonymous, and private otherwise (tracker.core.delivery): every read of the API
    answers so. The answer varies with the token as with the session: a researcher's shows
    drafts."""
    for name, value in found.items():
        response[name] = value
    return delivery.mark_for_caches(response, user=request.user, vary=("Authorization",))


def unchanged(request, found: dict[str, str]) -> HttpResponse | None:
    """A 304 when the client's copy is still current (or a 412), else None. The 304 carries the
    headers the whole answer would (RFC 9110 15.4.5)."""
    read = with_validators(request, HttpResponse(), found)
    answer = get_conditional_response(
        request,
        etag=found["ETag"],
        last_modified=parse_http_date_safe(found["Last-Modified"]),
        response=read,
    )
    return None if answer is read else answer
