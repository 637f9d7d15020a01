"""Settings come from the environment; production refuses to start half-configured."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'max_age': db['CONN_MAX_AGE'], "
    "'health': db['CONN_HEALTH_CHECKS'], 'options': db.get('OPTIONS', {}), "
    "'cache': s.CACHES['default']['BACKEND'], 'debug': s.DEBUG, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'secure_cookies': s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE, "
    "'csp': bool(s.SECURE_CSP)}))"
)


def run_settings(**env):
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ENV")
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="tracker.settings")
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def settings_under(**env):
    result = run_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_refuses_production_without_a_secret_key():
    result = run_settings(DJANGO_ENV="production", SECRET_KEY="", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable." in result.stderr


def test_it_refuses_production_without_allowed_hosts():
    result = run_settings(DJANGO_ENV="production", SECRET_KEY="s" * 50, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_it_refuses_debug_in_production():
    result = run_settings(
        DJANGO_ENV="production", SECRET_KEY="s" * 50, ALLOWED_HOSTS="a.org", DEBUG="true"
    )
    assert result.returncode != 0
    assert "DEBUG must be off in production." in result.stderr


def test_it_refuses_an_unknown_environment_name():
    result = run_settings(DJANGO_ENV="staging")
    assert result.returncode != 0
    assert "DJANGO_ENV must be one of development, production" in result.stderr


def test_it_refuses_a_boolean_it_cannot_read():
    result = run_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_it_turns_on_https_hsts_and_secure_cookies_in_production():
    values = settings_under(DJANGO_ENV="production", SECRET_KEY="s" * 50, ALLOWED_HOSTS="a.org")
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
