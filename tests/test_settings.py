"""Settings come from the environment; production refuses to start half-configured.

The settings module is run afresh in this process under each environment (`runpy`): it reads
only the environment, so that is what a process started with it would get, at a fraction of a
second's cost a start. One test starts a real process, to see production refuse to start."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "tracker" / "settings.py"
# A key as `secrets.token_urlsafe(50)` makes them, fixed so that failures repeat.
STRONG_KEY = "pV3x0-Hq8kR2mZtW9yLb4nC7sJdF1gAeUoIiKw6vTcNhQ5rMjXp"
UNSET = ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "DJANGO_ENV")


def environment(**env) -> dict[str, str]:
    found = {k: v for k, v in os.environ.items() if k not in UNSET}
    return {**found, **env}


def defined_under(**env) -> dict:
    """Every name the settings module defines under `env` (and this process's other variables)."""
    with mock.patch.dict(os.environ, environment(**env), clear=True):
        return runpy.run_path(str(SETTINGS))


def settings_under(**env) -> dict:
    """What the settings module defines under `env`, of what most tests look at."""
    s = defined_under(**env)
    db = s["DATABASES"]["default"]
    return {
        "engine": db["ENGINE"],
        "name": str(db["NAME"]),
        "max_age": db["CONN_MAX_AGE"],
        "health": db["CONN_HEALTH_CHECKS"],
        "options": db.get("OPTIONS", {}),
        "cache": s["CACHES"]["default"]["BACKEND"],
        "debug": s["DEBUG"],
        "hsts": s.get("SECURE_HSTS_SECONDS", 0),
        "ssl_redirect": s.get("SECURE_SSL_REDIRECT", False),
        "secure_cookies": s.get("SESSION_COOKIE_SECURE", False)
        and s.get("CSRF_COOKIE_SECURE", False),
        "csp": bool(s.get("SECURE_CSP")),
        "timeouts": {
            "public": s["DATABASE_STATEMENT_TIMEOUT_MS"],
            "admin": s["DATABASE_ADMIN_STATEMENT_TIMEOUT_MS"],
            "healthz": s["HEALTHZ_TIMEOUT_MS"],
            "proxies": s["TRUSTED_PROXY_COUNT"],
        },
    }


def refusal(**env) -> str:
    """The message the settings refuse `env` with."""
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_under(**env)
    return str(refused.value)


def test_a_production_process_without_a_secret_key_refuses_to_start_and_says_why():
    env = environment(DJANGO_ENV="production", SECRET_KEY="", ALLOWED_HOSTS="example.org")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "tracker.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable." in result.stderr


def test_it_refuses_production_without_a_secret_key():
    message = refusal(DJANGO_ENV="production", SECRET_KEY="", ALLOWED_HOSTS="example.org")
    assert "Set the SECRET_KEY environment variable." in message


def test_it_refuses_production_without_allowed_hosts():
    message = refusal(DJANGO_ENV="production", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="")
    assert "Set ALLOWED_HOSTS" in message


def test_it_refuses_debug_in_production():
    message = refusal(
        DJANGO_ENV="production", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="a.org", DEBUG="true"
    )
    assert "DEBUG must be off in production." in message


def test_it_refuses_an_unknown_environment_name():
    assert "DJANGO_ENV must be one of development, production" in refusal(DJANGO_ENV="staging")


def test_it_refuses_a_boolean_it_cannot_read():
    assert "DEBUG must be true or false" in refusal(DEBUG="maybe")


def test_it_turns_on_https_hsts_and_secure_cookies_in_production():
    values = settings_under(DJANGO_ENV="production", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="a.org")
    assert values["debug"] is False
    assert values["hsts"] >= 31536000
    assert values["ssl_redirect"] is True
    assert values["secure_cookies"] is True
    assert values["csp"] is True


def test_it_defaults_to_sqlite_in_wal_mode_with_immediate_transactions():
    values = settings_under()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in values["options"]["init_command"]


def test_it_uses_postgresql_with_persistent_checked_connections_from_database_url():
    values = settings_under(DATABASE_URL="postgres://u:p@127.0.0.1:5432/tracker")
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["max_age"] == 600
    assert values["health"] is True
    assert values["options"]["options"] == "-c jit=off"


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/1"}, "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_it_caches_in_redis_only_when_redis_url_is_set(env, backend):
    assert settings_under(**env)["cache"] == backend


@pytest.mark.parametrize(
    "key",
    [
        "short-but-random-Zx81",  # under 50 characters
        "a" * 64,  # long, one character
        "abcd" * 16,  # long, four characters
        "django-insecure-" + STRONG_KEY,  # Django's mark of a generated development key
    ],
)
def test_it_refuses_production_with_a_weak_secret_key_and_says_how_to_make_one(key):
    message = refusal(DJANGO_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="a.org")
    assert "SECRET_KEY is too weak" in message
    assert "secrets.token_urlsafe(50)" in message
    assert key not in message  # a secret, even a weak one, stays out of logs


def test_it_accepts_a_generated_secret_key_in_production():
    import secrets

    key = secrets.token_urlsafe(50)
    values = settings_under(DJANGO_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="a.org")
    assert values["debug"] is False


def test_a_development_key_need_not_be_strong():
    assert settings_under(SECRET_KEY="dev")["debug"] is True


def test_it_sets_connect_and_statement_timeouts_from_the_environment():
    values = settings_under(
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/tracker",
        DATABASE_CONNECT_TIMEOUT="3",
        DATABASE_STATEMENT_TIMEOUT_MS="4000",
        DATABASE_ADMIN_STATEMENT_TIMEOUT_MS="20000",
    )
    assert values["options"]["connect_timeout"] == 3
    assert values["timeouts"] == {"public": 4000, "admin": 20000, "healthz": 1500, "proxies": 0}


def test_it_defaults_to_five_second_connects_and_statements_and_thirty_in_the_admin():
    values = settings_under(DATABASE_URL="postgres://u:p@127.0.0.1:5432/tracker")
    assert values["options"]["connect_timeout"] == 5
    assert values["timeouts"] == {"public": 5000, "admin": 30000, "healthz": 1500, "proxies": 0}


def test_sqlite_writers_wait_for_the_lock_as_long_as_a_statement_may_run():
    assert settings_under(DATABASE_STATEMENT_TIMEOUT_MS="3000")["options"]["timeout"] == 3


@pytest.mark.parametrize(
    "name",
    ["DATABASE_CONNECT_TIMEOUT", "DATABASE_STATEMENT_TIMEOUT_MS", "TRUSTED_PROXY_COUNT"],
)
def test_it_refuses_a_number_it_cannot_read(name):
    message = refusal(**{name: "five"})
    assert f"{name} must be a whole number of 0 or more, not 'five'." in message


PRIMARY_URL = "postgres://u:p@127.0.0.1:5432/tracker"
REPLICA_URL = "postgres://u:p@127.0.0.1:5433/tracker"


def test_without_a_replica_url_every_query_goes_to_the_one_database():
    s = defined_under(DATABASE_URL=PRIMARY_URL)
    assert list(s["DATABASES"]) == ["default"]
    assert "DATABASE_ROUTERS" not in s
    assert "tracker.core.replica.ReplicaMiddleware" not in s["MIDDLEWARE"]


def test_a_replica_url_adds_the_replica_its_router_and_its_middleware_after_authentication():
    s = defined_under(
        DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URL=REPLICA_URL, DATABASE_CONNECT_TIMEOUT="3"
    )
    found = s["DATABASES"]["replica"]
    assert (found["HOST"], found["PORT"], found["NAME"]) == ("127.0.0.1", 5433, "tracker")
    assert found["OPTIONS"] == {"options": "-c jit=off", "connect_timeout": 3}
    assert (found["CONN_MAX_AGE"], found["CONN_HEALTH_CHECKS"]) == (600, True)
    # In tests, the replica reads the primary's test database, which reaches it by replay.
    assert found["TEST"] == {"MIRROR": "default"}
    assert s["DATABASE_ROUTERS"] == ["tracker.core.replica.ReplicaRouter"]
    middleware = s["MIDDLEWARE"]
    after = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    assert middleware[after] == "tracker.core.replica.ReplicaMiddleware"
    assert s["DATABASE_REPLICA_STICKY_SECONDS"] == 10


@pytest.mark.parametrize(
    "env",
    [
        {"DATABASE_REPLICA_URL": REPLICA_URL},
        {"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URL": "sqlite:///replica.sqlite3"},
    ],
)
def test_it_refuses_a_replica_of_anything_but_a_postgresql_primary(env):
    assert "DATABASE_REPLICA_URL names a PostgreSQL streaming replica" in refusal(**env)
