import pytest


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "editor-in-chief", "chief@example.org", "x-9-long-pass"
    )


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client
