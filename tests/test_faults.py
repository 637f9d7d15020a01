"""A database that hangs, refuses or is locked makes the site answer 503 quickly (a page saying
it is briefly unavailable, with Retry-After), never a hung worker and never a 500.

The hung database is real: a loopback server that accepts connections and never answers,
given to a separate process as its DATABASE_URL. The lock is real too, on PostgreSQL: a second
connection holds ACCESS EXCLUSIVE on a table every public page reads.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.db import IntegrityError, OperationalError, connection

ROOT = Path(__file__).resolve().parent.parent

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statement timeouts are PostgreSQL's"
)

# What a driver's message may hold and the public must not see.
SECRET_HOST, SECRET_ROLE, SECRET_PORT = "db-7.internal.example", "tracker_owner", "6543"
DRIVER_MESSAGE = (
    f'connection to server at "{SECRET_HOST}" (10.9.8.7), port {SECRET_PORT} failed: '
    f'FATAL: password authentication failed for user "{SECRET_ROLE}"'
)


def database_down():
    return mock.patch(
        "tracker.core.freshness.current", side_effect=OperationalError(DRIVER_MESSAGE)
    )


@pytest.mark.django_db
def test_a_page_whose_database_fails_is_a_503_saying_the_site_is_briefly_unavailable(client):
    with database_down():
        response = client.get("/commitments/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "briefly unavailable" in response.text
    assert "no-store" in response["Cache-Control"]
    for secret in (SECRET_HOST, SECRET_ROLE, SECRET_PORT, "10.9.8.7"):
        assert secret not in response.text


@pytest.mark.django_db
def test_an_api_read_whose_database_fails_is_a_503_in_json(client):
    with mock.patch(
        "tracker.api.views.JurisdictionViewSet.get_queryset",
        side_effect=OperationalError(DRIVER_MESSAGE),
    ):
        response = client.get("/api/v1/jurisdictions/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "briefly unavailable" in response.json()["detail"]
    assert SECRET_HOST not in response.text


@pytest.mark.django_db
def test_the_503_is_logged_with_what_the_driver_said(client, caplog):
    with database_down():
        client.get("/commitments/")
    assert DRIVER_MESSAGE in caplog.text


@pytest.mark.django_db
def test_a_bug_that_breaks_a_constraint_is_still_a_500_not_an_outage(client):
    # Only a database that cannot answer is "briefly unavailable"; a refused write is a bug.
    client.raise_request_exception = False
    with mock.patch("tracker.core.freshness.current", side_effect=IntegrityError("duplicate key")):
        assert client.get("/commitments/").status_code == 500


# -- a database that accepts connections and never answers -------------------------------


class SilentServer:
    """Listens on loopback, accepts every connection and never sends a byte."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.held = []
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self):
        while True:
            try:
                peer, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(peer)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.listener.close()
        for peer in self.held:
            peer.close()


# The three requests wait at once, each in its own thread (a server's threads would too), so
# the suite waits out the timeouts once rather than three times.
REQUESTS = """
import json, time, django
from concurrent.futures import ThreadPoolExecutor
django.setup()
from django.test import Client
Client().get("/nothing-here/")  # loads the URLs and middleware, as a worker's first request does
def answer(path):
    started = time.monotonic()
    response = Client().get(path)
    return path, {
        "status": response.status_code,
        "seconds": time.monotonic() - started,
        "body": response.content.decode(),
        "retry_after": response.get("Retry-After"),
    }
paths = ("/healthz", "/commitments/", "/api/v1/commitments/")
with ThreadPoolExecutor(len(paths)) as pool:
    print(json.dumps(dict(pool.map(answer, paths))))
"""

CONNECT_TIMEOUT = 2  # libpq's (and psycopg's) smallest


@pytest.fixture(scope="module")
def against_a_hung_database():
    with SilentServer() as server:
        environment = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ENV")
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="tracker.settings",
            DATABASE_URL=f"postgres://{SECRET_ROLE}:pw@127.0.0.1:{server.port}/tracker",
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
            DEBUG="false",
        )
        result = subprocess.run(
            [sys.executable, "-c", REQUESTS],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1]), server.port, result.stderr


def test_healthz_answers_503_within_two_seconds_when_the_database_never_answers(
    against_a_hung_database,
):
    answers, _, _ = against_a_hung_database
    health = answers["/healthz"]
    assert health["status"] == 503
    assert health["seconds"] < 2


@pytest.mark.parametrize("path", ["/commitments/", "/api/v1/commitments/"])
def test_pages_answer_503_after_the_connect_timeout_when_the_database_never_answers(
    against_a_hung_database, path
):
    answers, _, _ = against_a_hung_database
    assert answers[path]["status"] == 503
    assert answers[path]["seconds"] < CONNECT_TIMEOUT + 1.5
    assert int(answers[path]["retry_after"]) > 0


def test_no_answer_to_a_hung_database_names_its_host_port_or_role(against_a_hung_database):
    answers, port, log = against_a_hung_database
    for answer in answers.values():
        for secret in ("127.0.0.1", str(port), SECRET_ROLE):
            assert secret not in answer["body"]
    assert str(port) in log  # the operator reads it in the log instead


# -- a table locked by another connection (PostgreSQL) -----------------------------------


@contextlib.contextmanager
def access_exclusive_lock(table):
    """Another session holds ACCESS EXCLUSIVE on `table` until the block ends."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other:
        other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield
        other.rollback()


@pytest.fixture
def locked_data_version(transactional_db):
    """The table every public page reads first (tracker.core.freshness), locked."""
    with access_exclusive_lock("tracker_dataversion"):
        yield


@on_postgresql
@pytest.mark.parametrize("path", ["/commitments/", "/api/v1/commitments/", "/"])
def test_a_page_waiting_on_a_locked_table_answers_503_at_the_statement_timeout(
    client, settings, locked_data_version, path
):
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 300
    started = time.monotonic()
    response = client.get(path)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert elapsed < 1.5


def statement_timeouts_seen(client, path):
    """The statement_timeout each statement of the request to `path` ran under."""
    seen = []

    def observe(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        raw = context["connection"].connection
        seen.append(raw.execute("SHOW statement_timeout").fetchone()[0])
        return result

    with connection.execute_wrapper(observe):
        assert client.get(path).status_code == 200
    return set(seen)


@on_postgresql
def test_public_requests_and_the_admin_each_run_under_their_own_statement_timeout(
    client, settings, superuser, db
):
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 4000
    settings.DATABASE_ADMIN_STATEMENT_TIMEOUT_MS = 30000
    assert statement_timeouts_seen(client, "/commitments/") == {"4s"}
    assert statement_timeouts_seen(client, "/api/v1/commitments/") == {"4s"}
    client.force_login(superuser)
    assert statement_timeouts_seen(client, "/admin/") == {"30s"}
    # One connection, kept alive between requests (CONN_MAX_AGE): each gets its own limit.
    assert statement_timeouts_seen(client, "/commitments/") == {"4s"}


@on_postgresql
def test_a_streamed_export_reads_its_rows_under_the_request_timeout(client, settings, db):
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 4000
    seen = []

    def observe(execute, sql, params, many, context):
        raw = context["connection"].connection
        seen.append(raw.execute("SHOW statement_timeout").fetchone()[0])
        return execute(sql, params, many, context)

    response = client.get("/api/v1/commitments/csv/")
    with connection.execute_wrapper(observe):
        b"".join(response.streaming_content)
    assert seen and set(seen) == {"4s"}


@on_postgresql
def test_outside_a_request_the_connection_has_no_statement_timeout(client, db):
    # Management commands (migrations, loads, benchmarks) and tests use it so.
    client.get("/commitments/")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


@on_postgresql
def test_search_keeps_its_own_shorter_time_limit_under_the_request_timeout(client, settings, db):
    settings.SEARCH_TIMEOUT_MS = 1500
    seen = statement_timeouts_seen(client, "/search/?q=strategy")
    assert "5s" in seen  # the request's own statements
    assert any(value.endswith("ms") and int(value[:-2]) <= 1500 for value in seen)
