"""Natural keys (slugs, a jurisdiction's code) are unique among entries, and every write path
says so as a form error, never as a database error: adding or renaming an entry to a key
another entry has, and a pending edit taking another entry's key. A pending edit keeps its own
original's key."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from tests import factories
from tests.admin_forms import BUILDERS, client_for, form_data
from tracker.core import workflow
from tracker.core.editorial import State, curated_models

pytestmark = pytest.mark.django_db


def keyed_kinds():
    """(model, key field) for every curated kind with a natural key, found by its constraint."""
    found = []
    for model in curated_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                (key,) = constraint.fields
                found.append(pytest.param(model, key, id=model._meta.model_name))
    return found


def test_every_kind_with_a_natural_key_has_a_builder():
    assert {p.values[0]._meta.model_name for p in keyed_kinds()} == set(BUILDERS)


def build(model, **fields):
    return BUILDERS[model._meta.model_name](**fields)


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture(params=["contributor", "editor"])
def person(request):
    return request.getfixturevalue(request.param)


def key_errors(response, key):
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    assert set(form.errors) <= {key}, form.errors
    return form.errors.get(key, [])


@pytest.mark.parametrize(("model", "key"), keyed_kinds())
def test_adding_an_entry_with_a_key_another_entry_has_is_a_form_error(model, key, person):
    taken = build(model, created_by=person, state=State.DRAFT)
    client = client_for(person)
    data = form_data(client.get(url(model, "change", taken.pk)), inlines=False)
    before = model.objects.count()

    response = client.post(url(model, "add"), data)

    assert key_errors(response, key) == [
        f"Another {model._meta.model_name} already has this {key}."
    ]
    assert model.objects.count() == before


@pytest.mark.parametrize(("model", "key"), keyed_kinds())
def test_renaming_an_entry_to_a_key_another_entry_has_is_a_form_error(model, key, person):
    other = build(model, state=State.PUBLISHED)
    mine = build(model, created_by=person, state=State.DRAFT)
    client = client_for(person)
    data = form_data(client.get(url(model, "change", mine.pk)))
    data[key] = getattr(other, key)

    response = client.post(url(model, "change", mine.pk), data)

    assert key_errors(response, key) == [
        f"Another {model._meta.model_name} already has this {key}."
    ]
    stored = model.objects.get(pk=mine.pk)
    assert (getattr(stored, key), stored.version) == (getattr(mine, key), mine.version)


@pytest.mark.parametrize(("model", "key"), keyed_kinds())
def test_a_pending_edit_saves_with_its_originals_key(model, key, person):
    original = build(model, state=State.PUBLISHED)
    edit = workflow.entry_start_edit(original, by=person)
    client = client_for(person)

    response = client.post(
        url(model, "change", edit.pk), form_data(client.get(url(model, "change", edit.pk)))
    )

    assert response.status_code == 302
    assert model.objects.get(pk=edit.pk).version == edit.version + 1


@pytest.mark.parametrize(("model", "key"), keyed_kinds())
def test_a_pending_edit_taking_another_entrys_key_is_a_form_error(model, key, person):
    other = build(model, state=State.PUBLISHED)
    original = build(model, state=State.PUBLISHED)
    edit = workflow.entry_start_edit(original, by=person)
    client = client_for(person)
    data = form_data(client.get(url(model, "change", edit.pk)))
    data[key] = getattr(other, key)

    response = client.post(url(model, "change", edit.pk), data)

    assert key_errors(response, key) == [
        f"Another {model._meta.model_name} already has this {key}."
    ]
    assert getattr(model.objects.get(pk=edit.pk), key) == getattr(original, key)


@pytest.mark.parametrize(("model", "key"), keyed_kinds())
def test_approving_an_edit_whose_new_key_was_taken_meanwhile_is_refused_with_the_reason(
    model, key, contributor, editor
):
    original = build(model, state=State.PUBLISHED)
    factories.cite(original)
    edit = workflow.entry_start_edit(original, by=contributor)
    edit_key = "zz9" if key == "code" else "a-fresh-key"
    setattr(edit, key, edit_key)
    workflow.entry_save(edit, by=contributor, seen_version=edit.version)
    # Another entry takes the key while the edit waits: the edit is no entry, so it may.
    build(model, **{key: edit_key})
    edit = workflow.entry_submit(edit, by=contributor)

    with pytest.raises(workflow.WorkflowError, match=f"already has this {key}"):
        workflow.entry_publish(edit, by=editor)

    assert getattr(model.objects.get(pk=original.pk), key) == getattr(original, key)
    assert model.objects.get(pk=edit.pk).state == State.IN_REVIEW


def test_the_model_check_compares_a_pending_edit_with_other_entries_only(contributor):
    """One rule for every write path (admin, import, loader): `full_clean()` checks keys."""
    other = factories.policy(slug="taken", state=State.PUBLISHED)
    original = factories.policy(slug="mine", state=State.PUBLISHED)
    edit = workflow.entry_start_edit(original, by=contributor)
    edit.full_clean()  # its original's slug is its own
    edit.slug = other.slug
    with pytest.raises(ValidationError) as refused:
        edit.full_clean()
    assert refused.value.message_dict == {"slug": ["Another policy already has this slug."]}


def test_every_keyed_kind_is_in_the_admin():
    assert all(p.values[0] in admin.site._registry for p in keyed_kinds())


# -- the import: rows are matched to entries by slug, and a taken slug is a row error ------

IMPORT_HEADER = "slug,policy,title,kind,due\n"


def import_commitments(client, rows: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("admin:policies_commitment_import"),
        {
            "format": "0",
            "import_file": SimpleUploadedFile("c.csv", (IMPORT_HEADER + rows).encode()),
        },
    )


def test_an_import_row_with_the_slug_of_another_persons_entry_is_a_row_error(
    contributor, other_contributor
):
    policy = factories.policy(slug="ru-ai")
    theirs = factories.commitment(slug="theirs", policy=policy, created_by=other_contributor)
    response = import_commitments(
        client_for(contributor), "theirs,ru-ai,Taken over,deliverable,2024\n"
    )
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "only drafts you may edit" in " ".join(result.invalid_rows[0].error_dict["slug"])
    assert factories.Commitment.objects.get(pk=theirs.pk).title == theirs.title


def test_an_import_row_with_the_slug_of_a_pending_edit_matches_its_entry_not_the_edit(
    contributor,
):
    policy = factories.policy(slug="ru-ai", state=State.PUBLISHED)
    published = factories.commitment(slug="live", policy=policy, state=State.PUBLISHED)
    edit = workflow.entry_start_edit(published, by=contributor)
    response = import_commitments(client_for(contributor), "live,ru-ai,Imported,deliverable,2024\n")
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "is published" in " ".join(result.invalid_rows[0].error_dict["slug"])
    assert factories.Commitment.objects.get(pk=edit.pk).title == published.title
