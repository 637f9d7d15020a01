"""Settings for Policy Tracker, read from the environment.

DJANGO_ENV=production switches on the production checks: a missing SECRET_KEY
or ALLOWED_HOSTS then stops the process with a message saying what to set.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from tracker.core import spreadsheets

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENTS = ("development", "production")


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """A whole number of zero or more, or a message naming the variable."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number of 0 or more, not {raw!r}.")
    return value


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
if DJANGO_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be one of {', '.join(ENVIRONMENTS)}, not {DJANGO_ENV!r}."
    )
PRODUCTION = DJANGO_ENV == "production"

# What `check --deploy` calls a weak key (security.W009) stops production from starting.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5

if PRODUCTION:
    SECRET_KEY = env("SECRET_KEY")
    if (
        len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
        or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or SECRET_KEY.startswith("django-insecure-")
    ):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak: it needs {SECRET_KEY_MIN_LENGTH} characters or more, with "
            f"at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "Set ALLOWED_HOSTS to the comma-separated host names this site answers to."
        )
    DEBUG = env_bool("DEBUG", False)
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-development-only-key")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    DEBUG = env_bool("DEBUG", True)

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "tracker.core.admin_config.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # For OpClass in the search indexes (policies/migrations/0003_search_indexes.py); inert on
    # SQLite.
    "django.contrib.postgres",
    "simple_history",
    "import_export",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # The layers, bottom up (docs/architecture.md): the core, the two domain apps, and the
    # outer layers that serve readers (site), data users (api) and the dataset's files.
    "tracker.core",
    "sources",
    "policies",
    "tracker.site",
    "tracker.api",
    "tracker.dataset",
    # Background work's queue (django.tasks with the database backend; TASKS below).
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for the answers that mix in no secret (tracker/core/delivery.py). Outside
    # ConditionalGetMiddleware, so that ETags are computed on, and 304s weighed against, the body
    # as the view wrote it; below WhiteNoise, which serves static files compressed already.
    "tracker.core.delivery.PublicCompressionMiddleware",
    # Before anything that reads the database: bounds its statements, and turns a database that
    # cannot answer into a 503 page wherever a view or template ran into it.
    "tracker.core.availability.DatabaseAvailabilityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags on every response and 304 for a repeated conditional request (pages and API).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# A web request waits for the database a bounded time, then answers 503 (tracker/core/availability.py):
# connecting gives up after DATABASE_CONNECT_TIMEOUT seconds; on PostgreSQL one statement of a
# public request (pages, API) after DATABASE_STATEMENT_TIMEOUT_MS, of an admin request after
# DATABASE_ADMIN_STATEMENT_TIMEOUT_MS; on SQLite a statement waits that long for the write lock.
# Management commands have no statement timeout. /healthz gives up after HEALTHZ_TIMEOUT_MS.
# 0 turns a limit off (a connection then waits as long as the driver does, about two minutes).
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 5000)
DATABASE_ADMIN_STATEMENT_TIMEOUT_MS = env_int("DATABASE_ADMIN_STATEMENT_TIMEOUT_MS", 30000)
HEALTHZ_TIMEOUT_MS = env_int("HEALTHZ_TIMEOUT_MS", 1500)

# Public pages and public API reads, to readers who are not signed in, may be kept by any cache
# (the browser, a proxy, a CDN) PUBLIC_CACHE_MAX_AGE seconds, then served stale up to
# PUBLIC_CACHE_STALE_WHILE_REVALIDATE seconds more while the cache asks again with the ETag
# (tracker/core/delivery.py). A publication or a withdrawal reaches a reader behind such a cache
# within the first, or at worst the sum; 0 and 0 make every cache ask each time.
PUBLIC_CACHE_MAX_AGE = env_int("PUBLIC_CACHE_MAX_AGE", 60)
PUBLIC_CACHE_STALE_WHILE_REVALIDATE = env_int("PUBLIC_CACHE_STALE_WHILE_REVALIDATE", 300)

# The default is a SQLite file under the project, so that `make run` needs no server.
DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist, as on PostgreSQL: opening the file and running the PRAGMAs below
    # on every request cost more than the API's whole query work (docs/performance.md).
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two writers
        # queue on busy_timeout instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        # How long a writer queues: SQLite's stand-in for a statement timeout (20 s when off).
        "timeout": DATABASE_STATEMENT_TIMEOUT_MS / 1000 or 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the planner's cost estimates for the public door's subqueries (the
    # quoted passages of published entries, policies/selectors.py) run to millions, far past
    # jit_above_cost, and compiling took 3-5 s of a search query that runs in 0.1-0.3 s
    # without it (docs/performance.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT

# A read replica (tracker/core/replica.py; docs/operations.md, "A read replica"): with
# DATABASE_REPLICA_URL naming a streaming replica of DATABASE_URL's PostgreSQL database, the
# public's reads go to it, unless it lags behind the data version; writes, the admin, whoever is
# signed in and whoever wrote in the last DATABASE_REPLICA_STICKY_SECONDS read the primary.
DATABASE_REPLICA_STICKY_SECONDS = env_int("DATABASE_REPLICA_STICKY_SECONDS", 10)
if os.environ.get("DATABASE_REPLICA_URL"):
    _replica = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=600, conn_health_checks=True
    )
    if {DATABASES["default"]["ENGINE"], _replica["ENGINE"]} != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL names a PostgreSQL streaming replica of the PostgreSQL "
            "database DATABASE_URL names (postgres://...); unset it to read one database."
        )
    # The primary's options (no JIT, the connect timeout); in tests, the primary's test database.
    _replica["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["tracker.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "tracker.core.replica.ReplicaMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The model of the passages that back every curated entry (tracker.core.editorial.Curated).
CITATION_MODEL = "sources.Citation"

# How many proxies we run in front of gunicorn, each appending to X-Forwarded-For. The client's
# address (tracker/core/addresses.py), which the API throttle and the login lockout count by, is the
# entry the outermost of them added; with 0, X-Forwarded-For is ignored (docs/operations.md).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-axes first: it refuses a login that is locked out before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one account from one address lock that pair out for an hour, so an
# attacker elsewhere cannot lock a researcher out (behind a proxy, set TRUSTED_PROXY_COUNT).
# Unlock early with `manage.py axes_reset_username USERNAME`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "tracker/locked_out.html"
# The address counted is the client's behind TRUSTED_PROXY_COUNT proxies, as for the API.
AXES_CLIENT_IP_CALLABLE = "tracker.core.addresses.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files WhiteNoise serves at the site's root: /favicon.ico, which browsers ask for whatever the
# pages link (theirs is static/favicon.svg; the .ico holds the same mark drawn at 16, 32 and 48
# pixels), and /robots.txt, which crawlers ask for there.
WHITENOISE_ROOT = BASE_DIR / "tracker" / "site" / "root"
# Uploaded source documents (sources.Source.document), served to staff only; any Django storage
# in production (STORAGES["default"]).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
SOURCE_DOCUMENT_MAX_BYTES = int(os.environ.get("SOURCE_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))
# Readers' corrections (tracker/site/corrections.py, docs/security.md "The corrections form"):
# how many a client's address may send (accepted ones are counted), how large a document may
# be, how soon after the form was served it may be sent (a robot's is at once), and how many
# links its message and quote may hold.
CORRECTIONS_RATE = os.environ.get("CORRECTIONS_RATE", "5/hour")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", CORRECTIONS_RATE):
    raise ImproperlyConfigured(
        "CORRECTIONS_RATE must be a number of submissions a second, minute, hour or day, such "
        f"as 5/hour, not {CORRECTIONS_RATE!r}."
    )
CORRECTION_DOCUMENT_MAX_BYTES = env_int("CORRECTION_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024)
CORRECTION_MIN_SECONDS = env_int("CORRECTION_MIN_SECONDS", 3)
CORRECTION_MAX_LINKS = env_int("CORRECTION_MAX_LINKS", 3)
# Who may read a source's full text and download its document (sources.reading.may_read_text):
# "staff" (every curator), "editors", or "public" (also on the public source page). A source's
# rights may not allow republishing it, so the public sees only quotes in their sentences.
SOURCE_TEXT_READERS = os.environ.get("SOURCE_TEXT_READERS", "staff")
if SOURCE_TEXT_READERS not in ("staff", "editors", "public"):
    raise ImproperlyConfigured(
        f"SOURCE_TEXT_READERS must be staff, editors or public, not {SOURCE_TEXT_READERS!r}."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Nothing inline, nothing from elsewhere: every script and stylesheet is served from here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
# The one view other sites may frame, the embeddable timeline (tracker/site/sharing.py): the
# pages allowed to frame it, as CSP frame-ancestors sources, e.g. "https://news.example".
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS", "*")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# A signed-in session lasts a working day, then asks for the password again.
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The proxy in front (see README) terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A request's log lines (django.request, the 503 page) name its client as the throttle
    # counts it, not the proxy's address.
    "filters": {"client": {"()": "tracker.core.addresses.ClientAddressFilter"}},
    "formatters": {"plain": {"format": "%(levelname)s %(name)s [%(client)s] %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The site's public address (https://policytracker.example), for absolute links in what readers
# keep and share: the data package (site-relative paths without it), feeds' ids, citations and
# permalinks (the request's address without it: policies.links.on_site). Never taken from a
# request's Host header when set.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if SITE_URL and "://" not in SITE_URL:
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://, not {SITE_URL!r}.")

# Background work (docs/operations.md, "Background tasks"): Django's tasks framework, its queue
# in the database (django-tasks-db), run by `manage.py db_worker`. TASKS_BACKEND=immediate runs
# each task in the process that enqueues it, when it enqueues it (no worker needed). The data
# package and the commitments' exports are built into the default storage, under MEDIA_ROOT.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in ("database", "immediate"):
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}."
    )
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django.tasks.backends.immediate.ImmediateBackend"
    }
}

# Replies to readers' corrections (tracker.core.corrections.reply) go through Django's mailer:
# to the SMTP server EMAIL_HOST (with EMAIL_PORT, EMAIL_USER, EMAIL_PASSWORD, and EMAIL_USE_TLS=1
# for STARTTLS); without it, in production to a mail server on this machine (localhost:25), and
# in development to the console.
if os.environ.get("EMAIL_HOST") or PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 587 if os.environ.get("EMAIL_HOST") else 25),
                "username": os.environ.get("EMAIL_USER", ""),
                "password": os.environ.get("EMAIL_PASSWORD", ""),
                "use_tls": os.environ.get(
                    "EMAIL_USE_TLS", "1" if os.environ.get("EMAIL_HOST") else "0"
                )
                == "1",
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Policy Tracker <webmaster@localhost>")

# The licence of the curated dataset (the entries, their dates, statuses and links), as the data
# package states it and the data page repeats: an SPDX id of DATASET_LICENSE_TERMS. The passages
# quoted from sources stay under each source's own rights (its `rights` note), whatever this says.
DATASET_LICENSE_TERMS = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
}
DATASET_LICENSE = os.environ.get("DATASET_LICENSE", "CC-BY-4.0")
if DATASET_LICENSE not in DATASET_LICENSE_TERMS:
    raise ImproperlyConfigured(
        f"DATASET_LICENSE must be one of {', '.join(DATASET_LICENSE_TERMS)}, not {DATASET_LICENSE!r}."
    )
_title, _path = DATASET_LICENSE_TERMS[DATASET_LICENSE]
DATASET_LICENSES = [{"name": DATASET_LICENSE, "title": _title, "path": _path}]

# Four eyes: nobody publishes their own submission. A one-person team may relax it.
TRACKER_ALLOW_SELF_PUBLISH = env_bool("TRACKER_ALLOW_SELF_PUBLISH", False)
# Reverts go through review (tracker.core.workflow.entry_revert), not simple-history's direct revert.
SIMPLE_HISTORY_REVERT_DISABLED = True
# Imports run in one transaction: a file with any invalid row imports nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Bounded readers (tracker.core.spreadsheets): they find a CSV's encoding or refuse it by name, and
# check the limits below while reading, before any table is built.
IMPORT_FORMATS = [spreadsheets.CSV, spreadsheets.XLSX]
# Request bodies other than files larger than this are refused before they are read (forms).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads larger than this go to a temporary file rather than memory; this does not refuse them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An import file larger than this is refused before it is parsed (policies.imports).
IMPORT_MAX_FILE_SIZE = 5 * 1024 * 1024
# What one import reads at most; a file over a limit is refused with the limit named. 10,000
# rows import in well under a worker's timeout (docs/performance.md).
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 10_000))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", 60))
# The longest cell: room for a long description, far short of what a zip bomb holds.
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", 20_000))
# An XLSX is a zip: its parts, unpacked, may take at most this much (openpyxl reads its shared
# strings whole).
IMPORT_MAX_UNPACKED_SIZE = 50 * 1024 * 1024

# Public search may take this long on PostgreSQL, all kinds of entry together; the kinds it
# could not search in time (a two-letter word in 400,000 quotes) are reported as too broad
# instead of holding a worker.
SEARCH_TIMEOUT_MS = int(os.environ.get("SEARCH_TIMEOUT_MS", 1500))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # DRF's JSON, byte for byte, written by orjson (tracker/api/renderers.py).
    "DEFAULT_RENDERER_CLASSES": ["tracker.api.renderers.FastJSONRenderer"],
    # Anonymous readers share a budget per address, counted in the cache (Redis in production).
    "DEFAULT_THROTTLE_CLASSES": ["tracker.core.throttling.AnonymousReaderThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "1200/hour")},
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Policy Tracker API",
    "DESCRIPTION": (
        "Published strategies, commitments, funding, events, assessments and estimates, each with "
        "its citations. Lists page by cursor; filters are query parameters; `updated_since` and "
        "`/api/v1/changes/` serve incremental sync; `/csv/` and `/jsonl/` stream whole lists."
    ),
    "VERSION": "1",
    # 3.1: a nullable field is `type: [..., "null"]` (or `oneOf` with `null`), which strict
    # validators and client generators read; 3.0's `nullable` beside `allOf` they refuse.
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.complete",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
