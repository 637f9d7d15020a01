"""Bad input is refused, never a crash: fuzzed query strings on every public page answer 200 or
400 (never 500), malformed dates and imports are refused with a reason and nothing written, and
an oversized upload is refused before it is parsed. (The API is fuzzed by schemathesis in
tests/test_api_fuzz.py; malformed fixtures are refused in tests/test_load_documents.py.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.models import Commitment
from sources.models import Citation
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/jurisdictions/",
    "/jurisdictions/RU/",
    "/policies/",
    "/policies/ru-ai/",
    "/commitments/",
    "/commitments/present/",
    "/events/",
    "/funding/",
    "/actors/",
    "/sources/",
    "/compare/",
    "/search/",
    "/feed/",
    "/policies/ru-ai/feed/",
]
# The names the pages read, and a few they do not.
NAMES = [
    "q",
    "page",
    "as_of",
    "jurisdiction",
    "status",
    "kind",
    "year",
    "due_year",
    "actor",
    "policy",
    "currency",
    "measure",
    "ordering",
    "format",
    "updated_since",
    "x",
]
NASTY = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "99999999999999999999",
        "1e309",
        "NaN",
        "2019-02-30",
        "0000-01-01",
        "9999-12-31",
        "10000-01-01",
        "2019-13",
        "'; DROP TABLE policies_policy; --",
        "%00",
        "\x00",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "人工智能",
        "\u202eevil",
        "RU",
        "overdue",
        "a" * 5000,
    ]
)
# Lone surrogates cannot be sent in a URL at all (the client cannot encode them).
VALUES = st.one_of(NASTY, st.text(st.characters(exclude_categories=["Cs"]), max_size=40))


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        country = factories.jurisdiction(code="RU", name="Russia")
        policy = factories.published_policy(slug="ru-ai", jurisdiction=country)
        commitment = factories.published_commitment(slug="present", policy=policy)
        factories.published_assessment(commitment=commitment, status="delivered")
        factories.cite(commitment)
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    page=st.sampled_from(PAGES),
    query=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=4),
)
def test_no_query_string_makes_a_public_page_fail(client, dataset, page, query):
    response = client.get(page, query)
    assert response.status_code in (200, 400), (page, query, response.status_code)


@pytest.mark.parametrize(
    "as_of", ["yesterday", "2019-02-30", "2019-13-01", "10000-01-01", "0000-00-00"]
)
def test_a_malformed_as_of_date_is_refused_with_the_form_it_takes(client, dataset, as_of):
    response = client.get("/policies/ru-ai/", {"as_of": as_of})
    assert response.status_code == 400
    assert "write it as YYYY-MM-DD" in response.text


@pytest.mark.parametrize("value", ["yesterday", "2019-02-30", "10000", "-5"])
def test_a_malformed_year_filter_is_refused_with_a_reason(client, dataset, value):
    response = client.get("/commitments/", {"due_year": value})
    assert response.status_code == 400
    assert "due_year" in response.text


# -- imports -----------------------------------------------------------------------------

HEADER = "slug,policy,title,kind,due,citation_source,citation_section,citation_quote\n"


def upload(client, content: bytes, name="commitments.csv"):
    return client.post(
        reverse("admin:policies_commitment_import"),
        {"format": "0", "import_file": SimpleUploadedFile(name, content)},
    )


@pytest.fixture
def references():
    factories.policy(slug="ru-ai-draft")
    factories.source(slug="report")


@pytest.mark.parametrize(
    ("due", "reason"),
    [
        ("2019-02-30", "is not a valid date: day is out of range for month"),
        ("next summer", "is not a date this site understands"),
        ("2019-13", "is not a valid date: month must be in 1..12"),
    ],
)
def test_an_import_with_a_malformed_date_writes_nothing(
    contributor_client, references, due, reason
):
    good = "good,ru-ai-draft,Good row,deliverable,2024,report,Introduction,a quote\n"
    bad = f"bad,ru-ai-draft,Bad row,deliverable,{due},report,Introduction,a quote\n"
    response = upload(contributor_client, (HEADER + good + bad).encode())
    result = response.context["result"]
    assert result.has_validation_errors()
    assert reason in " ".join(result.invalid_rows[0].error_dict["due"])
    assert not Commitment.objects.filter(slug__in=["good", "bad"]).exists()
    assert not Citation.objects.filter(quote="a quote").exists()


def test_an_import_in_a_broken_encoding_is_refused(contributor_client, references):
    before = Commitment.objects.count()
    response = upload(contributor_client, HEADER.encode() + b"\xff\xfe\x00bad\x00bytes\n")
    assert response.status_code == 200
    assert Commitment.objects.count() == before


def test_an_oversized_import_is_refused_before_it_is_parsed(
    contributor_client, references, settings
):
    settings.IMPORT_MAX_FILE_SIZE = 64 * 1024
    row = "x,ru-ai-draft,Padding,deliverable,2024,report,Introduction,a quote\n"
    content = (HEADER + row * (settings.IMPORT_MAX_FILE_SIZE // len(row) + 10)).encode()
    response = upload(contributor_client, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert "imports take at most 64.0" in " ".join(errors)
    assert "Split it into smaller files" in " ".join(errors)
    assert "result" not in response.context or response.context["result"] is None
    assert not Commitment.objects.filter(slug="x").exists()


def test_the_shipped_import_limit_is_five_megabytes(settings):
    assert settings.IMPORT_MAX_FILE_SIZE == 5 * 1024 * 1024


def test_an_oversized_form_body_is_refused(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024
    response = editor_client.post(
        reverse("admin:policies_jurisdiction_add"),
        {"code": "KG", "name": "x" * (20 * 1024)},
    )
    assert response.status_code == 400
    assert not factories.Jurisdiction.objects.filter(code="KG").exists()


def test_the_api_refuses_an_oversized_page_size_by_capping_it(client, dataset):
    response = client.get("/api/v1/commitments/", {"page_size": 10**9})
    assert response.status_code == 200
