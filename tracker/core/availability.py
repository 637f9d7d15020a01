"""When the database cannot answer: web requests wait for it a bounded time, then say so.

A database that hangs, refuses or holds a lock must cost a reader seconds, not a worker. So:

- connecting gives up after DATABASE_CONNECT_TIMEOUT seconds (settings, every process);
- on PostgreSQL, one statement of a web request may run DATABASE_STATEMENT_TIMEOUT_MS, or
  DATABASE_ADMIN_STATEMENT_TIMEOUT_MS under /admin/ (curators' saves and long lists); the
  connection (the read replica's too, when there is one) is set up for the request before
  its first statement, so a connection kept alive by CONN_MAX_AGE serves each request with
  that request's limit. Management commands (migrations, loads, benchmarks) pass through no
  request and run unbounded. Search sets its own, shorter limit for its savepoint
  (tracker/site/search.py) and is unaffected;
- a database that cannot answer (OperationalError: refused, hung past the connect timeout, a
  statement cancelled, "database is locked" on SQLite; InterfaceError: a connection gone) is a
  503 page with Retry-After, whichever view or template ran into it, logged with what the
  driver said. The reader sees no host, port or role. Other database errors are bugs and stay
  500s.

`/healthz` has its own, shorter deadline: `database_problem`.
"""

import contextlib
import functools
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import psycopg
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

from tracker.core import freshness

log = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError)
# An outage worth a 503 is usually a restart or a failover: half a minute, then try again.
RETRY_AFTER_SECONDS = 30
MESSAGE = "The site is briefly unavailable: its database is not answering. Try again in a minute."


@functools.cache
def _prefixes() -> tuple[str, str]:
    return reverse("admin:index"), reverse("api:api-root")


def statement_timeout_ms(request: HttpRequest) -> int:
    admin, _ = _prefixes()
    if request.path_info.startswith(admin):
        return settings.DATABASE_ADMIN_STATEMENT_TIMEOUT_MS
    return settings.DATABASE_STATEMENT_TIMEOUT_MS


class _StatementTimeout:
    """An execute wrapper: before the request's first statement, set its statement_timeout;
    `lift` takes it off again once the response is sent, so that whatever else uses the
    connection outside a request (a test, a command in the same process) runs unbounded.

    Set through the driver, like Django's own session settings (the time zone): it is how the
    connection serves this request, not one of the page's queries. At the first statement
    rather than at the start of the request, so a request that reads nothing opens nothing.
    """

    def __init__(self, milliseconds: int) -> None:
        self.milliseconds = int(milliseconds)
        self.raw: psycopg.Connection[Any] | None = None

    def __call__(
        self,
        execute: Callable[[str, Any, bool, dict[str, Any]], Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        if self.raw is None:
            self.raw = context["connection"].connection
            self.raw.execute(f"SET statement_timeout = {self.milliseconds}")
        return execute(sql, params, many, context)

    def lift(self) -> None:
        if self.raw is None or self.raw.closed:
            return
        # In a transaction an error aborted, this fails; the rollback undoes the SET as well.
        with contextlib.suppress(psycopg.Error):
            self.raw.execute("SET statement_timeout TO DEFAULT")


def _then[T](chunks: Iterable[T], finish: Callable[[], object]) -> Iterator[T]:
    try:
        yield from chunks
    finally:
        finish()


class DatabaseAvailabilityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # The primary's connection, and the read replica's when there is one.
        bounded = [connections[alias] for alias in connections]
        bounded = [each for each in bounded if each.vendor == "postgresql"]
        if not bounded:
            return self.get_response(request)
        limits = [_StatementTimeout(statement_timeout_ms(request)) for _ in bounded]
        with contextlib.ExitStack() as stack:
            for each, limit in zip(bounded, limits, strict=True):
                stack.enter_context(each.execute_wrapper(limit))
            response = self.get_response(request)

        def lift() -> None:
            for limit in limits:
                limit.lift()

        if isinstance(response, StreamingHttpResponse):
            # An export reads its rows while it is sent, after this returns: under the limit.
            # Under WSGI its content is a plain iterator; only an ASGI stream is an async one.
            chunks = cast(Iterator[bytes], response.streaming_content)
            response.streaming_content = _then(chunks, lift)
        else:
            lift()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UNAVAILABLE):
            return unavailable(request, exception)
        return None


def unavailable(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 503 for a request the database could not serve; the details go to the log only."""
    log.error(
        "The database (%s) could not serve %s %s: %s",
        database_target(),
        request.method,
        request.path,
        exception,
        exc_info=exception,
        extra={"request": request, "status_code": 503},
    )
    _, api = _prefixes()
    response: HttpResponse
    if request.path_info.startswith(api):
        response = JsonResponse({"detail": MESSAGE}, status=503)
    else:
        response = render(request, "tracker/unavailable.html", {"message": MESSAGE}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def database_target() -> str:
    """Which database the site talks to, for the operator's log (never the password)."""
    found = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(found["NAME"])
    return f"{found['USER']}@{found['HOST']}:{found['PORT']}/{found['NAME']}"


def database_problem(*, within_ms: int) -> str | None:
    """None when a new connection reads the public data version within `within_ms`, else what
    went wrong, for the log.

    It reads what every public page reads first (tracker.core.freshness), so a lock on that table
    shows here too. It runs in a thread of its own, on a connection of its own: the connect
    timeout cannot be shorter than two seconds (libpq's floor), and the answer must not wait
    for it. A probe still waiting when the deadline passes ends by itself at the connect or
    statement timeout.
    """
    outcome: queue.SimpleQueue[str | None] = queue.SimpleQueue()

    def probe() -> None:
        try:
            if connection.vendor == "postgresql" and within_ms:
                with connection.cursor() as cursor:
                    cursor.execute(f"SET statement_timeout = {int(within_ms)}")
            freshness.current()
            outcome.put(None)
        except DatabaseError as exc:
            outcome.put(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threading.Thread(target=probe, name="healthz-probe", daemon=True).start()
    try:
        return outcome.get(timeout=within_ms / 1000 if within_ms else None)
    except queue.Empty:
        return f"no answer within {within_ms} ms"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when a new connection reads the public data version within HEALTHZ_TIMEOUT_MS; else
    503, naming no host, port or role (anyone may ask): the log has the details."""
    problem = database_problem(within_ms=settings.HEALTHZ_TIMEOUT_MS)
    if problem is not None:
        log.error("healthz: the database (%s) did not answer: %s", database_target(), problem)
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
