"""The read replica, for real: a PostgreSQL streaming replica of the test database's cluster.

Run with DATABASE_URL on the primary and DATABASE_REPLICA_URL on a replica of it (start one with
`scripts/replica.sh start`; docs/operations.md, "A read replica"). They skip without a replica,
except in CI, where .ci/run starts one and runs them (`-m replica`). The replica's alias mirrors
the primary's test database (`TEST["MIRROR"]`): the database pytest-django creates on the primary
reaches the replica by replay, as every row does once committed; so these tests are
transactional (rows in an open test transaction never reach the replica), and each waits for the
replica to replay what it wrote before it reads. Pausing replay (`pg_wal_replay_pause()`) needs a
superuser on the replica: `postgres` on its host and port unless DATABASE_REPLICA_SUPERUSER_URL
says otherwise.
"""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from policies.models import Policy
from tests import factories as make
from tests.test_database_router import cookie_of_a_write
from tracker.core import freshness, replica
from tracker.core.models import PublicChange

REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
MISSING = (
    "DATABASE_REPLICA_URL is not set: start a replica with scripts/replica.sh start and set it "
    "(docs/operations.md, A read replica)"
)
# How long the replica may take to replay what a test wrote (it takes milliseconds).
REPLAY_WAIT_SECONDS = 30

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(not REPLICA_URL and not os.environ.get("CI"), reason=MISSING),
    # Without the alias (in CI, by mistake), `a_real_replica` says what is missing.
    pytest.mark.django_db(
        transaction=True, databases=["default", replica.REPLICA] if REPLICA_URL else ["default"]
    ),
]


@pytest.fixture(autouse=True)
def a_real_replica():
    """In CI, no replica is a failure, not a skip."""
    if not REPLICA_URL:
        pytest.fail(f"{MISSING}, and CI must run the replica tests.")


@contextmanager
def superuser_on_replica() -> Iterator[psycopg.Connection]:
    found = connections[replica.REPLICA].settings_dict
    url = os.environ.get(
        "DATABASE_REPLICA_SUPERUSER_URL",
        f"postgres://postgres@{found['HOST']}:{found['PORT']}/postgres",
    )
    with psycopg.connect(url, autocommit=True) as admin:
        yield admin


def replayed() -> None:
    """Wait until the replica has replayed all that the primary has written so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    with superuser_on_replica() as admin:
        deadline = time.monotonic() + REPLAY_WAIT_SECONDS
        while time.monotonic() < deadline:
            found = admin.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written]
            ).fetchone()
            if found and found[0]:
                return
            time.sleep(0.02)
    pytest.fail(f"The replica did not replay the primary's writes in {REPLAY_WAIT_SECONDS} s.")


@contextmanager
def replay_paused() -> Iterator[None]:
    """The replica receives the primary's writes meanwhile but applies none: it lags."""
    with superuser_on_replica() as admin:
        admin.execute("SELECT pg_wal_replay_pause()")
        try:
            deadline = time.monotonic() + REPLAY_WAIT_SECONDS
            while time.monotonic() < deadline:
                state = admin.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()
                if state and state[0] == "paused":
                    break
                time.sleep(0.02)
            yield
        finally:
            admin.execute("SELECT pg_wal_replay_resume()")


@contextmanager
def queries() -> Iterator[tuple[list[str], list[str]]]:
    """The statements run on the primary and on the replica meanwhile, in that order."""
    on_primary = CaptureQueriesContext(connections["default"])
    on_replica = CaptureQueriesContext(connections[replica.REPLICA])
    primary: list[str] = []
    replica_: list[str] = []
    with on_primary, on_replica:
        yield primary, replica_
    primary += [q["sql"] for q in on_primary.captured_queries if not _setting(q["sql"])]
    replica_ += [q["sql"] for q in on_replica.captured_queries if not _setting(q["sql"])]


def _setting(sql: str) -> bool:
    # Savepoints and session settings (search's time limit) are not reads.
    return sql.upper().startswith(("SAVEPOINT", "RELEASE", "SET", "SELECT SET_CONFIG"))


def only_the_data_version(statements: list[str]) -> bool:
    return len(statements) == 1 and DATA_VERSION in statements[0]


DATA_VERSION = '"tracker_dataversion"'


@pytest.fixture
def strategy():
    policy = make.published_policy(title="Replicated strategy")
    make.cite(policy)
    freshness.record([(Policy, policy.pk, PublicChange.Change.PUBLISHED)])
    replayed()
    return policy


# Each public read, and what it shows of the strategy.
PUBLIC_READS = {
    "/policies/{slug}/": "Replicated strategy",
    "/policies/": "Replicated strategy",
    "/search/?q=Replicated": "Replicated",
    "/api/v1/policies/": "Replicated strategy",
    "/api/v1/policies/{id}/": "Replicated strategy",
}


def test_an_anonymous_readers_pages_api_and_search_are_read_from_the_replica(client, strategy):
    for address, shown in PUBLIC_READS.items():
        with queries() as (primary, replica_):
            response = client.get(address.format(slug=strategy.slug, id=strategy.pk))
        assert response.status_code == 200, address
        assert shown in response.content.decode(), address
        # The primary is asked only for the data version, to see that the replica holds it.
        assert only_the_data_version(primary), address
        assert any('"policies_policy"' in sql for sql in replica_), address


def test_a_streamed_export_reads_its_rows_on_the_replica_while_it_is_sent(client, strategy):
    with queries() as (primary, replica_):
        response = client.get("/api/v1/policies/csv/")
        body = b"".join(response.streaming_content)
    assert b"Replicated strategy" in body
    assert only_the_data_version(primary)
    assert any('"policies_policy"' in sql for sql in replica_)


def test_the_admin_and_a_signed_in_editor_read_the_primary(client, strategy, superuser):
    client.force_login(superuser)
    for address in ("/admin/", f"/policies/{strategy.slug}/", "/api/v1/policies/"):
        with queries() as (primary, replica_):
            response = client.get(address)
        assert response.status_code == 200, address
        assert replica_ == [], address
        assert primary


def test_a_curator_who_just_signed_out_reads_the_primary_until_the_sticky_time_passes(
    client, strategy, superuser, settings
):
    signed_in = client.post(
        "/admin/login/", {"username": superuser.username, "password": "x-9-long-pass"}
    )
    assert signed_in.status_code == 302
    assert replica.COOKIE in signed_in.cookies
    client.post("/admin/logout/")
    with queries() as (_, replica_):
        page = client.get(f"/policies/{strategy.slug}/")
    assert page.status_code == 200
    assert replica_ == []
    # DATABASE_REPLICA_STICKY_SECONDS after the write, the replica serves them again.
    client.cookies[replica.COOKIE] = cookie_of_a_write(
        seconds_ago=settings.DATABASE_REPLICA_STICKY_SECONDS + 1
    )
    with queries() as (primary, replica_):
        client.get(f"/policies/{strategy.slug}/")
    # The page the primary built is in the page cache: the replica gives its data version.
    assert only_the_data_version(primary)
    assert replica_


def test_a_page_asked_while_the_replica_lags_is_built_from_the_primary_never_cached_stale(
    client, strategy
):
    address = f"/policies/{strategy.slug}/"
    before = client.get(address)
    with replay_paused():
        Policy.objects.filter(pk=strategy.pk).update(title="Strategy amended while it lags")
        freshness.advance()
        with queries() as (primary, replica_):
            lagging = client.get(address)
        # The replica was asked for its data version only, found behind, and served nothing.
        assert only_the_data_version(replica_)
        assert any('"policies_policy"' in sql for sql in primary)
        assert "Strategy amended while it lags" in lagging.text
        assert lagging["ETag"] != before["ETag"]
        # What the page cache keeps under the new version is the new page.
        again = client.get(address)
        assert "Strategy amended while it lags" in again.text
        assert again["ETag"] == lagging["ETag"]
    replayed()
    with queries() as (primary, replica_):
        caught_up = client.get(address, headers={"Cache-Control": "no-cache"})
    assert only_the_data_version(primary)
    assert "Strategy amended while it lags" in caught_up.text
    assert caught_up["ETag"] == lagging["ETag"]


def test_once_replay_resumes_the_replica_builds_the_new_page(client, strategy):
    address = f"/policies/{strategy.slug}/"
    with replay_paused():
        Policy.objects.filter(pk=strategy.pk).update(title="Strategy amended, then replayed")
        freshness.advance()
    replayed()
    with queries() as (primary, replica_):
        page = client.get(address)
    assert only_the_data_version(primary)
    assert any('"policies_policy"' in sql for sql in replica_)
    assert "Strategy amended, then replayed" in page.text


def test_an_api_read_while_the_replica_lags_carries_the_new_version_and_the_new_data(
    client, strategy
):
    before = client.get(f"/api/v1/policies/{strategy.pk}/")
    with replay_paused():
        Policy.objects.filter(pk=strategy.pk).update(title="Strategy amended for the API")
        freshness.advance()
        with queries() as (_, replica_):
            lagging = client.get(f"/api/v1/policies/{strategy.pk}/")
        assert only_the_data_version(replica_)
    assert lagging.json()["title"] == "Strategy amended for the API"
    assert lagging["ETag"] != before["ETag"]
