"""Signing in: repeated failures lock the account out and say so, sessions end, passwords are
checked for strength, and every write needs a CSRF token or an API token."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from policies.models import Commitment, Jurisdiction
from tests import factories
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_locks_sign_in_after_repeated_failures_and_says_so(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "editor", "wrong password").status_code == 200
    locked = sign_in(client, "editor", "wrong password")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    assert f"{settings.AXES_FAILURE_LIMIT} failed attempts" in locked.content.decode()


def test_it_refuses_even_the_right_password_while_locked(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong password")
    response = sign_in(client, "editor", "x-9-long-pass")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_signs_in_with_the_right_password_and_forgets_earlier_failures(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "wrong password")
    response = sign_in(client, "editor", "x-9-long-pass")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)
    assert not AccessAttempt.objects.filter(username="editor", failures_since_start__gt=0).exists()


def test_a_lockout_of_one_account_does_not_lock_another(client, editor, other_editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong password")
    assert sign_in(client, "other-editor", "x-9-long-pass").status_code == 302


def test_a_session_lasts_a_working_day(client, editor):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY
    sign_in(client, "editor", "x-9-long-pass")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.get("/admin/").status_code == 200


def test_an_expired_session_is_sent_back_to_the_login(client, editor):
    sign_in(client, "editor", "x-9-long-pass")
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("83749201736", "entirely numeric"),
        ("editor-x99", "too similar"),
    ],
)
def test_weak_passwords_are_refused(editor, password, reason):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=editor)
    assert reason in " ".join(refused.value.messages)


def test_a_strong_password_is_accepted(editor):
    validate_password("mild-otter-juggles-42-lanterns", user=editor)


def test_admin_writes_without_a_csrf_token_are_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(
        "/admin/policies/jurisdiction/add/", {"code": "KG", "name": "Kyrgyzstan"}
    )
    assert response.status_code == 403
    assert not Jurisdiction.objects.filter(code="KG").exists()


def test_the_admin_login_itself_needs_a_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "editor", "x-9-long-pass").status_code == 403


def test_api_writes_with_a_token_need_no_csrf_and_without_either_are_refused(contributor):
    entry = factories.commitment(created_by=contributor)
    factories.cite(entry)
    url = f"/api/v1/commitments/{entry.pk}/transition/"
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(contributor)
    assert session.post(url, {"action": "submit"}, format="json").status_code == 403
    anonymous = APIClient(enforce_csrf_checks=True)
    assert anonymous.post(url, {"action": "submit"}, format="json").status_code in (401, 403)
    assert Commitment.objects.get(pk=entry.pk).state == State.DRAFT
    token = APIClient(enforce_csrf_checks=True)
    token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=contributor).key}")
    assert token.post(url, {"action": "submit"}, format="json").status_code == 200
    assert Commitment.objects.get(pk=entry.pk).state == State.IN_REVIEW


def test_a_wrong_api_token_is_refused(contributor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/commitments/").status_code in (401, 403)
