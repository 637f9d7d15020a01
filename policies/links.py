"""Where each kind of public entry lives: its readable URL and its permanent one (by id), and
the site's own address in front of either."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse

from policies import selectors
from policies.models import (
    Actor,
    Assessment,
    Commitment,
    Estimate,
    Event,
    Funding,
    Jurisdiction,
    Policy,
)
from sources.models import Source
from tracker.core.editorial import Curated

KIND_LABELS = {
    "jurisdiction": "Jurisdiction",
    "actor": "Actor",
    "policy": "Policy",
    "commitment": "Commitment",
    "assessment": "Assessment",
    "funding": "Funding",
    "event": "Event",
    "estimate": "Estimate",
    "source": "Source",
}


def on_site(request: HttpRequest | None, url: str) -> str:
    """`url` (a path, or an absolute address on this site) as an absolute address on the site's
    address: `SITE_URL` when set, so that what readers keep and share (a feed's ids, a citation,
    a permalink) does not follow whichever Host a reader asked by; else the request's (a path
    when there is neither)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path) if request else path


def site_origin(request: HttpRequest) -> str:
    """What `on_site` puts in front of a path for `request`: part of every cached public page's
    key, since a page may hold absolute addresses."""
    return on_site(request, "/")


def kind_of(entry: Model) -> str:
    """The entry's model name ("commitment"), as content types and the routes spell it."""
    # `_meta.model_name` is the same name, but typed as optional (unset before the model class
    # is complete); the label always holds it.
    return entry._meta.label_lower.partition(".")[2]


def entry_url(entry: Curated) -> str:
    match entry:
        case Jurisdiction():
            return reverse("jurisdiction", args=[entry.code])
        case Assessment():
            return f"{reverse('commitment', args=[entry.commitment.slug])}#{entry.slug}"
        case Actor() | Policy() | Commitment() | Funding() | Event() | Estimate() | Source():
            return reverse(kind_of(entry), args=[entry.slug])
    raise TypeError(f"A {kind_of(entry)} has no public page.")


def permalink(entry: Curated) -> str:
    return reverse("permalink", args=[kind_of(entry), entry.pk])


# Any id the route's `<int:pk>` converter accepts: reversed with it, the permalink route
# ("e/<kind>/<pk>/") gives the address every entry of the kind shares, up to its id.
PLACEHOLDER_ID = 1


def permalink_base(kind: str) -> str:
    """The permalink of an entry of `kind` without its id: `permalink_base(k) + f"{pk}/"`.

    One reverse() for a kind rather than one an entry: an API page writes thousands of them.
    """
    url = reverse("permalink", args=[kind, PLACEHOLDER_ID])
    base, id_part, rest = url.rpartition(f"/{PLACEHOLDER_ID}/")
    if not id_part or rest:
        raise ImproperlyConfigured(f"The permalink route must end with the id: {url}")
    return f"{base}/"


def model_for(kind: str) -> type[Curated] | None:
    return selectors.CITED_MODELS.get(kind)
