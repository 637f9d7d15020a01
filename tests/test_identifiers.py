"""Wikidata ids tie a country, an actor, a policy, an event or a source to the same item
elsewhere: a data user filters by one (`?wikidata=Q159`) and joins on it; a malformed one is
refused with the form it should take, in the admin and in the API alike."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from tests import factories as make

pytestmark = pytest.mark.django_db

KINDS = {
    "jurisdictions": lambda: make.jurisdiction(code="RU", name="Russia", wikidata_id="Q159"),
    "actors": lambda: make.actor(name="Ministry", wikidata_id="Q4294967", **make.PUBLISHED),
    "policies": lambda: make.published_policy(wikidata_id="Q106437451"),
    "events": lambda: make.event(title="Summit", wikidata_id="Q11111", **make.PUBLISHED),
    "sources": lambda: make.source(title="Report", wikidata_id="Q22222"),
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_api_filters_by_wikidata_id_and_shows_it(kind):
    entry = KINDS[kind]()
    client = APIClient()
    [found] = client.get(f"/api/v1/{kind}/", {"wikidata": entry.wikidata_id}).json()["results"]
    assert (found["id"], found["wikidata_id"]) == (entry.pk, entry.wikidata_id)
    assert client.get(f"/api/v1/{kind}/", {"wikidata": "Q1"}).json()["results"] == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_malformed_wikidata_id_is_a_400_that_says_what_one_looks_like(kind):
    response = APIClient().get(f"/api/v1/{kind}/", {"wikidata": "Russia"})
    assert response.status_code == 400
    assert response.json() == {"wikidata": ["A Wikidata id looks like Q12345."]}


@pytest.mark.parametrize("kind", KINDS)
def test_a_malformed_wikidata_id_is_refused_on_the_entry_itself(kind):
    entry = KINDS[kind]()
    entry.wikidata_id = "159"
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert refused.value.message_dict["wikidata_id"] == ["A Wikidata id looks like Q12345."]


def test_the_admin_edits_a_countrys_wikidata_id(editor_client):
    page = editor_client.get("/admin/policies/jurisdiction/add/")
    assert page.status_code == 200
    assert 'name="wikidata_id"' in page.text
