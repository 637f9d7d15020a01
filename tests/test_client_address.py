"""The client's address comes from one setting, TRUSTED_PROXY_COUNT, and one function,
tracker.core.addresses.client_address: the API throttle and the login lockout both count by it, so a
made-up X-Forwarded-For escapes neither.

With no trusted proxy (the default) X-Forwarded-For is ignored and the connection's address
counts; with N trusted proxies, the Nth address from the right of X-Forwarded-For, the one the
outermost trusted proxy added.
"""

import logging

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from tracker.core.addresses import ClientAddressFilter, client_address

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the proxy's own address, as the application server sees it
LOGIN = "/admin/login/?next=/admin/"


def request_from(remote_addr, forwarded_for=None):
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)


@pytest.fixture
def small_api_budget():
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/hour"}
    yield 3
    AnonRateThrottle.THROTTLE_RATES = original


def api_get(remote_addr, forwarded_for):
    return Client(REMOTE_ADDR=remote_addr).get(
        reverse("api:jurisdiction-list"), headers={"x-forwarded-for": forwarded_for}
    )


def sign_in(remote_addr, forwarded_for, password="wrong password"):
    return Client(REMOTE_ADDR=remote_addr).post(
        LOGIN,
        {"username": "editor", "password": password},
        headers={"x-forwarded-for": forwarded_for},
    )


def test_it_trusts_no_proxy_by_default():
    assert settings.TRUSTED_PROXY_COUNT == 0


def test_without_a_trusted_proxy_it_ignores_x_forwarded_for(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_it_takes_the_address_the_proxy_added(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = request_from(PROXY, "198.51.100.1, 198.51.100.2, 203.0.113.9")
    assert client_address(spoofed) == "203.0.113.9"


def test_behind_two_proxies_it_takes_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from(PROXY, "198.51.100.1, 203.0.113.9, 10.0.0.1")) == (
        "203.0.113.9"
    )


def test_behind_a_proxy_that_added_nothing_it_takes_the_connection_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(PROXY)) == PROXY
    assert client_address(request_from(PROXY, "")) == PROXY


def test_a_forwarded_address_that_is_not_an_address_counts_as_the_proxy(settings):
    # Nobody escapes the budget by making the trusted entry unreadable: it falls back to the
    # proxy's address, which every such request then shares.
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(PROXY, "198.51.100.1, not-an-address")) == PROXY


@pytest.mark.parametrize("trusted", [0, 1])
def test_a_new_x_forwarded_for_on_each_request_does_not_escape_the_api_limit(
    settings, small_api_budget, trusted
):
    settings.TRUSTED_PROXY_COUNT = trusted
    # With a proxy, the proxy appends the real client's address; the rest is the client's own.
    real = "203.0.113.9"
    codes = [
        api_get(
            PROXY if trusted else real, f"198.51.100.{n}" + (f", {real}" if trusted else "")
        ).status_code
        for n in range(small_api_budget + 20)
    ]
    assert codes == [200] * small_api_budget + [429] * 20


def test_behind_a_proxy_two_clients_have_a_budget_each(settings, small_api_budget):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(small_api_budget):
        assert api_get(PROXY, "203.0.113.9").status_code == 200
    assert api_get(PROXY, "203.0.113.9").status_code == 429
    assert api_get(PROXY, "203.0.113.10").status_code == 200


@pytest.mark.parametrize("trusted", [0, 1])
def test_a_new_x_forwarded_for_on_each_attempt_does_not_escape_the_login_lockout(
    settings, editor, trusted
):
    settings.TRUSTED_PROXY_COUNT = trusted
    real = "203.0.113.9"

    def attempt(n, password="wrong password"):
        forwarded = f"198.51.100.{n}" + (f", {real}" if trusted else "")
        return sign_in(PROXY if trusted else real, forwarded, password)

    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(n).status_code == 200
    assert attempt(90).status_code == 429
    assert attempt(91, password="x-9-long-pass").status_code == 429


def test_behind_a_proxy_a_lockout_holds_one_client_and_not_another(settings, editor):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(PROXY, "203.0.113.9")
    assert sign_in(PROXY, "203.0.113.9", password="x-9-long-pass").status_code == 429
    assert sign_in(PROXY, "203.0.113.10", password="x-9-long-pass").status_code == 302


def test_a_requests_log_lines_name_the_client_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Gone", (), None)
    record.request = request_from(PROXY, "198.51.100.1, 203.0.113.9")
    assert ClientAddressFilter().filter(record)
    assert record.client == "203.0.113.9"
    assert "[203.0.113.9]" in logging.Formatter(
        settings.LOGGING["formatters"]["plain"]["format"]
    ).format(record)


def test_a_log_line_about_no_request_names_no_client():
    record = logging.LogRecord("tracker", logging.INFO, __file__, 1, "Loaded", (), None)
    ClientAddressFilter().filter(record)
    assert record.client == "-"
