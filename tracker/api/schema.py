"""What the OpenAPI schema says beyond what drf-spectacular reads off the views, added to every
operation in one pass (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]):

- the errors each operation can answer, in the shapes the API answers them: a 400 for a
  parameter refused (`{"field": ["message"]}`: a filter's value, or `as_of`, which no read
  honours) or a transition refused, a 404 for an id nobody may
  see, 401 and 403 for a transition without the right sign-in, and a 429, with its
  `Retry-After`, past the anonymous budget (tracker.core.throttling);
- `anyOf`, not `oneOf`, for a text field that may be blank (an optional URL): drf-spectacular
  writes "a URL" or "empty" as `oneOf`, and an empty string is both a string of length 0 and,
  to a validator that does not check formats, a URL, so strict validators refused every blank;
- an export's filters: `/csv/` and `/jsonl/` filter through the same FilterSet as their list
  (EntryViewSet.export_csv), so they take the list's query parameters but for its paging.
"""

from typing import Any

PAGING = {"cursor", "page_size"}

DETAIL = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each parameter refused, with what was wrong with it",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def _answer(description: str, schema: str, **headers: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    if headers:
        answer["headers"] = headers
    return answer


RETRY_AFTER = {"schema": {"type": "integer"}, "description": "Seconds until the next try"}


def _errors(path: str, method: str) -> dict[str, dict[str, Any]]:
    errors = {"429": _answer("Too many requests", "Detail", **{"Retry-After": RETRY_AFTER})}
    if method == "post":
        errors["400"] = _answer("The transition was refused; `detail` says why", "Detail")
        errors["401"] = _answer("Not signed in", "Detail")
        errors["403"] = _answer("Signed in, but not allowed this entry", "Detail")
    else:  # every read refuses `as_of`, and a list any filter value it cannot read
        errors["400"] = _answer("A parameter was refused, or does not apply", "FieldErrors")
    if "{" in path:
        errors["404"] = _answer("No entry with this id is visible to you", "Detail")
    return errors


def _blank_or_text_as_any_of(schema: Any) -> None:
    """Every `oneOf` of plain strings under `schema`, made an `anyOf`, in place."""
    if isinstance(schema, dict):
        branches = schema.get("oneOf")
        if branches and all(b.get("type") == "string" and "$ref" not in b for b in branches):
            schema["anyOf"] = schema.pop("oneOf")
        for value in schema.values():
            _blank_or_text_as_any_of(value)
    elif isinstance(schema, list):
        for value in schema:
            _blank_or_text_as_any_of(value)


def complete(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    _blank_or_text_as_any_of(schemas)
    schemas.update(Detail=DETAIL, FieldErrors=FIELD_ERRORS)
    paths = result.get("paths", {})
    for path, operations in paths.items():
        for suffix in ("csv/", "jsonl/"):
            if path.endswith(suffix) and (listed := paths.get(path.removesuffix(suffix))):
                operations["get"]["parameters"] = [
                    p for p in listed["get"].get("parameters", []) if p["name"] not in PAGING
                ]
        for method, operation in operations.items():
            for status, answer in _errors(path, method).items():
                operation["responses"].setdefault(status, answer)
    return result
