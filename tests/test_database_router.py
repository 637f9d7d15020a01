"""Which database each request reads (tracker/core/replica.py), decided without a replica: who
asks, whether the replica holds the data version, what a write leaves behind. The same rules
against a real streaming replica: tests/test_replica.py."""

import os
import time
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, OperationalError
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from policies.models import Policy
from tracker.core import replica
from tracker.core.freshness import Version

factory = RequestFactory()


def asking(method="get", path="/policies/", *, user=None, **extra):
    request = getattr(factory, method)(path, **extra)
    request.user = user or AnonymousUser()
    return request


class SignedIn(AnonymousUser):
    @property
    def is_authenticated(self):  # type: ignore[override]
        return True


def test_an_anonymous_readers_get_of_a_public_page_may_read_the_replica():
    assert replica.reads_replica(asking())
    assert replica.reads_replica(asking("head", "/api/v1/policies/"))


@pytest.mark.parametrize(
    ("request_", "why"),
    [
        (lambda: asking("post"), "a write"),
        (lambda: asking("put", "/api/v1/policies/1/"), "a write"),
        (lambda: asking("delete", "/api/v1/policies/1/"), "a write"),
        (lambda: asking("get", "/admin/policies/policy/"), "the admin"),
        (lambda: asking(user=SignedIn()), "a signed-in curator"),
        (lambda: asking(HTTP_AUTHORIZATION="Token abc"), "an API token"),
    ],
)
def test_writes_the_admin_and_whoever_is_signed_in_read_the_primary(request_, why):
    assert not replica.reads_replica(request_()), why


def test_a_reader_who_wrote_lately_reads_the_primary_until_the_sticky_time_passes(settings):
    request = asking()
    request.COOKIES[replica.COOKIE] = cookie_of_a_write(seconds_ago=1)
    assert not replica.reads_replica(request)
    request.COOKIES[replica.COOKIE] = cookie_of_a_write(
        seconds_ago=settings.DATABASE_REPLICA_STICKY_SECONDS + 1
    )
    assert replica.reads_replica(request)


def test_a_forged_write_cookie_counts_for_nothing():
    request = asking()
    request.COOKIES[replica.COOKIE] = "1"
    assert replica.reads_replica(request)


def versions(primary: int, replica_: int | Exception):
    def current(*, using=None):
        found = primary if using == DEFAULT_DB_ALIAS else replica_
        if isinstance(found, Exception):
            raise found
        return Version(found, None)

    return mock.patch("tracker.core.freshness.current", side_effect=current)


@pytest.mark.parametrize(
    ("primary", "replica_", "served"), [(7, 7, True), (7, 8, True), (7, 6, False)]
)
def test_the_replica_serves_a_request_only_while_it_holds_the_primarys_data_version(
    primary, replica_, served
):
    with versions(primary, replica_):
        assert replica.caught_up() is served


def test_a_replica_that_cannot_answer_counts_as_behind_and_is_logged(caplog):
    with versions(7, OperationalError("connection refused")):
        assert not replica.caught_up()
    assert "connection refused" in caplog.text


def reads_during(request, respond=lambda: HttpResponse("page")):
    """Where the view's reads went, and the response."""
    seen = []

    def view(_):
        seen.append(replica.reading())
        return respond()

    response = replica.ReplicaMiddleware(view)(request)
    return seen, response


def cookie_of_a_write(*, seconds_ago: int) -> str:
    """The cookie the answer to a write set `seconds_ago`."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds_ago):
        _, response = reads_during(asking("post"))
    return response.cookies[replica.COOKIE].value


def test_the_middleware_sends_a_public_read_to_the_replica_and_nothing_after_it():
    with versions(3, 3):
        seen, response = reads_during(asking())
    assert seen == [replica.REPLICA]
    assert replica.reading() == DEFAULT_DB_ALIAS
    assert replica.COOKIE not in response.cookies


def test_the_middleware_sends_a_read_to_the_primary_while_the_replica_lags():
    with versions(4, 3):
        seen, _ = reads_during(asking())
    assert seen == [DEFAULT_DB_ALIAS]


def test_a_streamed_export_reads_its_rows_where_its_request_read():
    def rows():
        yield replica.reading().encode()
        yield replica.reading().encode()

    with versions(3, 3):
        _, response = reads_during(asking(), lambda: StreamingHttpResponse(rows()))
    assert replica.reading() == DEFAULT_DB_ALIAS
    assert b"".join(response.streaming_content) == b"replicareplica"
    assert replica.reading() == DEFAULT_DB_ALIAS


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_write_sets_a_signed_cookie_that_sends_its_writer_to_the_primary(method, settings):
    seen, response = reads_during(asking(method))
    assert seen == [DEFAULT_DB_ALIAS]
    cookie = response.cookies[replica.COOKIE]
    assert cookie["max-age"] == settings.DATABASE_REPLICA_STICKY_SECONDS
    assert cookie["httponly"]
    later = asking()
    later.COOKIES[replica.COOKIE] = cookie.value
    assert not replica.reads_replica(later)


@pytest.mark.django_db
def test_a_primary_that_cannot_answer_the_data_version_is_the_503_page(client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tracker.core.replica.ReplicaMiddleware"]
    settings.DATABASE_ROUTERS = ["tracker.core.replica.ReplicaRouter"]
    with versions(OperationalError("the primary is gone"), 3):
        response = client.get("/policies/")
    assert response.status_code == 503
    assert response["Retry-After"]


def test_a_request_that_reads_nothing_asks_neither_database():
    with versions(3, 3) as current:
        response = replica.ReplicaMiddleware(lambda _: HttpResponse("schema"))(asking())
    assert response.status_code == 200
    assert not current.called


def test_the_router_reads_where_the_request_reads_and_writes_on_the_primary():
    router = replica.ReplicaRouter()
    assert router.db_for_read(Policy) == DEFAULT_DB_ALIAS
    with versions(3, 3):
        seen = []

        def view(_):
            seen.append((router.db_for_read(Policy), router.db_for_read(Session)))
            seen.append(router.db_for_write(Policy))
            return HttpResponse()

        replica.ReplicaMiddleware(view)(asking())
    # Sessions (and accounts, tokens, lockouts) are read on the primary: a login counts at once.
    assert seen == [(replica.REPLICA, DEFAULT_DB_ALIAS), DEFAULT_DB_ALIAS]


def test_nothing_migrates_the_replica():
    router = replica.ReplicaRouter()
    assert not router.allow_migrate(replica.REPLICA, "policies")
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "policies")


@pytest.mark.skipif(bool(os.environ.get("DATABASE_REPLICA_URL")), reason="a replica is set")
def test_without_a_replica_there_is_no_replica_alias_router_or_middleware(settings):
    assert replica.REPLICA not in settings.DATABASES
    assert not getattr(settings, "DATABASE_ROUTERS", [])
    assert "tracker.core.replica.ReplicaMiddleware" not in settings.MIDDLEWARE
