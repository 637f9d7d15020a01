"""Membership of the Contributor or Editor group is enough to log in; `add_curator` sets a
person up in one command."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from tracker.core.roles import CONTRIBUTOR, EDITOR

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-pass-29"


def person(name="researcher@example.org"):
    return get_user_model().objects.create_user(name, name, PASSWORD)


def logs_in(client, user) -> bool:
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}
    )
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.parametrize("role", [CONTRIBUTOR, EDITOR])
def test_a_member_of_a_curation_group_logs_in_to_the_admin(client, role):
    user = person()
    assert not logs_in(client, user)
    user.groups.add(Group.objects.get(name=role))
    user.refresh_from_db()
    assert user.is_staff
    assert logs_in(client, user)
    assert client.get("/admin/").status_code == 200


def test_adding_people_to_the_group_from_its_side_makes_them_staff_too():
    first, second = person("a@example.org"), person("b@example.org")
    Group.objects.get(name=EDITOR).user_set.add(first, second)
    assert set(
        get_user_model().objects.filter(is_staff=True).values_list("username", flat=True)
    ) == {
        "a@example.org",
        "b@example.org",
    }


def test_another_group_gives_no_staff_status():
    user = person()
    user.groups.add(Group.objects.create(name="Newsletter"))
    user.refresh_from_db()
    assert not user.is_staff


def test_add_curator_creates_an_account_without_a_password_when_asked_for_none():
    out = io.StringIO()
    call_command("add_curator", "new@example.org", role="editor", interactive=False, stdout=out)
    user = get_user_model().objects.get(username="new@example.org")
    assert user.is_staff and user.is_active and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [EDITOR]
    assert "changepassword new@example.org" in out.getvalue()


def test_add_curator_asks_for_a_password_until_it_is_good(monkeypatch, client):
    answers = iter(["short", "short", PASSWORD, "a typo", PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    err = io.StringIO()
    call_command(
        "add_curator", "new@example.org", role="contributor", stdout=io.StringIO(), stderr=err
    )
    assert "too short" in err.getvalue() and "differ" in err.getvalue()
    assert logs_in(client, get_user_model().objects.get(username="new@example.org"))


def test_add_curator_gives_an_existing_account_its_role():
    user = person()
    call_command(
        "add_curator",
        "RESEARCHER@example.org",
        role="contributor",
        interactive=False,
        stdout=io.StringIO(),
    )
    user.refresh_from_db()
    assert user.is_staff and user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [CONTRIBUTOR]


@pytest.mark.parametrize(
    ("email", "role", "says"),
    [("not an address", "editor", "is not an email address")],
)
def test_add_curator_refuses_what_it_cannot_use(email, role, says):
    with pytest.raises(CommandError, match=says):
        call_command("add_curator", email, role=role, interactive=False)


def test_add_curator_refuses_an_unknown_role():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("add_curator", "a@example.org", "--role", "owner", "--no-input")
