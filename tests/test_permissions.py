"""Who may do what, through the admin and through the API: one matrix of roles and actions.

Each action is tried over HTTP by each role and judged by its effect on the database (or, for
opening a page, by whether the page opens), never by the button alone. The transition
functions' own matrix is in tests/test_workflow.py; this one proves the doors in front of them.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from policies.models import Commitment
from tests import factories
from tracker.core import roles, workflow
from tracker.core.editorial import State
from tracker.core.models import Transition

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "contributor", "other contributor", "editor", "superuser"]


@pytest.fixture
def people(django_user_model, contributor, other_contributor, editor, other_editor, superuser):
    author = django_user_model.objects.create_user("author", "a@example.org", "x", is_staff=True)
    author.groups.add(Group.objects.get(name="Contributor"))
    return {
        "anonymous": None,
        "contributor": contributor,
        "other contributor": other_contributor,
        "editor": editor,
        "other editor": other_editor,
        "superuser": superuser,
        "author": author,
    }


def draft_by(user, title="A pledge"):
    entry = factories.commitment(created_by=user, state=State.DRAFT, title=title)
    factories.cite(entry)
    return entry


def in_review_by(user):
    return workflow.entry_submit(draft_by(user), by=user)


def published(people):
    return workflow.entry_publish(in_review_by(people["author"]), by=people["other editor"])


def state_of(entry):
    return Commitment.objects.get(pk=entry.pk).state


def admin(name, *args):
    return reverse(f"admin:policies_commitment_{name}", args=args)


def post_transition(client, entry, action, comment="Reason given"):
    client.post(admin("transition", entry.pk), {"action": action, "comment": comment})


# -- the admin ---------------------------------------------------------------------------


def admin_view(client, user, people):
    return client.get(admin("changelist")).status_code == 200


def admin_create(client, user, people):
    return client.get(admin("add")).status_code == 200


def admin_edit_own(client, user, people):
    entry = draft_by(user or people["author"])
    return 'name="title"' in client.get(admin("change", entry.pk)).text


def admin_edit_anothers(client, user, people):
    entry = draft_by(people["author"])
    return 'name="title"' in client.get(admin("change", entry.pk)).text


def admin_submit(client, user, people):
    entry = draft_by(user or people["author"])
    post_transition(client, entry, "submit")
    return state_of(entry) == State.IN_REVIEW


def admin_submit_anothers(client, user, people):
    entry = draft_by(people["author"])
    post_transition(client, entry, "submit")
    return state_of(entry) == State.IN_REVIEW


def admin_approve_own(client, user, people):
    entry = in_review_by(user or people["author"])
    post_transition(client, entry, "publish")
    return state_of(entry) == State.PUBLISHED


def admin_publish(client, user, people):
    entry = in_review_by(people["author"])
    post_transition(client, entry, "publish")
    return state_of(entry) == State.PUBLISHED


def admin_unpublish(client, user, people):
    entry = published(people)
    post_transition(client, entry, "unpublish")
    return state_of(entry) == State.UNPUBLISHED


def admin_revert(client, user, people):
    entry = draft_by(people["author"], title="First")
    entry.title = "Second"
    workflow.entry_save(entry, by=people["author"], seen_version=entry.version)
    first = entry.history.earliest("history_date")
    client.post(admin("revert", entry.pk, first.history_id), {"comment": "First was right."})
    return Commitment.objects.get(pk=entry.pk).title == "First"


def admin_delete(client, user, people):
    entry = draft_by(people["author"])
    client.post(admin("delete", entry.pk), {"post": "yes"})
    return not Commitment.objects.filter(pk=entry.pk).exists()


def admin_delete_published(client, user, people):
    entry = published(people)
    client.post(admin("delete", entry.pk), {"post": "yes"})
    return not Commitment.objects.filter(pk=entry.pk).exists()


def admin_import(client, user, people):
    return client.get(admin("import")).status_code == 200


ADMIN_ACTIONS = {
    # action: who may, in the order of ROLES
    "view": (admin_view, [False, True, True, True, True]),
    "create": (admin_create, [False, True, True, True, True]),
    "edit own": (admin_edit_own, [False, True, True, True, True]),
    "edit another's": (admin_edit_anothers, [False, False, False, True, True]),
    "submit own": (admin_submit, [False, True, True, True, True]),
    "submit another's": (admin_submit_anothers, [False, False, False, True, True]),
    "approve own": (admin_approve_own, [False, False, False, False, False]),
    "publish": (admin_publish, [False, False, False, True, True]),
    "unpublish": (admin_unpublish, [False, False, False, True, True]),
    "revert": (admin_revert, [False, False, False, True, True]),
    "delete a draft": (admin_delete, [False, False, False, True, True]),
    # Nobody, not even a superuser, deletes what the public may have cited: unpublish it.
    "delete a published entry": (admin_delete_published, [False, False, False, False, False]),
    "import": (admin_import, [False, True, True, True, True]),
}


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("action", ADMIN_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_the_admin_permission_matrix(people, role, action):
    attempt, allowed = ADMIN_ACTIONS[action]
    user = people[role]
    assert attempt(client_for(user), user, people) is allowed[ROLES.index(role)]


# -- the API -----------------------------------------------------------------------------


def api_client(user):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def api_transition(client, entry, action, comment="Reason given"):
    return client.post(
        reverse("api:commitment-transition", args=[entry.pk]),
        {"action": action, "comment": comment},
        format="json",
    )


def api_view_drafts(client, user, people):
    draft_by(people["author"], title="A draft only researchers see")
    return "A draft only researchers see" in client.get(reverse("api:commitment-list")).text


def api_submit_own(client, user, people):
    entry = draft_by(user or people["author"])
    api_transition(client, entry, "submit")
    return state_of(entry) == State.IN_REVIEW


def api_approve_own(client, user, people):
    entry = in_review_by(user or people["author"])
    api_transition(client, entry, "publish")
    return state_of(entry) == State.PUBLISHED


def api_publish(client, user, people):
    entry = in_review_by(people["author"])
    api_transition(client, entry, "publish")
    return state_of(entry) == State.PUBLISHED


def api_unpublish(client, user, people):
    entry = published(people)
    api_transition(client, entry, "unpublish")
    return state_of(entry) == State.UNPUBLISHED


def api_write(client, user, people):
    """The API changes content only through transitions: no create, update or delete."""
    entry = draft_by(people["author"], title="Unchanged")
    before = Commitment.objects.count()
    detail = reverse("api:commitment-detail", args=[entry.pk])
    codes = [
        client.post(reverse("api:commitment-list"), {"slug": "x", "title": "New"}).status_code,
        client.put(detail, {"title": "Changed"}, format="json").status_code,
        client.patch(detail, {"title": "Changed"}, format="json").status_code,
        client.delete(detail).status_code,
    ]
    assert all(code in (401, 403, 405) for code in codes), codes
    return Commitment.objects.count() != before or state_of(entry) != State.DRAFT


API_ACTIONS = {
    "view drafts": (api_view_drafts, [False, True, True, True, True]),
    "submit own": (api_submit_own, [False, True, True, True, True]),
    "approve own": (api_approve_own, [False, False, False, False, False]),
    "publish": (api_publish, [False, False, False, True, True]),
    "unpublish": (api_unpublish, [False, False, False, True, True]),
    "write content": (api_write, [False, False, False, False, False]),
}


@pytest.mark.parametrize("action", API_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_the_api_permission_matrix(people, role, action):
    attempt, allowed = API_ACTIONS[action]
    user = people[role]
    assert attempt(api_client(user), user, people) is allowed[ROLES.index(role)]


def test_a_refused_attempt_leaves_no_trace_in_the_log(people):
    entry = in_review_by(people["author"])
    before = Transition.objects.count()
    post_transition(client_for(people["contributor"]), entry, "publish")
    api_transition(api_client(people["other contributor"]), entry, "publish")
    api_transition(api_client(None), entry, "publish")
    assert Transition.objects.count() == before
    assert state_of(entry) == State.IN_REVIEW


def test_the_roles_cover_every_curated_kind_and_the_parts_edited_with_an_entry():
    # The core names no app: the kinds come from the models (tracker.core.roles).
    assert roles.curated_kinds() == [
        ("sources", "source"),
        ("policies", "jurisdiction"),
        ("policies", "actor"),
        ("policies", "policy"),
        ("policies", "commitment"),
        ("policies", "assessment"),
        ("policies", "funding"),
        ("policies", "event"),
        ("policies", "estimate"),
    ]
    assert roles.part_kinds() == [("policies", "policyactor"), ("sources", "citation")]


@pytest.mark.django_db
def test_the_groups_hold_exactly_the_permissions_the_roles_name():
    for name, wanted in roles.role_permissions().items():
        held = set(
            Group.objects.get(name=name).permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
        assert held == wanted


def test_only_a_signed_in_person_can_act_through_the_workflow(contributor):
    # The admin and the API keep anonymous visitors out first; this is the workflow's own check.
    assert workflow.signed_in(contributor) == contributor
    with pytest.raises(PermissionDenied):
        workflow.signed_in(AnonymousUser())
