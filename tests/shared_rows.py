"""Rows that tests share: staff members in a role, and rows built once for a class or module."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction


def member(username, group_name):
    """A staff account in the group (Contributor, Editor) that gives it its role."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "x-9-long-pass", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def rows_for_a_scope(django_db_blocker, build):
    """A fixture body for rows that several tests share (a class's, a module's): `build()`
    writes them once, in a transaction rolled back after the scope's last test, so no test
    outside the scope sees them. Each test's own changes, to the shared rows too, roll back at
    its end as usual (its transaction is a savepoint inside this one), so every test starts
    from the rows as built. Not for transactional tests, whose flush would empty them."""
    with django_db_blocker.unblock():
        shared = transaction.atomic()
        shared.__enter__()
        try:
            built = build()
        except BaseException:
            shared.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            shared.__exit__(None, None, None)
