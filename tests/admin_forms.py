"""What a browser posts back from an admin add or change page, read from the page's own forms."""

from django.test import Client

from policies.models import Jurisdiction
from tests import factories


def region(**fields):
    """A jurisdiction the admin accepts as it is: the factory's made-up codes are no country's
    ISO 3166-1 code, so they are valid for a region only."""
    return factories.jurisdiction(**{"kind": Jurisdiction.Kind.REGION, **fields})


# A valid entry of each curated kind, taking overrides: what the admin tests start from.
BUILDERS = {
    "source": factories.source,
    "jurisdiction": region,
    "actor": factories.actor,
    "policy": factories.policy,
    "commitment": factories.commitment,
    "assessment": factories.assessment,
    "funding": factories.funding,
    "event": factories.event,
    "estimate": factories.estimate,
}

MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def client_for(user) -> Client:
    """A client that answers a server error with its 500 page instead of raising, as a browser
    would see it."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def posted(value) -> str | list[str] | None:
    """A form value as the browser sends it; None for an unticked box, which it leaves out."""
    if value is None:
        return ""
    if value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def form_data(response, *, inlines: bool = True) -> dict:
    """The fields of the main form and (with `inlines`) of every inline, as the page shows
    them. Without inlines, each inline posts an empty management form: no rows."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if inlines:
            forms += [formset.management_form, *formset.forms]
        else:
            data.update(
                {f"{formset.prefix}-{name}": "0" for name in MANAGEMENT if name != "MAX_NUM_FORMS"}
            )
            data[f"{formset.prefix}-MAX_NUM_FORMS"] = "1000"
    for form in forms:
        for name in form.fields:
            value = posted(form[name].value())
            if value is not None:
                data[form.add_prefix(name)] = value
    return data
