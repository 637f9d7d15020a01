"""Every change is kept with who and when; editors compare any two versions and revert through review."""

import pytest
from django.urls import reverse

from policies.models import Commitment
from tests import factories
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


def edit(entry, by, **changes):
    for name, value in changes.items():
        setattr(entry, name, value)
    return workflow.entry_save(entry, by=by, seen_version=entry.version)


def test_every_save_is_kept_with_who_made_it(contributor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=contributor
    )
    edit(entry, contributor, title="Second")
    history = list(entry.history.order_by("history_date"))
    assert [h.title for h in history] == ["First", "Second"]
    assert {h.history_user for h in history} == {contributor}


def test_an_editor_reverts_a_draft_in_place(contributor, editor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=contributor
    )
    edit(entry, contributor, title="Second")
    first = entry.history.earliest("history_date")
    reverted = workflow.entry_revert(entry, to_version=first, by=editor)
    assert reverted.pk == entry.pk
    assert Commitment.objects.get(pk=entry.pk).title == "First"


def test_reverting_a_published_entry_becomes_a_draft_for_review(contributor, editor, other_editor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=contributor
    )
    factories.cite(entry)
    first = entry.history.earliest("history_date")
    edit(entry, contributor, title="Second")
    entry = workflow.entry_publish(workflow.entry_submit(entry, by=contributor), by=editor)
    draft = workflow.entry_revert(entry, to_version=first, by=other_editor)
    assert draft.draft_of_id == entry.pk
    assert draft.title == "First"
    assert Commitment.objects.published().get().title == "Second"


def test_contributors_cannot_revert(contributor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=contributor
    )
    with pytest.raises(workflow.WorkflowError, match="Only an editor can revert"):
        workflow.entry_revert(
            entry, to_version=entry.history.earliest("history_date"), by=contributor
        )


def test_the_admin_compares_two_versions_field_by_field(editor_client, editor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=editor
    )
    edit(entry, editor, title="Second", description="Now described")
    old, new = entry.history.order_by("history_date")
    url = reverse("admin:policies_commitment_compare", args=[entry.pk])
    page = editor_client.get(url, {"old": old.history_id, "new": new.history_id}).text
    assert "First" in page and "Second" in page and "Now described" in page
    history = editor_client.get(reverse("admin:policies_commitment_history", args=[entry.pk])).text
    assert 'name="old"' in history and "Revert to this version" in history


def test_the_admin_compares_the_quotes_of_two_versions(editor_client, editor):
    entry = Commitment(slug="c", title="First", policy=factories.policy())
    workflow.entry_save(entry, by=editor, parts=lambda: factories.cite(entry, quote="Old words."))

    def requote():
        entry.citations.get().delete()
        factories.cite(entry, quote="New words.")

    workflow.entry_save(entry, by=editor, seen_version=entry.version, parts=requote)
    old, new = entry.history.order_by("history_date")
    url = reverse("admin:policies_commitment_compare", args=[entry.pk])
    response = editor_client.get(url, {"old": old.history_id, "new": new.history_id})
    removed, added = sorted(response.context["changes"], reverse=True)
    assert removed.label == "Citation removed" and "Old words." in removed.before
    assert added.label == "Citation added" and "New words." in added.after
    assert '<th scope="row">Citation removed</th>' in response.text


def test_the_admin_revert_page_asks_then_reverts(editor_client, editor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=editor
    )
    edit(entry, editor, title="Second")
    first = entry.history.earliest("history_date")
    url = reverse("admin:policies_commitment_revert", args=[entry.pk, first.history_id])
    assert "Bring back the fields" in editor_client.get(url).text
    editor_client.post(url, {"comment": "The first title was right."})
    assert Commitment.objects.get(pk=entry.pk).title == "First"


def test_the_admin_refuses_a_revert_to_contributors(contributor_client, contributor):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy()), by=contributor
    )
    first = entry.history.earliest("history_date")
    url = reverse("admin:policies_commitment_revert", args=[entry.pk, first.history_id])
    assert contributor_client.post(url).status_code == 403
    assert Commitment.objects.get(pk=entry.pk).state == State.DRAFT


def published_by(contributor, editor, **fields):
    entry = workflow.entry_save(
        Commitment(slug="c", title="First", policy=factories.policy(), **fields), by=contributor
    )
    factories.cite(entry, quote="The first passage.")
    return entry


def test_revert_refuses_to_overwrite_someone_elses_pending_edit(
    contributor, other_contributor, editor, other_editor
):
    entry = published_by(contributor, editor)
    first = entry.history.earliest("history_date")
    entry = edit(entry, contributor, title="Second")
    entry = workflow.entry_publish(workflow.entry_submit(entry, by=contributor), by=editor)
    draft = workflow.entry_start_edit(entry, by=other_contributor)
    draft = edit(draft, other_contributor, title="Someone's work")
    with pytest.raises(workflow.WorkflowError, match="Someone else is editing"):
        workflow.entry_revert(entry, to_version=first, by=other_editor)
    assert Commitment.objects.get(pk=draft.pk).title == "Someone's work"


def test_revert_brings_back_the_citations_of_that_version(contributor, editor):
    entry = published_by(contributor, editor)
    # The save that follows the citation is the version the citation belongs to.
    entry = edit(entry, contributor)
    first = entry.history.latest("history_date")
    citation = entry.citations.get()
    citation.quote = "A rewritten passage."
    citation.save()
    factories.cite(entry, quote="An added passage.")
    entry = edit(entry, contributor, title="Second")
    reverted = workflow.entry_revert(entry, to_version=first, by=editor)
    assert list(reverted.citations.values_list("quote", flat=True)) == ["The first passage."]


def test_revert_of_a_published_entry_restores_its_citations_in_the_edit(
    contributor, editor, other_editor
):
    entry = edit(published_by(contributor, editor), contributor)
    first = entry.history.latest("history_date")
    citation = entry.citations.get()
    citation.quote = "A rewritten passage."
    citation.save()
    entry = edit(entry, contributor, title="Second")
    entry = workflow.entry_publish(workflow.entry_submit(entry, by=contributor), by=editor)
    draft = workflow.entry_revert(entry, to_version=first, by=other_editor)
    assert list(draft.citations.values_list("quote", flat=True)) == ["The first passage."]
    assert list(entry.citations.values_list("quote", flat=True)) == ["A rewritten passage."]


def test_revert_brings_back_a_policys_actors_and_an_events_links(contributor, editor):
    from policies.models import Event, PolicyActor

    policy = factories.policy(created_by=contributor)
    leads, other = factories.actor(), factories.actor()
    PolicyActor.objects.create(policy=policy, actor=leads, role="leads")
    policy = edit(policy, contributor)
    first = policy.history.latest("history_date")
    PolicyActor.objects.filter(policy=policy).update(actor=other, role="funds")
    policy = edit(policy, contributor, title="Renamed")
    reverted = workflow.entry_revert(policy, to_version=first, by=editor)
    assert list(reverted.roles.values_list("actor", "role")) == [(leads.pk, "leads")]

    event = factories.event(created_by=contributor)
    linked = factories.policy()
    event.policies.add(linked)
    event = edit(event, contributor)
    first = event.history.latest("history_date")
    event.policies.set([factories.policy()])
    event = edit(event, contributor, title="Renamed")
    reverted = workflow.entry_revert(Event.objects.get(pk=event.pk), to_version=first, by=editor)
    assert list(reverted.policies.all()) == [linked]
