"""A read replica: the public's reads go to it, everything else to the primary.

With DATABASE_REPLICA_URL set, the settings add the database alias `replica` (a streaming
replica of `default`), name `ReplicaRouter` in DATABASE_ROUTERS and put `ReplicaMiddleware`
right after the authentication middleware. Without it none of that exists and every query goes
to `default`, as before.

Which requests read the replica (`reads_replica`): a GET or a HEAD, outside the admin, from a
reader who is not signed in (no session user, no Authorization header) and has not written in
the last DATABASE_REPLICA_STICKY_SECONDS. That covers the public pages, the feeds, search, the
API's reads, its exports and the data package. Every response to a POST, PUT, PATCH or DELETE
(a login, a reader's correction, an API transition) sets a signed cookie that sends its client's
reads to the primary that long: read-your-writes for whoever wrote, and curators, being signed
in, always read the primary. Whatever runs outside a request (a management command, the shell,
a worker) reads the primary: the router sends a read to the replica only while a request the
middleware let through is being answered. Writes always go to the primary, and so do the reads
of sessions, accounts, API tokens and login lockouts (`PRIMARY_APPS`): a login counts at once.

The lag rule, which keeps the promise that nobody gets a page older than a data version already
promised: every public cache key, ETag and Last-Modified derives from the data version
(tracker.core.freshness), which a request reads on the database it reads its data from. Before
a request is let onto the replica, `caught_up` reads the version on the primary, then on the
replica; a replica behind the primary serves none of this request, which reads the primary
instead, and so caches and tags what it built under the version it was built from. The replica
only moves forward: a request let through reads a version, and data, at least as new as the
primary's when it started. A replica that cannot be reached counts as behind (and is logged).
"""

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError
from django.db.models import Model
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse

from tracker.core import freshness

log = logging.getLogger(__name__)

REPLICA = "replica"
# The signed cookie a write sets: its value says nothing, its signature's age is what counts.
COOKIE = "tracker_wrote"
READS = frozenset({"GET", "HEAD"})
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Read on the primary whatever the request: who is signed in, with which token, locked out.
PRIMARY_APPS = frozenset({"admin", "auth", "authtoken", "axes", "sessions"})


class Route:
    """Where one request reads, decided at its first read (`reads_replica`, then `caught_up`):
    a request that reads nothing, or only who is signed in, asks neither database anything
    more, and a database that cannot answer fails the read the view made, which the
    availability middleware turns into the 503 page."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.alias: str | None = None

    def __call__(self) -> str:
        if self.alias is None:
            # Meanwhile (who is signed in, the two data versions) the primary answers.
            self.alias = DEFAULT_DB_ALIAS
            try:
                replica = reads_replica(self.request) and caught_up()
            except Exception:
                self.alias = None  # the next read tries again
                raise
            self.alias = REPLICA if replica else DEFAULT_DB_ALIAS
        return self.alias


_route: ContextVar[Route | None] = ContextVar("tracker_route", default=None)


class ReplicaRouter:
    """Reads go where the request being answered reads (the primary outside a request)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if model._meta.app_label in PRIMARY_APPS:
            return DEFAULT_DB_ALIAS
        return reading()

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool:
        # The same rows, read from either server.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica follows the primary's migrations; nothing migrates it.
        return db != REPLICA


def reading() -> str:
    """The alias the reads of the request being answered go to; the primary outside one."""
    route = _route.get()
    return route() if route is not None else DEFAULT_DB_ALIAS


@functools.cache
def _admin_prefix() -> str:
    return reverse("admin:index")


def wrote_lately(request: HttpRequest) -> bool:
    """Whether this client wrote in the last DATABASE_REPLICA_STICKY_SECONDS (the cookie)."""
    found = request.get_signed_cookie(
        COOKIE, default=None, salt=COOKIE, max_age=settings.DATABASE_REPLICA_STICKY_SECONDS
    )
    return found is not None


def reads_replica(request: HttpRequest) -> bool:
    """Whether `request` is a public read that the replica may serve, as far as who asks goes;
    `caught_up` decides whether it does."""
    return (
        request.method in READS
        and not request.path_info.startswith(_admin_prefix())
        and "HTTP_AUTHORIZATION" not in request.META
        and not wrote_lately(request)
        and not request.user.is_authenticated
    )


def caught_up() -> bool:
    """Whether the replica holds the primary's data version (or a later one), read in that
    order: the primary's first, so that a publication in between cannot pass for replayed."""
    promised = freshness.current(using=DEFAULT_DB_ALIAS)
    try:
        held = freshness.current(using=REPLICA)
    except OperationalError as exc:
        log.warning("The replica could not answer; this request reads the primary: %s", exc)
        return False
    return held.number >= promised.number


def _routed[T](route: Route, chunks: Iterable[T]) -> Iterator[T]:
    """`chunks`, each read by `route`: a streamed export reads its rows after the view returns."""
    iterator = iter(chunks)
    while True:
        token = _route.set(route)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _route.reset(token)
        yield chunk


class ReplicaMiddleware:
    """Routes each request's reads (`Route`) and marks each write's client to read the primary
    for a while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        route = Route(request)
        token = _route.set(route)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(token)
        if request.method in WRITES:
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=COOKIE,
                max_age=settings.DATABASE_REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        if isinstance(response, StreamingHttpResponse):
            # Under WSGI a streamed body is a plain iterator; only an ASGI stream is async.
            chunks = cast(Iterator[bytes], response.streaming_content)
            response.streaming_content = _routed(route, chunks)
        return response
