"""A source's authors are a JSON list of names: anything else is refused on every write path
with a message that shows the shape, and pages never fail on a value stored before the rule."""

import copy
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import Value
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.models import Policy
from sources.models import Source
from tests import factories
from tests.test_admin_pages import management_form
from tests.test_load_documents import minimal as shared_minimal
from tests.test_load_documents import write
from tracker.core.editorial import curated_models

pytestmark = pytest.mark.django_db


def minimal():
    # test_load_documents' dataset shares its source record between calls: change a copy.
    return copy.deepcopy(shared_minimal())


NOT_NAMES = [5, "Jane Doe", {"name": "Jane Doe"}, [1, 2], [["Jane Doe"]], [None], True, 1.5, [""]]
# JSON a database can store: PostgreSQL's jsonb takes no NUL and neither takes a lone surrogate.
STORABLE_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | STORABLE_TEXT,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(STORABLE_TEXT, children, max_size=3)
    ),
    max_leaves=6,
)


def is_names(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def refusal(authors) -> list[str]:
    entry = Source(slug="s", kind="report", title="A report", authors=authors)
    try:
        entry.clean_fields(exclude=["created_by", "updated_by", "submitted_by"])
    except ValidationError as exc:
        return exc.message_dict.get("authors", [])
    return []


def test_every_json_field_of_the_domain_models_validates_its_shape():
    """A new JSONField cannot arrive without a shape: this finds them all itself."""
    shapeless = [
        f"{model.__name__}.{f.name}"
        for model in curated_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.JSONField) and not f.validators
    ]
    assert shapeless == []


@pytest.mark.parametrize("authors", NOT_NAMES, ids=repr)
def test_authors_that_are_not_a_list_of_names_are_refused_with_the_shape_shown(authors):
    (message,) = refusal(authors)
    assert message.startswith(
        'Authors must be a list of names, such as ["Jane Doe", "Ivan Petrov"]'
    )


def test_a_list_of_names_is_accepted():
    assert refusal(["Jane Doe", "Иван Петров"]) == []
    assert refusal([]) == []


def test_a_name_with_a_control_character_is_refused_by_the_text_rule():
    (message,) = refusal(["Jane\x0b Doe"])
    assert "contains the control character U+000B" in message


@pytest.mark.parametrize("authors", [*NOT_NAMES, None], ids=repr)
def test_the_source_pages_never_fail_on_authors_stored_before_the_rule(client, authors):
    source = factories.source(slug="old", title="Old report")
    Source.objects.filter(pk=source.pk).update(authors=Value(authors, models.JSONField()))
    for url in ("/sources/", "/sources/old/", "/api/v1/sources/"):
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_page_shows_the_names_it_can_read_from_an_old_value(client):
    source = factories.source(slug="old", title="Old report")
    Source.objects.filter(pk=source.pk).update(authors=["Jane Doe", 5, "Ivan Petrov"])
    assert "Jane Doe, Ivan Petrov" in client.get("/sources/").text


def test_the_admin_refuses_an_author_it_cannot_publish(staff_client):
    # The form takes one name per line (sources.admin.NamesField); the model's rule still
    # checks each name.
    response = staff_client.post(
        reverse("admin:sources_source_add"),
        {
            "slug": "report",
            "kind": "report",
            "title": "A report",
            "authors": "Jane Doe\nIvan\x01Petrov",
            **management_form("sources-citation-content_type-object_id"),
            **management_form("tracker-transition-content_type-object_id"),
        },
    )
    assert response.status_code == 200
    assert "Name 2 of authors contains the control character U+0001" in response.text
    assert not Source.objects.filter(slug="report").exists()


def test_load_documents_refuses_authors_that_are_not_a_list(tmp_path):
    data = minimal()
    data["sources"][0]["authors"] = 5
    write(tmp_path, "data.json", json.dumps(data))
    with pytest.raises(CommandError, match=re.escape("sources 'report': authors: Authors must")):
        call_command("load_documents", fixtures=tmp_path)
    assert not Policy.objects.exists()


@given(authors=ANY_JSON)
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_json_for_authors_is_refused_unless_names_and_never_fails_the_sources_page(
    client, authors
):
    refused = refusal(authors)
    # An empty value is blank, and blank authors are allowed.
    assert bool(refused) == (not is_names(authors) and authors not in ([], {}, "", None))
    source = Source.objects.filter(slug="any").first() or factories.source(slug="any")
    Source.objects.filter(pk=source.pk).update(authors=Value(authors, models.JSONField()))
    assert client.get("/sources/").status_code == 200
    assert client.get("/sources/any/").status_code == 200
