"""What the public sees is decided once (`public()`), and every change of it is recorded once:
the data version moves and `/api/v1/changes/` says what was published, updated or withdrawn,
including entries hidden or shown again with a parent."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from sources.models import Citation
from tests import factories as make
from tracker.core import freshness, workflow
from tracker.core.editorial import State

pytestmark = pytest.mark.django_db
SINCE = "2000-01-01T00:00:00Z"


@pytest.fixture
def strategy():
    country = make.jurisdiction(code="RU")
    policy = make.published_policy(slug="ru-ai", jurisdiction=country)
    pledge = make.published_commitment(slug="present", policy=policy)
    verdict = make.published_assessment(commitment=pledge)
    for entry in (policy, pledge, verdict):
        make.cite(entry)
    return policy


def changes(client):
    response = client.get(reverse("api:change-list"), {"since": SINCE})
    assert response.status_code == 200
    return [(row["kind"], row["id"], row["change"]) for row in response.json()["results"]]


def test_it_reports_a_policys_commitments_withdrawn_with_it(client, strategy, editor):
    pledge = strategy.commitments.get()
    verdict = pledge.assessments.get()
    workflow.entry_unpublish(strategy, by=editor, reason="Misread source")
    assert set(changes(client)) == {
        ("policy", strategy.pk, "withdrawn"),
        ("commitment", pledge.pk, "withdrawn"),
        ("assessment", verdict.pk, "withdrawn"),
    }
    assert client.get(f"/commitments/{pledge.slug}/").status_code == 404


def test_it_reports_them_published_again_when_the_policy_returns(
    client, strategy, editor, other_editor
):
    pledge = strategy.commitments.get()
    workflow.entry_unpublish(strategy, by=editor, reason="Checking")
    workflow.entry_reopen(strategy, by=editor)
    workflow.entry_submit(strategy, by=editor)
    workflow.entry_publish(strategy, by=other_editor)
    assert changes(client)[-3:] == [
        ("assessment", pledge.assessments.get().pk, "published"),
        ("commitment", pledge.pk, "published"),
        ("policy", strategy.pk, "published"),
    ]


def test_it_records_nothing_and_keeps_the_version_while_curators_work(client, contributor):
    before = freshness.current()
    draft = make.policy(created_by=contributor)
    make.cite(draft)
    draft.title = "Second thoughts"
    workflow.entry_save(draft, by=contributor, seen_version=draft.version)
    workflow.entry_submit(draft, by=contributor)
    assert freshness.current() == before
    assert changes(client) == []


def test_it_raises_the_version_once_for_each_public_change(strategy, editor):
    before = freshness.current().number
    workflow.entry_unpublish(strategy.commitments.get(), by=editor, reason="Duplicate")
    assert freshness.current().number == before + 1


def test_it_does_not_report_a_published_entry_of_a_draft_parent(client, contributor, editor):
    draft = make.policy(slug="secret")
    pledge = make.commitment(policy=draft, created_by=contributor)
    make.cite(pledge)
    workflow.entry_submit(pledge, by=contributor)
    workflow.entry_publish(pledge, by=editor)
    assert changes(client) == []


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/events/", "policy"),
        ("/api/v1/policies/", "parent"),
        ("/api/v1/commitments/", "policy"),
        ("/api/v1/funding/", "policy"),
        ("/events/", "policy"),
        ("/policies/", "parent"),
        ("/commitments/", "policy"),
    ],
)
def test_a_filter_by_a_drafts_slug_answers_like_an_unknown_slug(client, path, param):
    country = make.jurisdiction()
    draft = make.policy(slug="secret-plan", jurisdiction=country)
    event = make.event(state=State.PUBLISHED)
    event.policies.add(draft)
    make.published_policy(parent=draft, jurisdiction=country)
    make.published_commitment(policy=draft)
    make.funding(policy=draft, state=State.PUBLISHED)
    secret = client.get(path, {param: "secret-plan"})
    unknown = client.get(path, {param: "no-such-plan"})
    assert secret.status_code == unknown.status_code == 200
    if path.startswith("/api/"):
        assert secret.json()["results"] == unknown.json()["results"] == []
    else:
        assert secret.content.replace(b"secret-plan", b"no-such-plan") == unknown.content


def test_an_editor_filters_by_a_drafts_slug_in_the_api(editor_client):
    draft = make.policy(slug="secret-plan")
    event = make.event()
    event.policies.add(draft)
    found = editor_client.get("/api/v1/events/", {"policy": "secret-plan"}).json()["results"]
    assert [row["id"] for row in found] == [event.pk]


def test_a_link_to_an_entry_that_is_not_public_reads_as_empty(client):
    hidden = make.jurisdiction(code="ZZ", name="Hiddenland", state=State.DRAFT)
    actor = make.actor(state=State.PUBLISHED, jurisdiction=hidden)
    detail = client.get(f"/api/v1/actors/{actor.pk}/").json()
    assert detail["jurisdiction"] is None
    assert "Hiddenland" not in client.get(f"/actors/{actor.slug}/").text
    assert "Hiddenland" not in client.get("/actors/").text


def test_it_keeps_a_source_published_while_public_entries_quote_it(strategy, editor):
    source = strategy.citations.get().source
    with pytest.raises(workflow.WorkflowError, match="Public entries quote it"):
        workflow.entry_unpublish(source, by=editor, reason="Found to be unreliable")
    workflow.entry_unpublish(strategy, by=editor, reason="Rests on an unreliable source")
    for entry in (strategy.commitments.get(), strategy.commitments.get().assessments.get()):
        # Hidden with the policy, but still published: they still count until withdrawn.
        assert entry.state == State.PUBLISHED
    source.refresh_from_db()
    assert source.withdrawal_problems() == []


def test_a_citation_of_a_kind_no_longer_installed_does_not_keep_a_source_published(editor):
    source = make.source(state=State.PUBLISHED)
    gone = ContentType.objects.create(app_label="policies", model="retiredkind")
    Citation.objects.create(
        source=source, content_type=gone, object_id=1, quote="A passage.", section="Intro"
    )
    assert source.withdrawal_problems() == []
    workflow.entry_unpublish(source, by=editor, reason="Found to be unreliable")


@pytest.mark.parametrize(
    "path", ["/api/v1/policies/", "/api/v1/commitments/", "/api/v1/commitments/csv/"]
)
def test_the_apis_validators_move_with_any_public_change_and_only_then(
    client, strategy, editor, contributor, path
):
    first = client.get(path)
    assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304
    draft = make.policy(created_by=contributor)
    workflow.entry_save(draft, by=contributor, seen_version=draft.version)
    assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304
    # A withdrawn event touches neither list, yet both answer anew: one version for all.
    event = make.event(state=State.PUBLISHED)
    make.cite(event)
    workflow.entry_unpublish(event, by=editor, reason="Wrong date")
    again = client.get(path, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
