"""Where each kind of public entry lives: its readable URL and its permanent one (by id)."""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
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
