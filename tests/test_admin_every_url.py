"""Every admin URL of every model, walked as a contributor and as an editor: none answers with
a server error, and nothing a contributor POSTs to any of them changes what the public sees.

The URLs come from each ModelAdmin's own `get_urls()`, so a view added later is walked too.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from sources.models import Citation
from tests import factories
from tracker.core import freshness
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

BUILDERS = {
    "source": lambda **kw: factories.source(**kw),
    "jurisdiction": lambda **kw: factories.jurisdiction(**kw),
    "actor": lambda **kw: factories.actor(**kw),
    "policy": lambda **kw: factories.policy(**kw),
    "commitment": lambda **kw: factories.commitment(**kw),
    "assessment": lambda **kw: factories.assessment(**kw),
    "funding": lambda **kw: factories.funding(**kw),
    "event": lambda **kw: factories.event(**kw),
    "estimate": lambda **kw: factories.estimate(**kw),
}
NEEDS_NOTHING = {"changelist", "add", "import", "import_example", "process_import"}


def our_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ("sources", "policies")
    ]


def urls_for(model, model_admin, entry, history_id):
    """Every URL the admin has for `model`, filled in for `entry`."""
    for pattern in model_admin.get_urls():
        if not pattern.name:
            continue
        view = pattern.name.removeprefix(f"{model._meta.app_label}_{model._meta.model_name}_")
        if view in NEEDS_NOTHING:
            yield view, reverse(f"admin:{pattern.name}")
        elif view in ("revert", "simple_history"):
            yield view, reverse(f"admin:{pattern.name}", args=[entry.pk, history_id])
        else:
            yield view, reverse(f"admin:{pattern.name}", args=[entry.pk])


@pytest.fixture
def world(contributor, other_contributor):
    """For each kind, a published entry with a quote, and a draft of each contributor."""
    made = {}
    for kind, build in BUILDERS.items():
        published = build(state=State.PUBLISHED)
        factories.cite(published, quote=f"A published {kind} passage.")
        made[kind] = [
            published,
            build(created_by=contributor),
            build(created_by=other_contributor),
        ]
    made["citation"] = [made["policy"][0].citations.get()]
    return made


def public_snapshot():
    """What the public may see of every published entry, with the data version."""
    entries = {
        (model._meta.label, e.pk): (e.version, e.state, str(e))
        for model, _ in our_admins()
        if model is not Citation
        for e in model.objects.published()
    }
    quotes = sorted(Citation.objects.values_list("id", "object_id", "quote", "source_id"))
    return entries, quotes, freshness.current()


def walk(client, world, *, method):
    for model, model_admin in our_admins():
        kind = model._meta.model_name
        for entry in world[kind]:
            history = entry.history.first() if hasattr(entry, "history") else None
            for view, url in urls_for(model, model_admin, entry, history.pk if history else 0):
                if method == "get":
                    yield view, url, client.get(url)
                else:
                    data = {
                        "action": "publish",
                        "comment": "Withdrawn for a test.",
                        "post": "yes",
                        "quote": "A quote slipped in.",
                        "seen_version": getattr(entry, "version", ""),
                    }
                    yield view, url, client.post(url, data)
                    client.post(url, {**data, "action": "unpublish"})


@pytest.mark.parametrize("who", ["contributor_client", "editor_client"])
def test_no_admin_url_answers_with_a_server_error(request, world, who):
    client = request.getfixturevalue(who)
    failures = [
        (view, url, r.status_code)
        for view, url, r in walk(client, world, method="get")
        if r.status_code >= 500
    ]
    assert not failures


def test_nothing_a_contributor_posts_to_any_admin_url_changes_what_the_public_sees(
    contributor_client, world
):
    before = public_snapshot()
    answers = {
        (view, r.status_code) for view, _, r in walk(contributor_client, world, method="post")
    }
    assert all(status < 500 for _, status in answers), answers
    assert public_snapshot() == before
