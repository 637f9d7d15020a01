"""A published entry stays as published while an edit of it waits for review; approval makes it live."""

import pytest

from policies.models import Commitment, Event, PolicyActor
from tests import factories
from tracker.core import workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(contributor, editor):
    entry = factories.commitment(
        created_by=contributor, title="Present the strategy", due="2019-07-01"
    )
    factories.cite(entry, quote="to be presented by 1 July 2019")
    entry = workflow.entry_submit(entry, by=contributor)
    return workflow.entry_publish(entry, by=editor)


def propose(entry, by, **changes):
    draft = workflow.entry_start_edit(entry, by=by)
    for name, value in changes.items():
        setattr(draft, name, value)
    return workflow.entry_save(draft, by=by, seen_version=draft.version)


def test_an_edit_of_a_published_entry_is_a_draft_the_public_does_not_see(published, contributor):
    draft = propose(published, contributor, title="Present the national strategy")
    assert draft.state == State.DRAFT
    assert draft.draft_of == published
    public = Commitment.objects.published()
    assert list(public.values_list("title", flat=True)) == ["Present the strategy"]
    assert draft.citations.get().quote == "to be presented by 1 July 2019"


def test_approving_the_edit_makes_it_live_on_the_same_entry(published, contributor, other_editor):
    draft = propose(published, contributor, title="Present the national strategy")
    factories.cite(draft, quote="the decree was signed on 10 October 2019")
    draft = workflow.entry_submit(draft, by=contributor)
    live = workflow.entry_publish(draft, by=other_editor)
    assert live.pk == published.pk
    assert live.title == "Present the national strategy"
    assert live.version == published.version + 1
    assert sorted(live.citations.values_list("quote", flat=True)) == [
        "the decree was signed on 10 October 2019",
        "to be presented by 1 July 2019",
    ]
    assert not Commitment.objects.filter(pk=draft.pk).exists()
    assert Commitment.objects.filter(slug=published.slug).count() == 1


def test_a_second_person_editing_a_published_entry_joins_the_pending_edit(
    published, contributor, other_contributor
):
    first = workflow.entry_start_edit(published, by=contributor)
    assert workflow.entry_start_edit(published, by=other_contributor) == first


def test_an_edit_keeps_and_applies_the_entrys_relations(contributor, editor, other_editor):
    policy = factories.policy(created_by=contributor)
    factories.cite(policy)
    actor, other = factories.actor(), factories.actor()
    PolicyActor.objects.create(policy=policy, actor=actor, role="leads")
    policy = workflow.entry_publish(workflow.entry_submit(policy, by=contributor), by=editor)
    draft = workflow.entry_start_edit(policy, by=contributor)
    assert list(draft.roles.values_list("actor", "role")) == [(actor.pk, "leads")]
    draft.roles.update(actor=other)
    workflow.entry_publish(workflow.entry_submit(draft, by=contributor), by=other_editor)
    assert list(policy.roles.values_list("actor", "role")) == [(other.pk, "leads")]


def test_an_event_edit_carries_its_many_to_many_links(contributor, editor, other_editor):
    event = factories.event(created_by=contributor)
    factories.cite(event)
    linked = factories.policy()
    event.policies.add(linked)
    event = workflow.entry_publish(workflow.entry_submit(event, by=contributor), by=editor)
    draft = workflow.entry_start_edit(event, by=contributor)
    assert list(draft.policies.all()) == [linked]
    assert list(Event.objects.get(pk=event.pk).policies.all()) == [linked]


def test_relations_never_point_at_a_pending_edit(published, contributor):
    draft = propose(published, contributor)
    assert list(Commitment.objects.originals()) == [published]
    assert draft not in Commitment.objects.originals()


def test_a_second_contributor_who_joins_a_pending_edit_can_change_and_submit_it(
    published, contributor, other_contributor, client
):
    from django.urls import reverse

    from tests.test_citation_write_path import as_row, change_post

    first = propose(published, contributor, title="Present the national strategy")
    joined = workflow.entry_start_edit(published, by=other_contributor)
    assert workflow.can_edit(other_contributor, joined)
    client.force_login(other_contributor)
    data = change_post(joined, [as_row(joined.citations.get())])
    data["title"] = "Present the national AI strategy"
    response = client.post(reverse("admin:policies_commitment_change", args=[joined.pk]), data)
    assert response.status_code == 302
    assert Commitment.objects.get(pk=first.pk).title == "Present the national AI strategy"
    assert "submit" in workflow.allowed_actions(other_contributor, joined)
    assert workflow.can_comment(other_contributor, joined)
    assert workflow.entry_submit(joined, by=other_contributor).state == State.IN_REVIEW


def test_a_pending_edit_in_review_is_the_editors_alone(published, contributor, other_contributor):
    draft = workflow.entry_submit(propose(published, contributor, title="New"), by=contributor)
    assert not workflow.can_edit(other_contributor, draft)
    assert not workflow.can_edit(contributor, draft)


def test_a_published_jurisdiction_is_edited_through_a_pending_edit_that_shares_its_code(
    editor, other_editor
):
    country = factories.jurisdiction(code="RU", name="Russia")
    factories.cite(country)
    edit = workflow.entry_start_edit(country, by=editor)
    assert (edit.code, edit.draft_of_id) == ("RU", country.pk)
    edit.name = "Russian Federation"
    workflow.entry_save(edit, by=editor, seen_version=edit.version)
    workflow.entry_submit(edit, by=editor)
    workflow.entry_publish(edit, by=other_editor)
    country.refresh_from_db()
    assert country.name == "Russian Federation"
