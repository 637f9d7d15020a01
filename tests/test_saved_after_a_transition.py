"""Someone saves a form they opened before an editor published (or someone submitted) the
entry: the form comes back with what they typed and the reason, and nothing is saved; never a
bare 403 that loses the text (docs/editorial-workflow.md, "Conflicts")."""

import pytest
from django.urls import reverse

from policies.models import Commitment
from tests import factories
from tests.admin_forms import client_for, form_data
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db

CITATIONS = "sources-citation-content_type-object_id"


def change_url(entry):
    return reverse("admin:policies_commitment_change", args=[entry.pk])


@pytest.fixture
def draft(contributor):
    entry = factories.commitment(created_by=contributor, title="As it was")
    factories.cite(entry, quote="The cited passage.")
    return entry


def typed(client, entry):
    """The change form as `client` opened it now, with a new title and a new citation typed."""
    data = form_data(client.get(change_url(entry)))
    data["title"] = "Typed while someone else moved it on"
    row = int(data[f"{CITATIONS}-TOTAL_FORMS"]) - 1  # the blank row the page offers
    data[f"{CITATIONS}-{row}-source"] = str(factories.source().pk)
    data[f"{CITATIONS}-{row}-section"] = "Goals"
    data[f"{CITATIONS}-{row}-quote"] = "A quote typed meanwhile."
    return data


def assert_shown_again_and_not_saved(response, entry, reason):
    assert response.status_code == 200
    assert reason in response.text
    assert 'value="Typed while someone else moved it on"' in response.text
    assert "A quote typed meanwhile." in response.text
    stored = Commitment.objects.get(pk=entry.pk)
    assert stored.title == "As it was"
    assert list(stored.citations.values_list("quote", flat=True)) == ["The cited passage."]


def test_a_save_after_an_editor_published_the_draft_shows_the_typed_text_and_saves_nothing(
    contributor, editor, other_editor, draft
):
    client = client_for(contributor)
    data = typed(client, draft)
    published = workflow.entry_publish(workflow.entry_submit(draft, by=editor), by=other_editor)

    response = client.post(change_url(draft), data)

    assert_shown_again_and_not_saved(
        response, draft, "Someone published this entry while you were editing it"
    )
    assert "Edit (as a draft for review)" in response.text
    assert Commitment.objects.get(pk=draft.pk).version == published.version
    assert not Commitment.objects.filter(draft_of=draft).exists()


def test_a_save_after_someone_submitted_the_draft_shows_the_typed_text_and_saves_nothing(
    contributor, editor, draft
):
    client = client_for(contributor)
    data = typed(client, draft)
    workflow.entry_submit(draft, by=editor)

    response = client.post(change_url(draft), data)

    assert_shown_again_and_not_saved(
        response, draft, "Someone submitted this entry for review while you were editing it"
    )
    assert Commitment.objects.get(pk=draft.pk).state == State.IN_REVIEW


def test_an_editors_save_after_a_submission_is_a_conflict_that_keeps_the_typed_text(
    contributor, editor, draft
):
    client = client_for(editor)
    data = typed(client, draft)
    workflow.entry_submit(draft, by=contributor)

    response = client.post(change_url(draft), data)

    assert_shown_again_and_not_saved(
        response, draft, "Someone submitted this entry for review while you were editing it"
    )


def test_a_post_to_an_entry_the_person_could_never_change_is_still_forbidden(
    contributor, other_contributor, draft
):
    theirs = factories.commitment(created_by=other_contributor, title="Theirs")
    data = typed(client_for(other_contributor), theirs)

    response = client_for(contributor).post(change_url(theirs), data)

    assert response.status_code == 403
    assert Commitment.objects.get(pk=theirs.pk).title == "Theirs"


def test_a_refusal_the_form_could_not_foresee_shows_the_form_again(
    contributor, editor, other_editor, draft, monkeypatch
):
    """The form checks under the row's lock; should the save still be refused (a write the
    form's check could not see), the form is shown again, with the reason, not a redirect."""
    client = client_for(contributor)
    data = typed(client, draft)
    workflow.entry_publish(workflow.entry_submit(draft, by=editor), by=other_editor)
    checks = iter([None])
    real = workflow.require_version

    def once_blind(stored, *, seen_version):
        # The form's check sees the version it opened; entry_save's, the published one.
        if next(checks, "real") is None:
            return None
        return real(stored, seen_version=seen_version)

    monkeypatch.setattr(workflow, "require_version", once_blind)
    response = client.post(change_url(draft), data)

    assert_shown_again_and_not_saved(
        response, draft, "Someone published this entry while you were editing it"
    )
