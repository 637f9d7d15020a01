"""Where each kind of public entry lives: its readable URL and its permanent one (by id)."""

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from policies import selectors

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


def kind_of(entry) -> str:
    return entry._meta.model_name


def entry_url(entry) -> str:
    kind = kind_of(entry)
    if kind == "jurisdiction":
        return reverse("jurisdiction", args=[entry.code])
    if kind == "assessment":
        return f"{reverse('commitment', args=[entry.commitment.slug])}#{entry.slug}"
    return reverse(kind, args=[entry.slug])


def permalink(entry) -> str:
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


def model_for(kind: str):
    return selectors.CITED_MODELS.get(kind)
