import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from policies.overview import home_context
from policies.pages import public_page
from tracker.availability import database_problem, database_target

log = logging.getLogger(__name__)


@public_page
def home(request):
    return render(request, "tracker/home.html", home_context(today=timezone.localdate()))


@never_cache
def healthz(request):
    """200 when a new connection reads the public data version within HEALTHZ_TIMEOUT_MS; else
    503, naming no host, port or role (anyone may ask): the log has the details."""
    problem = database_problem(within_ms=settings.HEALTHZ_TIMEOUT_MS)
    if problem is not None:
        log.error("healthz: the database (%s) did not answer: %s", database_target(), problem)
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
