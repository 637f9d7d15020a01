"""Production answers with HSTS, a strict Content-Security-Policy, no sniffing, a referrer
policy and no framing. The settings module is read in a fresh process with DJANGO_ENV=production,
as a deployment reads it, and the responses come from Django's test client in that process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Production serves collected, hashed static files; the probe has not run collectstatic, so it
# alone reads them from the apps as development does. Every other setting is production's.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
plain_static = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=plain_static):
    client = Client()
    out = {}
    for path in ("/healthz", "/admin/login/", "/api/docs/"):
        response = client.get(path, secure=True)
        out[path] = {
            "status": response.status_code,
            "headers": dict(response.headers),
            "cookies": {name: dict(morsel) for name, morsel in response.cookies.items()},
        }
    plain = client.get("/healthz")
    out["plain"] = {"status": plain.status_code, "location": plain.get("Location", "")}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    database = tmp_path_factory.mktemp("production") / "empty.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-test-only-secret-key-that-is-long-enough-for-the-deploy-check-0123",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }
    # Development-only switches the rest of the suite may have set (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE) must not reach a production process.
    for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("path", ["/healthz", "/admin/login/", "/api/docs/"])
def test_it_sends_the_security_headers_in_production(production, path):
    response = production[path]
    # The database here is empty (never migrated): it has no data version to read, so /healthz
    # says the site is not ready. The headers go on every answer.
    assert response["status"] == (503 if path == "/healthz" else 200)
    headers = {k.lower(): v for k, v in response["headers"].items()}
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/healthz", "/admin/login/", "/api/docs/"])
def test_its_content_security_policy_allows_no_inline_script(production, path):
    headers = {k.lower(): v for k, v in production[path]["headers"].items()}
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2]
        for part in headers["content-security-policy"].split(";")
        if part.strip()
    )
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives.get("default-src", "")
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"


def test_it_redirects_plain_http_to_https_in_production(production):
    assert production["plain"]["status"] == 301
    assert production["plain"]["location"] == "https://testserver/healthz"


def test_the_session_and_csrf_cookies_are_secure_in_production(production):
    from django.conf import settings

    csrf = production["/admin/login/"]["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_HTTPONLY


def test_the_deploy_check_passes_with_production_settings():
    environment = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-test-only-secret-key-that-is-long-enough-for-the-deploy-check-0123",
        "ALLOWED_HOSTS": "policytracker.example",
    }
    # Development-only switches the rest of the suite may have set (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE) must not reach a production process.
    for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
