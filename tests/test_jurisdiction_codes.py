"""A jurisdiction code is one code however it is typed: stored, compared and looked up trimmed and
in capitals. A country's code is its ISO 3166-1 alpha-2 code; a bloc, region or city has a code
of its own (EU, SCO, CENTRAL-ASIA), never a country's. The database refuses a lower-case code."""

import copy
import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.models import Jurisdiction, Policy
from tests import factories
from tests.test_load_documents import minimal as shared_minimal
from tests.test_load_documents import write

pytestmark = pytest.mark.django_db


def minimal():
    # test_load_documents' dataset shares its source record between calls: change a copy.
    return copy.deepcopy(shared_minimal())


ROOT = Path(__file__).resolve().parent.parent
Kind = Jurisdiction.Kind


def problems(code, kind=Kind.COUNTRY) -> list[str]:
    entry = Jurisdiction(code=code, name="Somewhere", kind=kind)
    try:
        entry.full_clean()
    except ValidationError as exc:
        return [*exc.message_dict.get("code", []), *exc.message_dict.get("__all__", [])]
    return []


def test_a_code_typed_in_lower_case_with_spaces_is_stored_trimmed_and_in_capitals():
    entry = Jurisdiction(code=" ru ", name="Russia", kind=Kind.COUNTRY)
    entry.full_clean()
    assert entry.code == "RU"


def test_a_lower_case_code_beside_its_capital_is_the_same_code_and_refused():
    factories.jurisdiction(code="RU", name="Russia")
    assert problems("ru") == ["Another jurisdiction already has this code."]


@pytest.mark.parametrize("code", ["XY", "EU", "RUS", "R1", "SU"])
def test_a_country_needs_its_iso_3166_alpha_2_code(code):
    (message,) = problems(code)
    assert message.startswith(f"{code} is not an ISO 3166-1 alpha-2 country code")


@pytest.mark.parametrize(
    ("code", "kind"),
    [("EU", Kind.BLOC), ("SCO", Kind.BLOC), ("CENTRAL-ASIA", Kind.REGION), ("RU-MOW", Kind.CITY)],
)
def test_blocs_regions_and_cities_take_a_code_of_their_own(code, kind):
    assert problems(code, kind) == []


def test_a_bloc_may_not_take_a_countrys_code():
    (message,) = problems("FR", Kind.BLOC)
    assert (
        message == "FR is the country code of France; give this bloc a code of its own, such as EU."
    )


@pytest.mark.parametrize("code", ["CENTRAL ASIA", "-EU", "EU-", "E", "É", "EU--X", "1EU"])
def test_a_code_outside_the_documented_form_is_refused(code):
    (message,) = problems(code, Kind.REGION)
    assert "capital letters and digits" in message


def test_every_shipped_fixture_code_follows_the_rule():
    for path in sorted((ROOT / "fixtures").glob("*.json")):
        for record in json.loads(path.read_text()).get("jurisdictions", []):
            assert problems(record["code"], record["kind"]) == [], (path.name, record)


def test_the_database_refuses_a_lower_case_or_untrimmed_code():
    country = factories.jurisdiction(code="RU", name="Russia")
    for bad in ("ru", " RU"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE policies_jurisdiction SET code = %s WHERE id = %s", [bad, country.pk]
            )


def test_the_admin_stores_a_typed_lower_case_code_in_capitals(staff_client):
    from tests.test_admin_pages import management_form

    response = staff_client.post(
        reverse("admin:policies_jurisdiction_add"),
        {
            "code": "kg",
            "name": "Kyrgyzstan",
            "kind": "country",
            **management_form("sources-citation-content_type-object_id"),
            **management_form("tracker-transition-content_type-object_id"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Jurisdiction.objects.get(name="Kyrgyzstan").code == "KG"


def test_the_admin_refuses_a_country_code_that_is_not_iso(staff_client):
    from tests.test_admin_pages import management_form

    response = staff_client.post(
        reverse("admin:policies_jurisdiction_add"),
        {
            "code": "ZQ",
            "name": "Nowhere",
            "kind": "country",
            **management_form("sources-citation-content_type-object_id"),
            **management_form("tracker-transition-content_type-object_id"),
        },
    )
    assert response.status_code == 200
    assert "ZQ is not an ISO 3166-1 alpha-2 country code" in response.text


def test_load_documents_reads_a_lower_case_code_as_its_capital(tmp_path):
    data = minimal()
    data["jurisdictions"][0]["code"] = "ru"
    write(tmp_path, "data.json", json.dumps(data))
    call_command("load_documents", fixtures=tmp_path)
    assert list(Jurisdiction.objects.values_list("code", flat=True)) == ["RU"]
    assert Policy.objects.get(slug="strategy").jurisdiction.code == "RU"


def test_load_documents_refuses_a_country_code_that_is_not_iso(tmp_path):
    data = minimal()
    data["jurisdictions"][0]["code"] = "XQ"
    for kind in ("policies", "events"):
        for record in data[kind]:
            record["jurisdiction"] = "XQ"
    write(tmp_path, "data.json", json.dumps(data))
    with pytest.raises(CommandError, match=re.escape("XQ is not an ISO 3166-1 alpha-2")):
        call_command("load_documents", fixtures=tmp_path)


@pytest.fixture
def russia():
    country = factories.jurisdiction(code="RU", name="Russia")
    policy = factories.published_policy(slug="ai", jurisdiction=country)
    factories.published_commitment(slug="pledge", title="Present the strategy", policy=policy)
    return country


@pytest.mark.parametrize(
    "url",
    [
        "/compare/?jurisdiction=ru",
        "/commitments/?jurisdiction=ru",
        "/policies/?jurisdiction=ru",
        "/jurisdictions/ru/",
        "/api/v1/commitments/?jurisdiction=ru",
    ],
)
def test_every_page_and_filter_reads_a_lower_case_code_as_its_capital(client, russia, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "Present the strategy" in response.text or "pledge" in response.text


@given(code=st.text(max_size=24), kind=st.sampled_from(Kind.values))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_any_code_is_either_refused_with_a_reason_or_stored_in_its_one_form(code, kind):
    entry = Jurisdiction(code=code, name="Somewhere", kind=kind)
    try:
        entry.clean_fields(exclude=["created_by", "updated_by", "submitted_by"])
        entry.clean()
    except ValidationError as exc:
        assert exc.message_dict  # a reason, by field
        return
    assert entry.code == code.strip().upper()
    assert re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*", entry.code)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_stored_codes_their_one_form_and_stops_at_a_clash():
    from django.db.migrations.executor import MigrationExecutor

    before = [("policies", "0006_jurisdiction_code_unique_among_entries")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    OldJurisdiction = executor.loader.project_state(before).apps.get_model(
        "policies", "Jurisdiction"
    )
    OldJurisdiction.objects.create(code=" kg", name="Kyrgyzstan", kind="country")
    OldJurisdiction.objects.create(code="kz", name="Kazakhstan", kind="country")
    again = OldJurisdiction.objects.create(code="KG", name="Kyrgyzstan again", kind="country")
    try:
        executor = MigrationExecutor(connection)
        with pytest.raises(RuntimeError, match=re.escape("' kg', #")):
            executor.migrate(executor.loader.graph.leaf_nodes())
        again.delete()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    try:
        assert sorted(Jurisdiction.objects.values_list("code", flat=True)) == ["KG", "KZ"]
    finally:
        Jurisdiction.objects.all().delete()
