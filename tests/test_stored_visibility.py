"""Visibility is stored (`Curated.is_public`) and kept in step by the write path: every save
brings the entry and the entries depending on it in step with `visible_rule`, and a rebuild
from scratch finds nothing to change."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policies.models import Assessment, Commitment, Policy
from tests import factories as make
from tracker.core import workflow
from tracker.core.editorial import State, rebuild_visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    country = make.jurisdiction(code="RU")
    policy = make.published_policy(slug="ru-ai", jurisdiction=country)
    pledge = make.published_commitment(slug="present", policy=policy)
    verdict = make.published_assessment(commitment=pledge)
    for entry in (policy, pledge, verdict):
        make.cite(entry)
    return country, policy, pledge, verdict


def public_ids(model):
    return set(model.objects.public().values_list("pk", flat=True))


def test_a_published_entry_with_public_parents_is_public(world):
    _, policy, pledge, verdict = world
    assert public_ids(Policy) == {policy.pk}
    assert public_ids(Commitment) == {pledge.pk}
    assert public_ids(Assessment) == {verdict.pk}
    assert rebuild_visibility() == 0


def test_withdrawing_a_policy_hides_what_depends_on_it_and_publishing_shows_it_again(world, editor):
    _, policy, pledge, _ = world
    workflow.entry_unpublish(policy, by=editor, reason="Misread source")
    assert public_ids(Commitment) == set() and public_ids(Assessment) == set()
    # Their own state is unchanged: they are hidden by their parent, not withdrawn.
    assert Commitment.objects.get(pk=pledge.pk).state == State.PUBLISHED
    assert rebuild_visibility() == 0
    workflow.entry_reopen(Policy.objects.get(pk=policy.pk), by=editor, comment="Fixed")
    assert public_ids(Commitment) == set()
    assert rebuild_visibility() == 0


def test_a_draft_jurisdiction_hides_its_policies_all_the_way_down(world):
    country, *_ = world
    country.state = State.DRAFT
    country.save()
    assert public_ids(Policy) == public_ids(Commitment) == public_ids(Assessment) == set()
    country.state = State.PUBLISHED
    country.save()
    assert len(public_ids(Assessment)) == 1
    assert rebuild_visibility() == 0


def test_a_save_from_a_stale_copy_does_not_write_visibility_back(world):
    _, policy, pledge, _ = world
    stale = Commitment.objects.get(pk=pledge.pk)
    policy.state = State.DRAFT
    policy.save()
    stale.title = "Renamed while its policy was withdrawn"
    stale.save()
    assert not Commitment.objects.get(pk=pledge.pk).is_public


def test_a_draft_save_of_an_entry_never_public_costs_no_visibility_query(world):
    _, policy, *_ = world
    draft = make.commitment(slug="draft", policy=policy)
    draft.title = "Still a draft"
    with CaptureQueriesContext(connection) as queries:
        draft.save()
    # The row's UPDATE (which leaves the column alone) and its history record; nothing else.
    assert len(queries) == 2
    assert not any("is_public" in q["sql"] for q in queries)


def test_a_rebuild_repairs_rows_written_around_the_write_path(world):
    _, _, pledge, _ = world
    # A raw UPDATE (a data fix in SQL, rows loaded with COPY) bypasses the write path.
    Commitment.objects.filter(pk=pledge.pk).update(state=State.DRAFT)
    assert rebuild_visibility() == 2  # the commitment and its assessment
    assert public_ids(Commitment) == public_ids(Assessment) == set()


def test_the_command_rebuilds_and_says_what_it_changed(world, capsys):
    _, _, pledge, _ = world
    Commitment.objects.filter(pk=pledge.pk).update(is_public=False)
    call_command("rebuild_read_model")
    assert "1 entry's visibility" in capsys.readouterr().out
    assert public_ids(Commitment) == {pledge.pk}
    call_command("rebuild_read_model")
    assert "nothing to change" in capsys.readouterr().out
