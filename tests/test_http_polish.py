"""Errors and the favicon as a reader and an editor meet them: a styled page that says what
happened and where to go, with the site's navigation, and never kept by a cache; a favicon
wherever a browser asks for one."""

from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import get_resolver

from tests import factories


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


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
    assert "/policies/no-such-policy/" in response.text
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


# The favicon


def test_the_favicon_is_answered_at_the_root_where_browsers_ask(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert body_of(response).startswith(b"\x00\x00\x01\x00")  # an icon resource
    assert "max-age" in response["Cache-Control"]


@pytest.mark.django_db
def test_every_page_links_the_svg_favicon_which_is_a_static_file(client, strategy):
    page = client.get(f"/policies/{strategy.slug}/").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg")
