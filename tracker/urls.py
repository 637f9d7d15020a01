"""The root URLconf: the admin, the API and its schema, the public site, the health check, and
the pages that answer errors (templates/400.html, 403.html, 404.html, 500.html)."""

from django.contrib import admin
from django.urls import include, path
from django.views import defaults
from django.views.decorators.cache import never_cache
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tracker.api import errors
from tracker.api.urls import api_root_urls
from tracker.core.availability import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_root_urls(), "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("tracker.site.urls")),
]

# Django's own handlers, rendering the site's templates, or JSON under /api/ (tracker/api/errors.py).
# No cache keeps an error: a missing entry may be published a minute later, and a 400 or a 500
# speaks of one request. A 403 under /api/ comes from DRF itself, in JSON already.
handler400 = never_cache(errors.answering(defaults.bad_request, errors.BAD_REQUEST, 400))
handler403 = never_cache(defaults.permission_denied)
handler404 = never_cache(errors.answering(defaults.page_not_found, errors.NOT_FOUND, 404))
handler500 = never_cache(errors.answering(defaults.server_error, errors.SERVER_ERROR, 500))
