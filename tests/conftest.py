import io

import pytest

from tests.shared_rows import member, rows_for_a_scope

pytest_plugins = ["tests.clock", "tests.atlas"]


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def reset_task_backends():
    """Django builds its task backends once; after a change of TASKS, build them anew."""
    from django.tasks import task_backends

    task_backends.__init__()
    task_backends.__dict__.pop("settings", None)


@pytest.fixture(autouse=True, scope="session")
def background_work_at_once(tmp_path_factory):
    """Background tasks run when they are enqueued (Django's immediate backend), so that tests
    are deterministic and need no worker; what they write goes to a folder of the session's,
    never the project's media/ (each test has its own folder besides: `media_of_its_own`)."""
    from django.test import override_settings

    with override_settings(TASKS=IMMEDIATE_TASKS, MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        reset_task_backends()
        yield
    reset_task_backends()


@pytest.fixture(autouse=True)
def media_of_its_own(settings, tmp_path_factory):
    # The files one test's publications built are not another's: versions restart each test.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


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
    """fixtures/, loaded once for the tests of one class (a load takes seconds)."""
    from django.core.management import call_command

    yield from rows_for_a_scope(
        django_db_blocker, lambda: call_command("load_documents", stdout=io.StringIO())
    )


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor-in-chief", "chief@example.org", "x-9-long-pass"
    )


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def roles(transactional_db):
    """The Contributor and Editor groups with their permissions, for a transactional test: its
    flush empties the groups the migrations wrote."""
    from django.contrib.auth.models import Group, Permission

    from tracker.core.roles import role_permissions

    for name, wanted in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        )


@pytest.fixture
def contributor(db):
    return member("contributor", "Contributor")


@pytest.fixture
def other_contributor(db):
    return member("other-contributor", "Contributor")


@pytest.fixture
def editor(db):
    return member("editor", "Editor")


@pytest.fixture
def other_editor(db):
    return member("other-editor", "Editor")


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
