"""Conditional and HEAD requests answer as RFC 9110 says: a precondition speaks only of a
representation that exists (`If-None-Match: *` on a missing page is a 404, never a 304), and
HEAD answers like GET without the body."""

import pytest
from django.utils.http import http_date

from tests import factories

pytestmark = pytest.mark.django_db

MISSING = [
    "/commitments/no-such-commitment/",
    "/policies/no-such-policy/",
    "/api/v1/commitments/999999/",
]


@pytest.mark.parametrize("path", MISSING)
def test_if_none_match_star_on_a_missing_page_is_a_404(client, path):
    assert client.get(path, headers={"if-none-match": "*"}).status_code == 404


@pytest.mark.parametrize("path", MISSING)
def test_if_modified_since_on_a_missing_page_is_a_404(client, path):
    tomorrow = http_date(2_000_000_000)
    assert client.get(path, headers={"if-modified-since": tomorrow}).status_code == 404


@pytest.mark.parametrize("path", MISSING)
def test_if_match_on_a_missing_page_is_a_404_not_a_412(client, path):
    assert client.get(path, headers={"if-match": '"anything"'}).status_code == 404


def test_if_none_match_star_on_a_page_that_exists_is_a_304(client):
    entry = factories.published_commitment()
    assert client.get(f"/commitments/{entry.slug}/").status_code == 200
    response = client.get(f"/commitments/{entry.slug}/", headers={"if-none-match": "*"})
    assert response.status_code == 304


def test_a_repeated_request_with_the_pages_etag_is_still_a_304_without_rendering(
    client, django_assert_num_queries
):
    entry = factories.published_commitment()
    first = client.get(f"/commitments/{entry.slug}/")
    with django_assert_num_queries(1):  # the data version, nothing else
        again = client.get(f"/commitments/{entry.slug}/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_head_of_the_data_package_answers_like_get_without_a_body(client):
    factories.published_commitment()
    got = client.get("/api/v1/datapackage.zip")
    head = client.head("/api/v1/datapackage.zip")
    assert head.status_code == 200
    assert head.content == b""
    assert int(head["Content-Length"]) == len(got.content) > 0
    for name in ("Content-Type", "Content-Disposition", "ETag", "Last-Modified"):
        assert head[name] == got[name]


def test_head_of_the_data_package_with_its_etag_is_a_304(client):
    etag = client.get("/api/v1/datapackage.zip")["ETag"]
    assert client.head("/api/v1/datapackage.zip", headers={"if-none-match": etag}).status_code == (
        304
    )
