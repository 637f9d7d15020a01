"""The client's address: what the API throttle and the login lockout count by.

X-Forwarded-For is a list anybody can write; only the entries appended by proxies we run are
true. TRUSTED_PROXY_COUNT says how many such proxies stand in front of the application server:
with none (the default) the header is ignored and the connection's address is the client's;
with N, the client is the Nth address from the right, the one the outermost trusted proxy
added. Everything left of it was written by the client and counts for nothing.
"""

import ipaddress
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote: str = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if not trusted:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    if not forwarded:
        return remote
    # Fewer entries than proxies: each was still added by one of ours, the leftmost by the
    # outermost proxy the request went through.
    candidate = forwarded[-min(trusted, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # An unreadable entry counts as the proxy, so it cannot become a fresh identity.
        return remote


class ClientAddressFilter(logging.Filter):
    """Gives every log record a `client`: the address of the request it is about, or "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Whatever the logger attached: Django's request loggers attach the request.
        request: Any = getattr(record, "request", None)
        meta = getattr(request, "META", None)
        record.client = client_address(request) if meta is not None else "-"
        return True
