"""/healthz: 200 while the database answers, a quick 503 naming nothing when it does not.

The hung database (a port that accepts and never answers) is in tests/test_faults.py.
"""

import time
from unittest import mock

import pytest
from django.db import OperationalError, connection

from tests.test_faults import (
    DRIVER_MESSAGE,
    SECRET_HOST,
    SECRET_PORT,
    SECRET_ROLE,
    access_exclusive_lock,
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a lock that blocks readers is PostgreSQL's"
)


def test_it_answers_200_when_the_database_is_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_is_not(client, db):
    with mock.patch("tracker.core.freshness.current", side_effect=OperationalError(DRIVER_MESSAGE)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_its_503_names_no_host_port_or_role_and_the_log_does(client, db, caplog):
    with mock.patch("tracker.core.freshness.current", side_effect=OperationalError(DRIVER_MESSAGE)):
        response = client.get("/healthz")
    for secret in (SECRET_HOST, SECRET_PORT, SECRET_ROLE, "10.9.8.7"):
        assert secret not in response.text
    assert DRIVER_MESSAGE in caplog.text


@on_postgresql
def test_it_answers_503_within_its_deadline_while_the_data_version_is_locked(
    client, settings, transactional_db
):
    settings.HEALTHZ_TIMEOUT_MS = 500
    with access_exclusive_lock("tracker_dataversion"):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert elapsed < 1.5
    assert client.get("/healthz").status_code == 200  # and well again once the lock goes
