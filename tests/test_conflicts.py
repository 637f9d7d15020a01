"""Two people who open the same entry and both save: the second gets a conflict and loses nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from policies.models import Commitment
from tests import factories
from tests.test_admin_pages import management_form

pytestmark = pytest.mark.django_db

CITATIONS = "sources-citation-content_type-object_id"
TRANSITIONS = "tracker-transition-content_type-object_id"


def form_data(entry, *, title, seen_version):
    return {
        "slug": entry.slug,
        "policy": entry.policy_id,
        "title": title,
        "description": "",
        "kind": entry.kind,
        "pledged_by": "",
        "pledged": "",
        "due": "2024",
        "metric": "",
        "unit": "",
        "baseline_value": "",
        "target_value": "",
        "seen_version": seen_version,
        **management_form(CITATIONS),
        **management_form(TRANSITIONS),
    }


def test_the_second_save_from_an_older_version_is_a_conflict_and_nothing_is_lost(
    editor, other_editor
):
    entry = factories.commitment(created_by=editor, title="Original")
    url = reverse("admin:policies_commitment_change", args=[entry.pk])
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(other_editor)
    seen = entry.version  # both opened the page at this version

    assert (
        first.post(url, form_data(entry, title="First edit", seen_version=seen)).status_code == 302
    )
    response = second.post(url, form_data(entry, title="Second edit", seen_version=seen))

    assert response.status_code == 200
    assert "Someone else saved this entry" in response.text
    assert "see what changed" in response.text
    assert reverse("admin:policies_commitment_history", args=[entry.pk]) in response.text
    assert 'value="Second edit"' in response.text  # the second person's work is still in the form
    assert (
        Commitment.objects.get(pk=entry.pk).title == "First edit"
    )  # the first person's work is saved


def test_a_save_from_the_current_version_goes_through_and_bumps_it(editor_client, editor):
    entry = factories.commitment(created_by=editor, title="Original")
    url = reverse("admin:policies_commitment_change", args=[entry.pk])
    assert (
        editor_client.post(
            url, form_data(entry, title="Edited", seen_version=entry.version)
        ).status_code
        == 302
    )
    saved = Commitment.objects.get(pk=entry.pk)
    assert (saved.title, saved.version, saved.updated_by) == ("Edited", entry.version + 1, editor)


def test_the_save_function_itself_refuses_a_save_from_an_older_version(editor, other_editor):
    from tracker.core import workflow

    entry = factories.commitment(created_by=editor, title="Original")
    first, second = Commitment.objects.get(pk=entry.pk), Commitment.objects.get(pk=entry.pk)
    first.title, second.title = "First edit", "Second edit"
    workflow.entry_save(first, by=editor, seen_version=entry.version)
    with pytest.raises(workflow.WorkflowError, match=r"Someone else saved.*Nothing was saved"):
        workflow.entry_save(second, by=other_editor, seen_version=entry.version)
    assert Commitment.objects.get(pk=entry.pk).title == "First edit"


def test_a_save_that_does_not_say_its_version_is_refused_and_changes_nothing(
    editor_client, editor, other_editor
):
    entry = factories.commitment(created_by=editor, title="Original")
    url = reverse("admin:policies_commitment_change", args=[entry.pk])
    other = Client()
    other.force_login(other_editor)
    assert (
        other.post(url, form_data(entry, title="Newer", seen_version=entry.version)).status_code
        == 302
    )
    data = form_data(entry, title="Blind overwrite", seen_version="")
    del data["seen_version"]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "does not say which version" in response.text
    assert 'value="Blind overwrite"' in response.text
    assert Commitment.objects.get(pk=entry.pk).title == "Newer"
