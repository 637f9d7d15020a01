"""What a data user's client gets when Django itself answers an error under /api/: JSON in the
API's own shape (`{"detail": ...}`, as DRF answers a missing entry), not the site's HTML page,
which a client parsing JSON cannot read. Django's handlers (tracker/urls.py) ask `answering`
which of the two a request gets; everything else keeps the styled pages."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

PREFIX = "/api/"

NOT_FOUND = (
    "Nothing is published at this API address. The API's addresses are listed at /api/v1/, "
    "and described at /api/docs/ (the OpenAPI schema is /api/schema/)."
)
BAD_REQUEST = "The site could not read this request: check its address and its Host header."
SERVER_ERROR = "Something went wrong on our side; it has been logged. Try again in a few minutes."


def answering(
    page: Callable[..., HttpResponse], detail: str, status: int
) -> Callable[..., HttpResponse]:
    """Django's handler `page` for the site, and a JSON `detail` with `status` for the API. The
    JSON answer reads nothing but the path: a 500 must answer with the database down."""

    def handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if request.path_info.startswith(PREFIX):
            return JsonResponse({"detail": detail}, status=status)
        return page(request) if exception is None else page(request, exception)

    return handler
