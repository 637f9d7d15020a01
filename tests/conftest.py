import io

import pytest

pytest_plugins = ["tests.clock"]


@pytest.fixture(autouse=True)
def empty_cache():
    # Throttle counters and cached pages must not carry over from one test to the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a user; tests log in with force_login or a known password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def shipped_dataset(django_db_setup, django_db_blocker):
    """fixtures/, loaded once for the tests of one class (a load takes seconds), in a
    transaction rolled back after the class's last test: no test outside the class sees it.
    Each test's own changes, to the dataset too, roll back at its end as usual, so every test
    of the class starts from the dataset as loaded. Not for transactional tests, whose flush
    would empty it."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        loaded = transaction.atomic()
        loaded.__enter__()
        try:
            call_command("load_documents", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            loaded.__exit__(None, None, None)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor-in-chief", "chief@example.org", "x-9-long-pass"
    )


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def _member(django_user_model, username, group_name):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "x-9-long-pass", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def contributor(django_user_model):
    return _member(django_user_model, "contributor", "Contributor")


@pytest.fixture
def other_contributor(django_user_model):
    return _member(django_user_model, "other-contributor", "Contributor")


@pytest.fixture
def editor(django_user_model):
    return _member(django_user_model, "editor", "Editor")


@pytest.fixture
def other_editor(django_user_model):
    return _member(django_user_model, "other-editor", "Editor")


def logged_in(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture(params=["contributor", "editor"])
def staff_client(request):
    """A client signed in as a contributor, then (the same test again) as an editor: the two
    roles researchers and editors work in the admin with."""
    return request.getfixturevalue(f"{request.param}_client")


@pytest.fixture
def contributor_client(contributor):
    from django.test import Client

    return logged_in(Client, contributor)


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    return logged_in(Client, editor)
