"""Each editorial action is declared once, in workflow's table, and every surface reads it."""

import pytest
from django.urls import reverse

from tests import factories
from tracker.core import workflow
from tracker.core.editorial import State


def test_the_module_diagram_shows_every_declared_transition():
    for step in workflow.TRANSITIONS:
        for state in step.from_states:
            arrow = f"{state} --{step.name}-->"
            if step.to_state is not None:
                arrow += f" {step.to_state}"
            assert arrow in workflow.__doc__, arrow


def test_every_action_is_run_by_name_and_an_unknown_one_lists_them_all():
    assert list(workflow.ACTIONS) == [*(s.name for s in workflow.TRANSITIONS), "comment"]
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.entry_transition(None, "approve", by=None)
    assert refused.value.message.endswith(f"use one of {', '.join(workflow.ACTIONS)}.")


def test_the_api_schema_accepts_exactly_the_declared_actions(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    request = schema["components"]["schemas"]["ActionEnum"]
    assert request["enum"] == list(workflow.ACTIONS)


@pytest.mark.django_db
def test_the_admin_shows_the_declared_label_of_each_offered_action(contributor_client, contributor):
    entry = factories.commitment(created_by=contributor, state=State.DRAFT)
    page = contributor_client.get(reverse("admin:policies_commitment_change", args=[entry.pk])).text
    assert f'value="submit">{workflow.SUBMIT.label}</button>' in page
    assert f'value="comment">{workflow.COMMENT.label}</button>' in page
    assert workflow.PUBLISH.label not in page
    assert "required to request changes or unpublish;" in page
