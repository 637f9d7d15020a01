"""How answers leave the site: which any cache may keep, and which leave compressed.

Kept by any cache: a public page or a public API read, answered to a reader who is not signed
in, may be kept by the browser, a proxy or a CDN for PUBLIC_CACHE_MAX_AGE seconds, then served
stale for up to PUBLIC_CACHE_STALE_WHILE_REVALIDATE seconds more while the cache revalidates it
with its ETag (a 304 costs one query). Only the doors that know an answer is the public's say
so: `public_page` (tracker/site/pages.py) and the API's reads (tracker/api/exports.py). Nothing
else is: not the admin, not an error; and what anyone signed in reads is private.

Compressed: gzip, for a client that accepts it, on every text answer that mixes in no secret.
BREACH reads a secret out of the length of compressed answers that also reflect what an
attacker sent, so nothing under /admin/ is compressed, nor an answer holding a CSRF token, nor
an answer to a request with a session cookie (a signed-in curator's pages preview drafts). A
token-authenticated API client's answers are: a browser never attaches a token by itself, so a
page elsewhere cannot make one ask.
"""

import functools
import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers


def mark_for_caches[R: HttpResponseBase](
    response: R, *, user: AbstractBaseUser | AnonymousUser, vary: Iterable[str] = ()
) -> R:
    """`response`, marked for any cache to keep a short while when it is the public's: its
    reader is not signed in and it sets no cookie. It then varies with the session cookie (signed
    in, the answer differs) and with the request headers `vary` names. Answered to someone signed
    in, it is marked private: no shared cache keeps it, whatever it is told to keep (drafts may
    be in it)."""
    if user.is_authenticated:
        patch_cache_control(response, private=True)
        return response
    if response.cookies:
        return response
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PUBLIC_CACHE_MAX_AGE,
        stale_while_revalidate=settings.PUBLIC_CACHE_STALE_WHILE_REVALIDATE,
    )
    patch_vary_headers(response, ("Cookie", *vary))
    return response


# Text, which shrinks several times over; a zip or an image would only cost the time.
COMPRESSIBLE = re.compile(
    r"(text/|image/svg\+xml|application/(json|jsonl|xml|javascript|[\w.-]+\+(json|xml))\b)",
    re.IGNORECASE,
)


@functools.cache
def _admin_prefix() -> str:
    return reverse("admin:index")


def mixes_in_no_secret(request: HttpRequest) -> bool:
    """Whether the answer to `request` may be compressed: see the module's docstring."""
    return (
        request.method in ("GET", "HEAD")
        and not request.path_info.startswith(_admin_prefix())
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # Set by django.middleware.csrf.get_token: the answer holds a CSRF token (a form).
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


class PublicCompressionMiddleware(GZipMiddleware):
    """Django's gzip (streamed answers stay streamed; a strong ETag becomes weak, as RFC 9110
    asks of an encoded body), for the answers `mixes_in_no_secret` allows, in text."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "")
        if not (COMPRESSIBLE.match(content_type) and mixes_in_no_secret(request)):
            return response
        return super().process_response(request, response)
