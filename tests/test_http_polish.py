"""Errors, the favicon, compression and Cache-Control, as a reader, an editor and a data user
meet them: a styled page that says what happened and where to go, answers compressed when
the client accepts gzip, and public answers that any cache may keep a short while, while
nothing an editor sees, nothing in the admin and no error is kept so."""

import gzip
from unittest import mock
from urllib import robotparser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import get_resolver
from rest_framework.authtoken.models import Token

from tests import factories

GZIP = {"accept-encoding": "gzip, deflate, br"}
PUBLIC_CACHE = {"public", "max-age=60", "stale-while-revalidate=300"}


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def varies_with(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def has_the_sites_navigation(response) -> bool:
    text = response.content.decode()
    return 'aria-label="Main"' in text and 'href="/search/"' in text and 'href="/"' in text


@pytest.fixture
def strategy(db):
    policy = factories.published_policy(title="AI Strategy")
    factories.cite(policy)
    commitment = factories.published_commitment(policy=policy, title="Present a strategy")
    factories.cite(commitment)
    return policy


# Errors


@pytest.mark.django_db
def test_a_missing_page_is_the_styled_404_with_the_navigation_and_a_way_out(client):
    response = client.get("/policies/no-such-policy/")
    assert response.status_code == 404
    assert has_the_sites_navigation(response)
    assert "Nothing is published at this address" in response.text
    # Not even the address it asked for: it may name a draft (tests/test_integrity_state.py).
    assert "no-such-policy" not in response.text
    assert 'role="search"' in response.text
    assert "Back to the admin" not in response.text
    assert "public" not in directives(response)
    assert "no-store" in directives(response)


@pytest.mark.django_db
def test_a_missing_page_shows_an_editor_the_way_back_to_the_admin(editor_client):
    response = editor_client.get("/policies/no-such-policy/")
    assert response.status_code == 404
    assert has_the_sites_navigation(response)
    assert "Back to the admin" in response.text


@pytest.mark.django_db
def test_an_unknown_admin_address_is_the_styled_404_for_an_editor(editor_client):
    response = editor_client.get("/admin/no-such-page/")
    assert response.status_code == 404
    assert "Nothing is published at this address" in response.text
    assert "Back to the admin" in response.text


@pytest.mark.django_db
def test_a_request_the_site_cannot_read_is_the_styled_400(client):
    response = client.get("/", headers={"host": "elsewhere.example"})
    assert response.status_code == 400
    assert has_the_sites_navigation(response)
    assert "The site could not read this request" in response.text
    assert "no-store" in directives(response)


@pytest.mark.django_db
def test_a_contributor_on_an_editors_page_gets_the_styled_403(contributor_client):
    response = contributor_client.get("/admin/auth/user/")
    assert response.status_code == 403
    assert has_the_sites_navigation(response)
    assert "You may not see this page" in response.text
    assert "Back to the admin" in response.text


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_the_styled_403(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/admin/policies/jurisdiction/add/", {"code": "KG", "name": "K"})
    assert response.status_code == 403
    assert "This form could not be sent" in response.text
    assert 'href="/admin/"' in response.text


# No django_db mark: the test database is blocked, so any query raises instead of answering.
def test_the_500_handler_renders_the_styled_page_without_the_database(settings):
    settings.DEBUG = False
    handler = get_resolver().resolve_error_handler(500)
    response = handler(RequestFactory().get("/policies/"))
    assert response.status_code == 500
    assert has_the_sites_navigation(response)
    assert "Something went wrong on our side" in response.content.decode()
    assert "no-store" in directives(response)


def test_a_failing_page_answers_the_500_page_with_the_database_blocked(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with mock.patch("tracker.core.freshness.current", side_effect=RuntimeError("a bug, in detail")):
        response = client.get("/policies/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "a bug, in detail" not in response.text
    assert has_the_sites_navigation(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-list/", "/api/v1/commitments/1/no-such-action/", "/api/"]
)
def test_an_unknown_api_address_answers_json_that_points_at_the_api_root(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/v1/" in response.json()["detail"]
    assert "no-store" in directives(response)


@pytest.mark.django_db
def test_an_api_list_without_its_slash_is_still_redirected_to_it(client):
    response = client.get("/api/v1/commitments")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/commitments/"


@pytest.mark.django_db
def test_a_request_the_api_cannot_read_is_a_json_400(client):
    response = client.get("/api/v1/commitments/", headers={"host": "elsewhere.example"})
    assert response.status_code == 400
    assert "Host header" in response.json()["detail"]


def test_a_failing_api_answer_is_a_json_500_with_the_database_blocked(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with mock.patch("tracker.core.freshness.current", side_effect=RuntimeError("a bug, in detail")):
        response = client.get("/api/v1/commitments/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "went wrong on our side" in response.json()["detail"]
    assert "a bug" not in response.text


# The favicon


def test_the_favicon_is_answered_at_the_root_where_browsers_ask(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert body_of(response).startswith(b"\x00\x00\x01\x00")  # an icon resource
    assert "max-age" in response["Cache-Control"]


def test_robots_txt_at_the_root_lets_crawlers_read_the_public_pages_but_not_the_admin_or_search(
    client,
):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    rules = robotparser.RobotFileParser()
    rules.parse(body_of(response).decode().splitlines())
    for page in ("/", "/policies/ru-national-ai-strategy/", "/commitments/", "/data/", "/feed/"):
        assert rules.can_fetch("AnyBot", page), page
    for page in ("/admin/", "/admin/policies/policy/", "/search/?q=strategy"):
        assert not rules.can_fetch("AnyBot", page), page


@pytest.mark.django_db
def test_every_page_links_the_svg_favicon_which_is_a_static_file(client, strategy):
    page = client.get(f"/policies/{strategy.slug}/").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg")


# Compression


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/policies/", "/api/v1/commitments/", "/feed/"])
def test_a_public_answer_leaves_gzip_compressed_when_asked_and_decompresses_to_the_same_body(
    client, strategy, path
):
    plain = client.get(path)
    compressed = client.get(path, headers=GZIP)
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content)
    assert "accept-encoding" in varies_with(plain) & varies_with(compressed)


@pytest.mark.django_db
def test_a_policy_page_is_compressed_for_its_readers(client, strategy):
    compressed = client.get(f"/policies/{strategy.slug}/", headers=GZIP)
    assert compressed["Content-Encoding"] == "gzip"
    assert "Present a strategy" in gzip.decompress(compressed.content).decode()


@pytest.mark.django_db
def test_an_export_still_streams_when_compressed(client, strategy):
    plain = client.get("/api/v1/commitments/csv/")
    compressed = client.get("/api/v1/commitments/csv/", headers=GZIP)
    assert compressed.streaming
    assert compressed["Content-Encoding"] == "gzip"
    assert "Content-Length" not in compressed
    assert gzip.decompress(body_of(compressed)) == body_of(plain)


@pytest.mark.django_db
def test_the_admin_is_never_compressed(editor_client, client):
    assert "Content-Encoding" not in editor_client.get("/admin/", headers=GZIP)
    # The sign-in form holds a CSRF token, and no cookie has been sent yet.
    assert "Content-Encoding" not in client.get("/admin/login/", headers=GZIP)


@pytest.mark.django_db
def test_an_editors_public_pages_are_neither_compressed_nor_cached_publicly(
    editor_client, strategy
):
    response = editor_client.get(f"/policies/{strategy.slug}/", headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "public" not in directives(response)
    assert {"no-store", "private"} <= directives(response)


@pytest.mark.django_db
def test_a_researchers_token_reads_leave_compressed_but_never_cached_publicly(
    contributor, strategy
):
    token, _ = Token.objects.get_or_create(user=contributor)
    client = Client(headers={"authorization": f"Token {token.key}", **GZIP})
    response = client.get("/api/v1/commitments/")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "public" not in directives(response)
    assert "private" in directives(response)


@pytest.mark.django_db
def test_a_file_type_that_is_compressed_already_is_left_alone(client, strategy):
    response = client.get("/api/v1/datapackage.zip", headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response


# Cache-Control


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/policies/", "/search/?q=strategy", "/feed/", "/api/v1/commitments/"]
)
def test_a_public_answer_may_be_kept_by_any_cache_a_short_while(client, strategy, path):
    response = client.get(path)
    assert response.status_code == 200
    assert directives(response) == PUBLIC_CACHE
    assert "cookie" in varies_with(response)


@pytest.mark.django_db
def test_an_api_read_varies_with_the_token_as_well_as_the_session(client, strategy):
    for path in ("/api/v1/commitments/", "/api/v1/commitments/csv/", "/api/v1/datapackage.zip"):
        response = client.get(path)
        assert directives(response) == PUBLIC_CACHE, path
        assert {"cookie", "authorization"} <= varies_with(response), path


@pytest.mark.django_db
def test_the_cache_lifetimes_come_from_the_settings(client, strategy, settings):
    settings.PUBLIC_CACHE_MAX_AGE = 5
    settings.PUBLIC_CACHE_STALE_WHILE_REVALIDATE = 0
    expected = {"public", "max-age=5", "stale-while-revalidate=0"}
    assert directives(client.get("/policies/")) == expected
    assert directives(client.get("/api/v1/policies/")) == expected


@pytest.mark.django_db
def test_the_admin_is_never_cached_publicly(editor_client):
    response = editor_client.get("/admin/")
    assert response.status_code == 200
    assert "public" not in directives(response)
    assert "private" in directives(response)


@pytest.mark.django_db
def test_a_signed_in_editors_api_reads_are_private(editor_client, strategy):
    for path in ("/api/v1/commitments/", "/api/v1/citations/", "/api/v1/datapackage.zip"):
        response = editor_client.get(path)
        assert response.status_code == 200
        assert "public" not in directives(response), path
        assert "private" in directives(response), path


@pytest.mark.django_db
def test_an_api_answer_to_a_bad_request_is_not_cached_publicly(client):
    response = client.get("/api/v1/commitments/?updated_since=yesterday")
    assert response.status_code == 400
    assert "public" not in directives(response)


# Conditional requests after compression


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/policies/", "/api/v1/commitments/", "/api/v1/commitments/csv/"])
def test_a_compressed_answers_weak_etag_still_gets_a_304_that_keeps_its_cache_headers(
    client, strategy, path
):
    first = client.get(path, headers=GZIP)
    assert first["ETag"].startswith('W/"')
    again = client.get(path, headers={"if-none-match": first["ETag"], **GZIP})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"].removeprefix("W/") == first["ETag"].removeprefix("W/")
    assert directives(again) == PUBLIC_CACHE


@pytest.mark.django_db
def test_the_data_packages_304_keeps_its_cache_headers(client, strategy):
    first = client.get("/api/v1/datapackage.zip")
    again = client.get("/api/v1/datapackage.zip", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert directives(again) == PUBLIC_CACHE
