"""The API's budget for anonymous readers (API_ANON_RATE), counted per client."""

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from tracker.core.addresses import client_address


class AnonymousReaderThrottle(AnonRateThrottle):
    """Counts by the client as tracker.core.addresses finds it behind our proxies. DRF's own reading
    (NUM_PROXIES unset) keys on the whole X-Forwarded-For, which the client writes: a new value
    on each request was a new budget."""

    def get_ident(self, request: Request) -> str:
        return client_address(request)
