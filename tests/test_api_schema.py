"""Every real answer of the API validates against its own OpenAPI schema, read as strict tools
read it: JSON Schema 2020-12 (what OpenAPI 3.1 schemas are), `null` only where a type says so,
formats checked. The answers are the shipped dataset's, read anonymously and as an editor: every
list, page by page, each entry by id, each export line, and the errors the schema promises."""

import json

import jsonschema
import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

# Entries read by id, of each kind: enough to meet every shape of a field (null or not).
BY_ID = 40


@pytest.fixture(scope="module")
def spec():
    return SchemaGenerator().get_schema(request=None, public=True)


def validator(spec, schema):
    """A strict validator of `schema`, its references resolved in `spec`."""
    document = json.loads(json.dumps(spec))  # plain JSON: lazy strings and tuples made plain
    registry = Registry().with_resource("urn:spec", Resource(document, DRAFT202012))
    return jsonschema.Draft202012Validator(
        {"$ref": f"urn:spec#{pointer(spec, schema)}"} if isinstance(schema, str) else schema,
        registry=registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def pointer(spec, path_method_status):
    path, method, status = path_method_status.split(" ")
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"/paths/{escaped}/{method}/responses/{status}/content/application~1json/schema"


def problems(spec, path, method, status, body):
    found = validator(spec, f"{path} {method} {status}").iter_errors(body)
    return [f"{path} {status}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


def json_reads(spec):
    """The schema's GET operations that answer JSON: (path template, is it by id)."""
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if get and "application/json" in get["responses"]["200"].get("content", {}):
            yield path, "{id}" in path


def crawl(client, spec):
    """Every answer of every JSON read, checked; returns how many were checked."""
    errors, checked = [], 0
    for path, by_id in json_reads(spec):
        if by_id:
            continue
        url = path + ("?since=2000-01-01T00:00:00Z" if path.endswith("/changes/") else "")
        url += ("&" if "?" in url else "?") + "page_size=50"
        ids = []
        while url:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
            body = response.json()
            errors += problems(spec, path, "get", "200", body)
            checked += 1
            ids += [row["id"] for row in body.get("results", []) if "id" in row]
            url = body.get("next")
        detail = f"{path}{{id}}/"
        if detail in spec["paths"]:
            for pk in ids[:BY_ID]:
                response = client.get(detail.replace("{id}", str(pk)))
                assert response.status_code == 200, (detail, pk)
                errors += problems(spec, detail, "get", "200", response.json())
                checked += 1
    assert errors == []
    return checked


class TestEveryAnswerValidates:
    def test_anonymously(self, spec, shipped_dataset):
        cache.clear()
        assert crawl(APIClient(), spec) > 200

    def test_as_an_editor_who_sees_drafts(self, spec, shipped_dataset, editor):
        client = APIClient()
        client.force_authenticate(editor)
        assert crawl(client, spec) > 200

    def test_every_export_line_is_an_entry_as_its_list_gives_it(self, spec, shipped_dataset):
        client = APIClient()
        for path, by_id in json_reads(spec):
            if by_id or f"{path}jsonl/" not in spec["paths"]:
                continue
            item = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
            # A list page's schema: its `results` hold the entries.
            entry = validator(spec, {"$ref": f"urn:spec#{pointer(spec, f'{path} get 200')}"})
            assert item  # the list is described
            lines = b"".join(client.get(f"{path}jsonl/").streaming_content).splitlines()
            rows = [json.loads(line) for line in lines]
            page = {"next": None, "previous": None, "results": rows}
            assert [e.message for e in entry.iter_errors(page)] == [], path

    def test_the_errors_are_the_shapes_the_schema_promises(self, spec, shipped_dataset):
        client = APIClient()
        answers = [
            ("/api/v1/commitments/", "?due_year=2024.5", "400"),
            ("/api/v1/commitments/", "?as_of=2020-01-01", "400"),
            ("/api/v1/commitments/{id}/", "", "404"),
        ]
        for path, query, status in answers:
            response = client.get(path.replace("{id}", "999999999") + query)
            assert response.status_code == int(status)
            assert problems(spec, path, "get", status, response.json()) == []


def test_no_schema_says_nullable_which_openapi_3_1_does_not_have(spec):
    assert spec["openapi"].startswith("3.1")
    assert '"nullable"' not in json.dumps(spec)


def test_year_filters_are_whole_numbers_and_page_sizes_bounded(spec):
    parameters = {
        p["name"]: p["schema"] for p in spec["paths"]["/api/v1/commitments/"]["get"]["parameters"]
    }
    assert parameters["due_year"]["type"] == "integer"
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 1000)


def test_each_export_declares_its_lists_filters_but_not_its_paging(spec):
    listed = {p["name"] for p in spec["paths"]["/api/v1/commitments/"]["get"]["parameters"]}
    for export in ("csv", "jsonl"):
        declared = {
            p["name"] for p in spec["paths"][f"/api/v1/commitments/{export}/"]["get"]["parameters"]
        }
        assert declared == listed - {"cursor", "page_size"}
        assert "jurisdiction" in declared


def test_a_transition_takes_one_kind_of_body_and_documents_its_refusals(spec):
    operation = spec["paths"]["/api/v1/commitments/{id}/transition/"]["post"]
    assert list(operation["requestBody"]["content"]) == ["application/json"]
    assert {"400", "401", "403", "404", "429"} <= set(operation["responses"])


def test_a_form_encoded_transition_is_refused_as_unsupported(contributor):
    from tests import factories

    entry = factories.commitment(created_by=contributor)
    client = APIClient()
    client.force_authenticate(contributor)
    response = client.post(f"/api/v1/commitments/{entry.pk}/transition/", {"action": "submit"})
    assert response.status_code == 415
