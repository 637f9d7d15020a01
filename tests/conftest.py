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


@pytest.fixture
def contributor_client(contributor):
    from django.test import Client

    return logged_in(Client, contributor)


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    return logged_in(Client, editor)
