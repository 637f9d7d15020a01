"""Random input in every admin add and change form, as a contributor and as an editor: never a
server error, and nothing half-saved.

The forms come from the admin site's registry: every registered model whose add or change
view the person may use (a new model is fuzzed as soon as it is registered). Each example opens
a real form page (the add page, the person's own draft or the pending edit of a published
entry), keeps the values the page shows, and replaces a few of them, inline rows and their
management forms included, with odd text (control characters, bidi marks, emoji, huge strings),
ids that are not ids or belong to other entries, negative and huge numbers, bad dates and fuzzy
dates, taken slugs and empty values. Then:

- the answer is never a 5xx, and nothing is logged as a server error;
- a form page (or any refusal) leaves the database as it was: every row count of the curated
  models, their history, citations and links, transitions, the public data version and the
  public changes;
- a save is whole: one new version of the entry, its latest history record holding the
  citations it has now, nothing else changed, nothing public changed.

CI runs a fixed, derandomised set of examples without shrinking (about a minute on SQLite). To
search deeper, with shrinking to the smallest failing form:

    ADMIN_FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/test_admin_fuzz.py -q
    DATABASE_URL=postgres://... ADMIN_FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/test_admin_fuzz.py -q
"""

import logging
import os
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

from sources.models import Citation
from tests import factories
from tests.admin_forms import BUILDERS, client_for, form_data
from tracker.core import freshness, workflow
from tracker.core.editorial import Curated, State

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("ADMIN_FUZZ_EXAMPLES", "45"))
DEEP = "ADMIN_FUZZ_EXAMPLES" in os.environ
PHASES = list(Phase) if DEEP else [Phase.explicit, Phase.reuse, Phase.generate]
# The apps whose every row a form could write; the admin's own log is left out.
WRITTEN_APPS = ("tracker", "policies", "sources")

NASTY = [
    "",
    " ",
    "abc",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "-0",
    "99999999999999999999",
    "-99999999999999999999",
    "2019-Q5",
    "2019-02-30",
    "2019-13",
    "0000",
    "10000",
    "2010s",
    "by 2024",
    "\x00",
    "a\x0bb",
    "\x1b[31m",
    "\ufeff",
    "\u202eevil",
    "人工智能",
    "🤖" * 30,
    "<script>alert(1)</script>",
    "'; DROP TABLE policies_policy; --",
    "[1, 2",
    '{"a": ',
    "null",
    "[]",
    "RUB",
    "rub",
    "XX",
    "on",
    "a" * 5000,
    "x" * 70000,
]
# Lone surrogates cannot be sent at all: the client cannot encode them.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
NUMBERS = st.integers(min_value=-(2**70), max_value=2**70).map(str)


def role_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def targets(user, world) -> list[tuple[str, str, type, int | None]]:
    """(label, URL, model, entry id) of every add and change form of the admin registry that
    `user` may use; no entry id for an add form."""
    request = role_request(user)
    found = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda i: i[0]._meta.label):
        info = model._meta.app_label, model._meta.model_name
        if model_admin.has_add_permission(request):
            url = reverse("admin:{}_{}_add".format(*info))
            found.append((f"{model._meta.label} add", url, model, None))
        # Other registered models (accounts, groups, citations) by a few of their rows.
        entries = world.get(model) or list(model._default_manager.order_by("pk")[:2])
        for entry in entries:
            if model_admin.has_change_permission(request, entry):
                url = reverse("admin:{}_{}_change".format(*info), args=[entry.pk])
                found.append((f"{model._meta.label} change #{entry.pk}", url, model, entry.pk))
    return found


def curated_admin_models():
    """The curated kinds of the admin registry: each gets entries to change in the world."""
    return [
        model for model, model_admin in admin.site._registry.items() if issubclass(model, Curated)
    ]


@pytest.fixture
def world(contributor, editor):
    """For each curated kind: a published entry with a citation, a draft of each person and the
    pending edit of a published entry."""
    made = {}
    for model in curated_admin_models():
        build = BUILDERS[model._meta.model_name]
        published = build(state=State.PUBLISHED)
        factories.cite(published, quote=f"A published {model._meta.model_name} passage.")
        edited = build(state=State.PUBLISHED)
        factories.cite(edited, quote="The published passage of an edited entry.")
        made[model] = [
            build(created_by=contributor, state=State.DRAFT),
            build(created_by=editor, state=State.DRAFT),
            workflow.entry_start_edit(edited, by=contributor),
        ]
    return made


def test_every_curated_kind_in_the_admin_has_a_builder():
    assert {m._meta.model_name for m in curated_admin_models()} <= set(BUILDERS)


def snapshot() -> dict:
    """Row counts of every model a form could write, with the public data version."""
    counts = {
        model._meta.label: model._default_manager.count()
        for app in WRITTEN_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }
    return {**counts, "data version": freshness.current()}


@contextmanager
def server_errors():
    """What Django logs as a server error while the block runs."""
    logged = []

    class Keep(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.ERROR:
                logged.append(record.getMessage())

    handler = Keep()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield logged
    finally:
        logger.removeHandler(handler)


def values(world):
    """Values to post: nasty ones, random text and numbers, and real ids, slugs and codes of
    other entries (valid values mixed in, taken keys among them)."""
    real = []
    for entries in world.values():
        for entry in entries:
            real += [str(entry.pk), getattr(entry, "slug", None) or getattr(entry, "code", "")]
    return st.one_of(st.sampled_from(NASTY), TEXT, NUMBERS, st.sampled_from(sorted(set(real))))


def mutate(data, base, draw, world):
    keys = draw(st.sets(st.sampled_from(sorted(base)), min_size=1, max_size=6))
    for key in sorted(keys):
        if isinstance(base[key], list) or draw(st.integers(0, 9)) == 0:
            data[key] = draw(st.lists(values(world), max_size=3))
        elif key.endswith("-DELETE"):
            data[key] = "on"
        else:
            data[key] = draw(values(world))
    if draw(st.integers(0, 4)) == 0:
        # A field the form does not have, or an empty value for one it does.
        data[draw(st.sampled_from(["x", *sorted(base)]))] = draw(values(world))
    return data


def parts_of(model) -> set[str]:
    """Labels of the rows saved with an entry of `model`: citations, links, and their history."""
    parts = {Citation, Citation.history.model}
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        parts.add(through)
        if hasattr(through, "history"):
            parts.add(through.history.model)
    # An event's links are kept with each of its versions, in tables of its history model.
    recorded = model.history.model
    parts |= {
        m
        for m in apps.get_models(include_auto_created=True)
        if any(getattr(f, "related_model", None) is recorded for f in m._meta.fields)
    }
    return {m._meta.label for m in parts}


def assert_whole_save(before, after, model, pk):
    """One entry of `model` saved as one new version; nothing else changed, nothing public."""
    history = model.history.model._meta.label
    changed = {name for name in after if after[name] != before[name]}
    assert after["data version"] == before["data version"], "a draft save changed the public data"
    assert after[history] == before[history] + 1, "a save is exactly one new version"
    others = changed - {model._meta.label, history, *parts_of(model)}
    assert not others, f"saving a {model._meta.label} changed {diff(before, after)}"
    entry = model.objects.get(pk=pk) if pk else model.objects.order_by("-pk").first()
    record = entry.history.first()
    assert record.version == entry.version
    assert entry.state in (State.DRAFT, State.IN_REVIEW)
    recorded = {c.pk for c in workflow.citations_at(entry, record.history_date)}
    assert recorded == set(entry.citations.values_list("pk", flat=True)), (
        "the version's history record does not hold the citations the entry has"
    )


@pytest.mark.parametrize("who", ["contributor", "editor"])
def test_no_admin_form_fails_or_half_saves_on_random_input(request, world, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    forms = targets(user, world)
    assert any(label.endswith(" add") for label, *_ in forms)
    assert any(" change " in label for label, *_ in forms)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not DEEP,
        phases=PHASES,
        suppress_health_check=list(HealthCheck),
    )
    @given(form=st.sampled_from(forms), data=st.data())
    def fuzz(form, data):
        # Each example starts from the same world, so that hypothesis can replay and shrink it.
        with transaction.atomic():
            post_one(form, data)
            transaction.set_rollback(True)

    def post_one(form, data):
        label, url, model, pk = form
        page = client.get(url)
        assert page.status_code == 200, (label, page.status_code)
        base = form_data(page)
        posted = mutate(dict(base), base, data.draw, world)
        changes = {k: v for k, v in posted.items() if base.get(k) != v}
        note(f"{label}: {changes!r}"[:3000])
        before = snapshot()
        with server_errors() as logged:
            response = client.post(url, posted)
        event(f"answered {response.status_code}")
        assert response.status_code < 500, (label, response.status_code)
        assert not logged, (label, logged)
        after = snapshot()
        if response.status_code == 302 and response["Location"] != url:
            assert_whole_save(before, after, model, pk)
        else:
            assert after == before, (label, response.status_code, diff(before, after))

    fuzz()


def diff(before, after):
    return {name: (before[name], after[name]) for name in after if before[name] != after[name]}
