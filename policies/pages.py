"""What every public page shares: cache validators, draft previews for editors, bad input.

Anonymous readers get an ETag computed from the whole dataset's state (one query), and a
304 when it has not changed. Editors (staff) bypass it: they may preview drafts, so their
pages are never cached. An unknown or unpublished entry is a 404 for everyone else.
"""

import datetime as dt
import hashlib
import zlib
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import condition

from policies import public
from sources.models import Citation
from tracker import freshness


def _code_stamp() -> str:
    """Changes when templates, static files or this app's code change (a deploy)."""
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "static"]
    roots.append(Path(__file__).parent)
    latest = 0.0
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                latest = max(latest, path.stat().st_mtime)
    return str(latest)


CODE_STAMP = _code_stamp()


def data_version() -> str:
    """The dataset's version, from the cache or `count_data_version` (see tracker.freshness)."""
    return freshness.remember(count_data_version)


def count_data_version() -> str:
    """The newest change and the number of rows of every public table, in one query.

    Row counts catch deletions, which leave no newer `updated_at` behind.
    """
    tables = [model._meta.db_table for model in public.CITED_MODELS.values()]
    tables.append(Citation._meta.db_table)
    union = " UNION ALL ".join(
        f"SELECT MAX(updated_at) AS changed, COUNT(*) AS n FROM {connection.ops.quote_name(t)}"
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(changed), SUM(n) FROM ({union}) AS everything")
        changed, rows = cursor.fetchone()
    return f"{changed}|{rows}"


def _etag(request, *args, **kwargs) -> str | None:
    if request.user.is_staff:
        return None
    # "Today" is part of every page (overdue flags, the today line), so it is in the tag.
    stamp = f"{data_version()}|{timezone.localdate()}|{CODE_STAMP}|{request.get_full_path()}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:32]


# A page's cache key is its ETag, which holds the dataset's version: any write makes new keys,
# so nothing needs deleting and an entry only has to outlive the readers' interest in it.
PAGE_SECONDS = 60 * 60
PAGE_PREFIX = "public-page:"


def _rendered_once(view):
    """Serve a public page from the cache while the dataset and the day are unchanged.

    Rendering a 500-commitment policy (a 2 MB page) takes seconds; readers share one
    rendering until the next write. Bodies are compressed: HTML shrinks about tenfold.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = PAGE_PREFIX + _etag(request)
        cached = cache.get(key)
        if cached is not None:
            headers, body = cached
            return HttpResponse(zlib.decompress(body), headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            # The view's own headers (Content-Type, a download's Content-Disposition) go with it.
            body = zlib.compress(response.content, 1)
            cache.set(key, (dict(response.headers), body), PAGE_SECONDS)
        return response

    return wrapper


def public_page(view):
    """Send an ETag and answer If-None-Match with 304; never cache what editors see."""
    conditional = condition(etag_func=_etag)(_rendered_once(view))

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_staff:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        return conditional(request, *args, **kwargs)

    return wrapper


def entry_or_404(request, queryset, **lookup):
    """The public entry matching `lookup`; for editors, a draft as a preview (`is_preview`)."""
    entry = queryset.filter(**lookup).first()
    if entry is not None:
        entry.is_preview = False
        return entry
    if request.user.is_staff:
        # The preview relaxes the door for this entry only; its neighbours stay published-only,
        # which is how the page will look once it is published.
        # `originals()` leaves out pending edits, which share their original's slug.
        entry = queryset.model.objects.originals().filter(**lookup).first()
        if entry is not None:
            entry.is_preview = True
            return entry
    raise Http404("No published entry here.")


def bad_request(request, template: str, context: dict, errors: dict):
    """The page, with the reasons its query string was refused, and status 400."""
    messages = []
    for name, problems in errors.items():
        for problem in problems:
            messages.append(f"{name}: {problem}" if name != "__all__" else str(problem))
    return render(request, template, {**context, "input_errors": messages}, status=400)


def parse_as_of(value: str | None) -> tuple[dt.date | None, str | None]:
    """The "as of" day from the query string, or an error message."""
    if not value:
        return None, None
    try:
        return dt.date.fromisoformat(value), None
    except ValueError:
        return None, f"as_of: {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2019-08-01."
