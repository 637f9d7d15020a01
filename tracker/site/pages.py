"""What every public page shares: cache validators, draft previews for editors, bad input.

Anonymous readers get an ETag and a Last-Modified derived from the public data version
(tracker.core.freshness), a 304 while it has not moved, and a Cache-Control that lets any cache
keep the page a short while (tracker.core.delivery). Editors (staff) bypass it: they may preview
drafts, so their pages are never cached. An unknown or unpublished entry is a 404 for everyone
else.
"""

import datetime as dt
import functools
import zlib
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from pathlib import Path
from typing import Concatenate, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.http import http_date, parse_etags, quote_etag

from policies import links
from tracker.core import delivery, freshness
from tracker.core.editorial import Curated, CuratedQuerySet


# Computed on the first public page a process serves, then kept for its life, as the import-time
# value was: code and templates change only with a deploy, which starts new processes. Walking
# the tree lazily spares every import of this module (a management command, the test run, a
# worker that serves only the API) a walk of every template and static file.
@functools.cache
def code_stamp() -> str:
    """Changes when templates, static files or this app's code change (a deploy)."""
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "static"]
    roots.append(Path(__file__).parent)
    latest = 0.0
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                latest = max(latest, path.stat().st_mtime)
    return str(latest)


# A page's cache key is its ETag, which holds the data version: a public change makes new
# keys, so nothing needs deleting and an entry only has to outlive the readers' interest in it.
PAGE_SECONDS = 60 * 60
PAGE_PREFIX = "public-page:"


def public_page[**P](
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Send an ETag and a Last-Modified derived from the data version, answer a conditional
    request with 304 while it stands (a missing page stays a 404), and serve the page from the
    cache meanwhile; never cache what editors see.

    Rendering the largest pages (a 500-commitment policy, bounded to about 300 KB) takes
    hundreds of milliseconds; readers share one rendering until the next public change. The
    cache holds each body zlib-compressed (HTML shrinks about tenfold); what leaves is compressed again on its way out, for the clients that accept it
    (tracker.core.delivery.PublicCompressionMiddleware).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if "as_of" in request.GET and not getattr(view, "honours_as_of", False):
            return not_as_of(request)
        if request.user.is_staff:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        version = freshness.current()
        # The origin too: a page may hold absolute addresses (links.on_site).
        tag = freshness.etag(
            version, code_stamp(), links.site_origin(request), request.get_full_path()
        )
        modified = freshness.last_modified(version)
        quoted, seconds = quote_etag(tag), int(modified.timestamp())
        validators = {"ETag": quoted, "Last-Modified": http_date(modified.timestamp())}
        if (unchanged := _held(request, validators, seconds)) is not None:
            return unchanged
        cached = cache.get(PAGE_PREFIX + tag)
        if cached is not None:
            headers, body = cached
            response = HttpResponse(zlib.decompress(body), headers=headers)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            # A feed sets its newest item's date, which a withdrawal would not move.
            for name, value in validators.items():
                response[name] = value
            if not response.cookies:
                # The view's own headers (Content-Type, a download's Content-Disposition) go
                # with it.
                body = zlib.compress(response.content, 1)
                cache.set(PAGE_PREFIX + tag, (dict(response.headers), body), PAGE_SECONDS)
        # Marked once it leaves the page cache: the cache keeps what the view said, and a
        # change of the settings reaches pages already cached.
        delivery.mark_for_caches(response, user=request.user)
        # Any other precondition (`If-None-Match: *`, a date, If-Match) speaks of the page as
        # it is: a missing page is a 404 whatever the request's conditions (RFC 9110 13.2.1),
        # so they are weighed once the page is known to exist.
        answer = get_conditional_response(
            request, etag=quoted, last_modified=seconds, response=response
        )
        # Given a response, Django answers with it, a 304 or a 412: never with None.
        return response if answer is None else answer

    return wrapper


def _held(request: HttpRequest, validators: dict[str, str], seconds: int) -> HttpResponse | None:
    """A 304 (or a 412) without rendering, when the client holds this very tag: only a 200 of
    this address at this data version carried it, and the same inputs make the same page, so it
    exists. It carries the page's validators and Cache-Control (RFC 9110 15.4.5)."""
    quoted = validators["ETag"]
    if not _names(request, quoted):
        return None
    page = delivery.mark_for_caches(HttpResponse(headers=validators), user=request.user)
    answer = get_conditional_response(request, etag=quoted, last_modified=seconds, response=page)
    return None if answer is page else answer


def _names(request: HttpRequest, etag: str) -> bool:
    """Whether the request's If-None-Match lists `etag` itself (not `*`)."""
    listed = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    return etag in (candidate.removeprefix("W/") for candidate in listed)


def entry_or_404[C: Curated](request: HttpRequest, queryset: QuerySet[C], **lookup: object) -> C:
    """The public entry matching `lookup`; for editors, a draft as a preview (`is_preview`)."""
    entry = queryset.filter(**lookup).first()
    preview = entry is None and request.user.is_staff
    if preview:
        # The preview relaxes the door for this entry only; its neighbours stay published-only,
        # which is how the page will look once it is published.
        # `originals()` leaves out pending edits, which share their original's slug.
        # The manager is declared on the base model, so the checker would read Curated rows from
        # it; and Django keeps a queryset's prefetches where the stubs do not look.
        originals = cast(CuratedQuerySet[C], queryset.model.objects.originals())
        entry = (
            originals.filter(**lookup)
            .prefetch_related(*queryset._prefetch_related_lookups)  # type: ignore[attr-defined]
            .first()
        )
    if entry is None:
        raise Http404("No published entry here.")
    # The templates read `is_preview` on the entry (issue 16 leaves that protocol as it is).
    entry.is_preview = preview  # type: ignore[attr-defined]
    return entry


def bad_request(
    request: HttpRequest,
    template: str,
    context: Mapping[str, object],
    errors: Mapping[str, Iterable[object]],
) -> HttpResponse:
    """The page, with the reasons its query string was refused, and status 400."""
    messages = []
    for name, problems in errors.items():
        for problem in problems:
            messages.append(f"{name}: {problem}" if name != "__all__" else str(problem))
    return render(request, template, {**context, "input_errors": messages}, status=400)


# The pages that show a status as known on an earlier day (`?as_of=`), in words for the
# refusal every other page gives.
AS_OF_PAGES = "a policy's page and a commitment's page"


def honours_as_of[V: Callable[..., HttpResponse]](view: V) -> V:
    """Mark a view as showing what was known on the query's `as_of` day: public_page refuses
    `as_of` on every other, rather than ignore it and show today's status as if of that day."""
    view.honours_as_of = True  # type: ignore[attr-defined]
    return view


def not_as_of(request: HttpRequest) -> HttpResponse:
    problem = (
        f"This page shows what is known today; only {AS_OF_PAGES} can show what was known on "
        "an earlier day. Remove as_of from the address."
    )
    query = request.GET.copy()
    query.pop("as_of")
    without = f"{request.path}?{query.urlencode()}" if query else request.path
    return bad_request(request, "tracker/refused.html", {"without": without}, {"as_of": [problem]})


def parse_as_of(value: str | None) -> tuple[dt.date | None, str | None]:
    """The "as of" day from the query string, or an error message."""
    if not value:
        return None, None
    try:
        return dt.date.fromisoformat(value), None
    except ValueError:
        return None, f"as_of: {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2019-08-01."
