"""Signed-in researchers see drafts through the API and run transitions with the admin's rules."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from policies.models import Commitment
from tests import factories
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


def api_client(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def transition(client, entry, action, comment=""):
    return client.post(
        reverse("api:commitment-transition", args=[entry.pk]),
        {"action": action, "comment": comment},
        format="json",
    )


@pytest.fixture
def draft(contributor):
    entry = factories.commitment(created_by=contributor, title="A draft pledge")
    factories.cite(entry)
    return entry


def test_researchers_with_a_token_see_drafts_and_anonymous_readers_do_not(contributor, draft):
    assert (
        "A draft pledge"
        in api_client(contributor).get(reverse("api:commitment-list")).content.decode()
    )
    assert "A draft pledge" not in api_client().get(reverse("api:commitment-list")).content.decode()


def test_the_workflow_runs_through_the_api_with_the_same_rules(contributor, editor, draft):
    assert transition(api_client(contributor), draft, "submit").json()["state"] == State.IN_REVIEW
    refused = transition(api_client(contributor), draft, "publish")
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Only an editor can publish entries."}
    published = transition(api_client(editor), draft, "publish")
    assert published.status_code == 200
    assert published.json()["state"] == State.PUBLISHED
    assert Commitment.objects.published().filter(pk=draft.pk).exists()


def test_four_eyes_hold_in_the_api(editor):
    entry = factories.commitment(created_by=editor)
    factories.cite(entry)
    client = api_client(editor)
    transition(client, entry, "submit")
    response = transition(client, entry, "publish")
    assert response.status_code == 400
    assert "Nobody publishes their own submission" in response.json()["detail"]


def test_anonymous_readers_cannot_run_transitions(draft):
    response = transition(api_client(), draft, "submit")
    assert response.status_code in (401, 403)
    assert Commitment.objects.get(pk=draft.pk).state == State.DRAFT


def test_an_unknown_action_is_refused_with_the_list_of_actions(contributor, draft):
    response = transition(api_client(contributor), draft, "approve")
    assert response.status_code == 400
    assert "use one of submit, request_changes, publish" in response.json()["detail"]


def test_writes_without_a_csrf_token_are_refused_for_session_users(contributor, draft):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(contributor)
    assert transition(client, draft, "submit").status_code == 403


def test_anonymous_readers_are_throttled(client, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    try:
        codes = [client.get(reverse("api:jurisdiction-list")).status_code for _ in range(4)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert codes == [200, 200, 200, 429]
