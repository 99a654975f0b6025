"""Flowbuilder settings, driven by the environment with safe local defaults.

Unset DATABASE_URL means SQLite under var/; unset REDIS_URL means the embedded mode
(an in-process Redis stand-in, an RQ worker thread and the in-memory channel layer).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from flowbuilder.ai_prices import DEFAULT_AI_PRICES, envprices

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FLOWBUILDER_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def local_secret_key() -> str:
    """A per-installation key kept under var/, so local sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_rq",
    "channels",
    "flowbuilder.api",
    "accounts",
    "workflows",
    "integrations",
    "functions_app",
    "forms_app",
    "webhooks",
    "graphql_api",
    "dashboards",
    "knowledge",
    "datasets",
    "chat",
]

MIDDLEWARE = [
    "flowbuilder.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "flowbuilder.api.middleware.ApiResponseHeadersMiddleware",
]

ROOT_URLCONF = "flowbuilder.urls"
WSGI_APPLICATION = "flowbuilder.wsgi.application"
ASGI_APPLICATION = "flowbuilder.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.current_organization",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL is set -------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections leak under ASGI (each request runs on a pool thread), so the
    # default closes a connection after each request; workers reuse theirs between jobs.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0))}
    # Web processes (flowbuilder/asgi.py turns it on) borrow connections from a psycopg pool:
    # a fresh connection per request cost a PostgreSQL backend start and ~1.5 ms of the web
    # process's CPU each time (docs/design.md D19 addendum (2)). 0 turns the pool off.
    DATABASE_POOL_SIZE = envint("DATABASE_POOL_SIZE", 0)
    # Parameters travel apart from the SQL and a statement run 5 times on a connection is
    # prepared: PostgreSQL parses and plans it once, psycopg stops quoting values in Python
    # (a third less PostgreSQL CPU per hook run, D27). Off for a pooler in transaction mode.
    if envbool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    if DATABASE_POOL_SIZE > 0:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django returns the connection to the pool instead
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, DATABASE_POOL_SIZE), "max_size": DATABASE_POOL_SIZE, "timeout": 30,
        }
else:
    # The embedded mode writes from several threads (web requests, the worker, the scheduler).
    # WAL lets readers go on while one writes; IMMEDIATE takes the write lock when a
    # transaction starts, so a writer waits its turn (the busy timeout) instead of failing
    # with "database is locked" when a read-then-write transaction cannot upgrade its lock.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "flowbuilder.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, queues and channel layer --------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED_MODE = not REDIS_URL
# Channel layers drop what a full channel cannot hold (both default to 100 messages per
# channel). A 500-step run publishes ~1,000 events in about a second, so a watcher that
# lags a moment lost events. The capacity is set so a whole large run's burst fits (each
# message is small: step values over FLOWBUILDER_INLINE_VALUE_BYTES travel as a preview);
# beyond it, drops are repaired from the event log (docs/design.md D18).
FLOWBUILDER_CHANNEL_CAPACITY = envint("FLOWBUILDER_CHANNEL_CAPACITY", 2000)
FLOWBUILDER_CHANNEL_EXPIRY_SECONDS = envint("FLOWBUILDER_CHANNEL_EXPIRY_SECONDS", 60)
_CHANNEL_LAYER_TUNING = {"capacity": FLOWBUILDER_CHANNEL_CAPACITY, "expiry": FLOWBUILDER_CHANNEL_EXPIRY_SECONDS}
if EMBEDDED_MODE:
    CHANNEL_LAYERS = {"default": {"BACKEND": "flowbuilder.channel_layer.InMemoryChannelLayer",
                                  "CONFIG": _CHANNEL_LAYER_TUNING}}  # fmt: skip
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py's default 5 s read timeout equals channels_redis' receive poll, so an
            # idle socket's read would time out and drop the WebSocket (1011): give it room.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}], **_CHANNEL_LAYER_TUNING},
        }
    }
# The per-execution event log (workflows/event_log.py): how many events a run keeps and for
# how long after its last event; the sequence counter lives at least a week so a run that
# waits for days keeps counting up.
FLOWBUILDER_EVENT_LOG_MAX_EVENTS = envint("FLOWBUILDER_EVENT_LOG_MAX_EVENTS", 20_000)
FLOWBUILDER_EVENT_LOG_SECONDS = envint("FLOWBUILDER_EVENT_LOG_SECONDS", 86_400)
FLOWBUILDER_EVENT_SEQUENCE_SECONDS = 7 * 86_400
# A run's events are numbered, logged and broadcast in batches (workflows.events.RunEvents):
# at each durable write, at the end, and at the latest this long after the first waiting one.
FLOWBUILDER_EVENT_BATCH_SECONDS = float(os.environ.get("FLOWBUILDER_EVENT_BATCH_SECONDS", "0.05"))
# Large executions stay light: an execution answer lists at most this many steps (the rest
# are paged by GET /executions/{id}/steps), and step values longer than this many bytes of
# JSON travel as previews with a link (large answers, step pages, live events).
FLOWBUILDER_INLINE_STEPS = envint("FLOWBUILDER_INLINE_STEPS", 100)
FLOWBUILDER_INLINE_VALUE_BYTES = envint("FLOWBUILDER_INLINE_VALUE_BYTES", 8192)
RQ_QUEUE_NAMES = ["default", "executions", "webhooks"]
# django-rq is used for its `rqworker` command in the scaled mode; in the embedded mode
# the queues are built on the in-process stand-in by flowbuilder.redis instead.
_RQ_URL = REDIS_URL or "redis://127.0.0.1:6379/0"
_RQ_URL += ("&" if "?" in _RQ_URL else "?") + "protocol=2"  # see flowbuilder/redis.py
RQ_QUEUES = {name: {"URL": _RQ_URL} for name in RQ_QUEUE_NAMES}

# --- Auth, sessions, static ---------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "flowbuilder.api.authentication.ApiKeyAuthentication",
        "flowbuilder.api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "flowbuilder.api.permissions.IsAuthenticated",
        "flowbuilder.api.permissions.HasProjectAccess",
        "flowbuilder.api.permissions.PlanAllowsApiAccess",
        "flowbuilder.api.permissions.HasRole",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["flowbuilder.api.throttling.OrganizationRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["flowbuilder.api.envelope.EnvelopeJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["flowbuilder.api.parsers.LimitedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "flowbuilder.api.pagination.EnvelopePagination",
    "DEFAULT_FILTER_BACKENDS": ["flowbuilder.api.filters.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "flowbuilder.api.autoschema.FlowbuilderAutoSchema",
    "EXCEPTION_HANDLER": "flowbuilder.api.exceptions.envelope_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "PAGE_SIZE": 20,
    # `format` is ours (export formats, CSV); content type comes from the Accept header.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Flowbuilder API",
    "DESCRIPTION": (
        "Build, run and watch workflows. Every answer is wrapped in an envelope: "
        "`{success: true, data, meta}` or `{success: false, error: {code, message, details, field}}`. "
        "Bodies are JSON: strings are JSON strings and booleans JSON booleans (no `0` for false or "
        "`5` for \"5\"); text anywhere in a body may not hold NUL (`\\u0000`): 400 naming where; a body "
        "over 2.5 MB is a 413 PAYLOAD_TOO_LARGE."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "flowbuilder.api.schema.wrap_in_envelope",
        "flowbuilder.api.schema.add_links",
        "flowbuilder.api.schema_headers.add_rate_limit_headers",
        "integrations.api.schema.credential_bodies",
        "integrations.api.schema.connection_bodies",
    ],
    # Request bodies get their own components (`FormWriteRequest`): read-only fields stay out
    # of them and non-blank strings say minLength 1, as the server enforces.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our static files: works offline
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A generic field name gets an app's own enum name, so another app's `content_type` (or chat's
    # `type`, `status`, `direction`) never renames an existing enum.
    "ENUM_NAME_OVERRIDES": {
        "DocumentContentTypeEnum": "knowledge.models.ContentType",
        "ChannelTypeEnum": "chat.models.ChannelType",
        "ConversationStatusEnum": "chat.models.ConversationStatus",
        "ChatDirectionEnum": "chat.models.Direction",
    },
}

# Plans: which can use API keys, and their rate limits (per minute, per day).
PLAN_API_ACCESS = {"business", "enterprise"}
RATE_LIMITS = {
    "free": (envint("RATE_LIMIT_FREE_MINUTE", 60), envint("RATE_LIMIT_FREE_DAY", 1_000)),
    "starter": (envint("RATE_LIMIT_STARTER_MINUTE", 120), envint("RATE_LIMIT_STARTER_DAY", 10_000)),
    "pro": (envint("RATE_LIMIT_PRO_MINUTE", 300), envint("RATE_LIMIT_PRO_DAY", 50_000)),
    "team": (envint("RATE_LIMIT_TEAM_MINUTE", 450), envint("RATE_LIMIT_TEAM_DAY", 100_000)),
    "business": (
        envint("RATE_LIMIT_BUSINESS_MINUTE", 600),
        envint("RATE_LIMIT_BUSINESS_DAY", 200_000),
    ),
    "enterprise": (
        envint("RATE_LIMIT_ENTERPRISE_MINUTE", 1_200),
        envint("RATE_LIMIT_ENTERPRISE_DAY", 1_000_000),
    ),
}
# Inbound hooks (/hooks/<token>): each hook has its own window per minute and per day, with
# these per-plan limits, apart from the organization's API budget above (a busy webhook must
# not spend the API's requests, nor API calls starve the hooks).
HOOK_RATE_LIMIT_DEFAULTS = {
    "free": (60, 1_000),
    "starter": (120, 10_000),
    "pro": (600, 100_000),
    "team": (1_200, 500_000),
    "business": (3_000, 2_000_000),
    "enterprise": (6_000, 10_000_000),
}
HOOK_RATE_LIMITS = {
    plan: (
        envint(f"HOOK_RATE_LIMIT_{plan.upper()}_MINUTE", minute),
        envint(f"HOOK_RATE_LIMIT_{plan.upper()}_DAY", day),
    )
    for plan, (minute, day) in HOOK_RATE_LIMIT_DEFAULTS.items()
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"}},
    "filters": {"request_id": {"()": "flowbuilder.request_id.RequestIdLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # httpx logs every URL at INFO; URLs can carry secrets (query-string API keys).
    "loggers": {"django.request": {"level": "ERROR"}, "httpx": {"level": "WARNING"}},
}

# Every outbound connection (HTTP nodes, webhooks, LLM calls, databases, SMTP) refuses the
# IANA special-purpose ranges (private, loopback, link-local, metadata, …); entries here
# (addresses, networks or host names) are let through. FLOWBUILDER_HTTP_ALLOW_LIST is the
# older name and still counts: flowbuilder.network.allow_list() reads both.
FLOWBUILDER_NETWORK_ALLOW_LIST = envlist("FLOWBUILDER_NETWORK_ALLOW_LIST", [])
FLOWBUILDER_HTTP_ALLOW_LIST = envlist("FLOWBUILDER_HTTP_ALLOW_LIST", [])
# Database connections as a superuser are refused (they can read server files, signal
# backends and write through dblink); set true to allow them anyway.
FLOWBUILDER_DB_ALLOW_SUPERUSER = envbool("FLOWBUILDER_DB_ALLOW_SUPERUSER", False)
# A query's rows stream in batches and stop at the connection's row limit or this many bytes
# (then `truncated` is set), so a huge result never sits in a worker's memory.
FLOWBUILDER_DB_MAX_RESULT_BYTES = envint("FLOWBUILDER_DB_MAX_RESULT_BYTES", 10 * 1024 * 1024)
# Datasets (uploaded CSV/Excel files, docs/design.md D25): the largest file accepted (50 MiB),
# and what one DuckDB query over them may use (memory as DuckDB writes it, threads).
FLOWBUILDER_DATASET_MAX_BYTES = envint("FLOWBUILDER_DATASET_MAX_BYTES", 50 * 1024 * 1024)
FLOWBUILDER_DATASET_QUERY_MEMORY = os.environ.get("FLOWBUILDER_DATASET_QUERY_MEMORY", "256MB")
FLOWBUILDER_DATASET_QUERY_THREADS = envint("FLOWBUILDER_DATASET_QUERY_THREADS", 1)
# This machine's copies of the datasets' Parquet files (named by content hash; safe to delete).
FLOWBUILDER_DATASET_CACHE_DIR = os.environ.get("FLOWBUILDER_DATASET_CACHE_DIR", "")
# How long the Ask-data node keeps a connection's schema (integrations.schema_cache).
FLOWBUILDER_ASK_SCHEMA_CACHE_SECONDS = envint("FLOWBUILDER_ASK_SCHEMA_CACHE_SECONDS", 600)

# Credentials vault: `keyid:base64key` entries (32-byte keys), comma-separated, the first one
# current. Unset: a key file is generated once under var/ (fine for one machine only).
FLOWBUILDER_ENCRYPTION_KEYS = os.environ.get("FLOWBUILDER_ENCRYPTION_KEYS", "")
FLOWBUILDER_DEFAULT_LLM_MODEL = os.environ.get("FLOWBUILDER_DEFAULT_LLM_MODEL", "claude-sonnet-4-5")
# Knowledge bases (D26b): the largest document one upload may hold, and chunk sizes in characters.
FLOWBUILDER_KNOWLEDGE_MAX_DOCUMENT_BYTES = envint("FLOWBUILDER_KNOWLEDGE_MAX_DOCUMENT_BYTES", 5 * 1024 * 1024)
FLOWBUILDER_KNOWLEDGE_CHUNK_CHARS = envint("FLOWBUILDER_KNOWLEDGE_CHUNK_CHARS", 1200)
FLOWBUILDER_KNOWLEDGE_CHUNK_OVERLAP = envint("FLOWBUILDER_KNOWLEDGE_CHUNK_OVERLAP", 150)

# The usage page's estimated AI cost: US dollars per million tokens, (input, output), per model;
# JSON {"model": [input, output]} merged over flowbuilder/ai_prices.py's list prices (D23).
FLOWBUILDER_AI_PRICES = envprices("FLOWBUILDER_AI_PRICES", DEFAULT_AI_PRICES)

# Code functions run in a bubblewrap sandbox (functions_app.sandbox, docs/design.md D17).
FLOWBUILDER_FUNCTIONS_BWRAP = os.environ.get("FLOWBUILDER_FUNCTIONS_BWRAP", "bwrap")
FLOWBUILDER_FUNCTIONS_PYTHON = os.environ.get("FLOWBUILDER_FUNCTIONS_PYTHON", "/usr/bin/python3")
FLOWBUILDER_FUNCTIONS_POOL_SIZE = envint("FLOWBUILDER_FUNCTIONS_POOL_SIZE", 1)
FLOWBUILDER_FUNCTIONS_TIMEOUT_SECONDS = envint("FLOWBUILDER_FUNCTIONS_TIMEOUT_SECONDS", 10)
FLOWBUILDER_FUNCTIONS_CPU_SECONDS = envint("FLOWBUILDER_FUNCTIONS_CPU_SECONDS", 10)
FLOWBUILDER_FUNCTIONS_MEMORY_MB = envint("FLOWBUILDER_FUNCTIONS_MEMORY_MB", 256)
FLOWBUILDER_FUNCTIONS_OUTPUT_BYTES = envint("FLOWBUILDER_FUNCTIONS_OUTPUT_BYTES", 1024 * 1024)

# Durable execution: a worker renews its lease on a running execution every
# HEARTBEAT seconds; a lease older than LEASE seconds means the worker died.
FLOWBUILDER_LEASE_SECONDS = envint("FLOWBUILDER_LEASE_SECONDS", 30)
FLOWBUILDER_HEARTBEAT_SECONDS = envint("FLOWBUILDER_HEARTBEAT_SECONDS", 10)
# A run whose worker died this many times is not recovered again: it fails (RECOVERY_LIMIT).
FLOWBUILDER_MAX_RECOVERIES = envint("FLOWBUILDER_MAX_RECOVERIES", 3)
# How often the scheduler loop fires cron triggers and reaps abandoned executions.
FLOWBUILDER_SCHEDULER_INTERVAL_SECONDS = float(os.environ.get("FLOWBUILDER_SCHEDULER_INTERVAL_SECONDS", "1"))
# Cron ticks missed while everything was down: "latest" fires the most recent one only,
# "skip" fires none; both report how many were missed.
FLOWBUILDER_SCHEDULE_CATCH_UP = os.environ.get("FLOWBUILDER_SCHEDULE_CATCH_UP", "latest")

# A node's retry delay longer than this parks the run as a delayed job (like logic.wait)
# instead of sleeping in the worker; shorter delays sleep. See docs/design.md, D4.
FLOWBUILDER_RETRY_PARK_SECONDS = float(os.environ.get("FLOWBUILDER_RETRY_PARK_SECONDS", "5"))

# Absolute links the product sends out (approval emails): where users reach this site.
FLOWBUILDER_BASE_URL = os.environ.get("FLOWBUILDER_BASE_URL", "http://127.0.0.1:8000")
FLOWBUILDER_RESUME_LINK_MAX_AGE_DAYS = envint("FLOWBUILDER_RESUME_LINK_MAX_AGE_DAYS", 30)

# Inbound webhooks (/hooks/<token>): the largest body accepted, and how long a `last_node`
# hook waits for its run before answering 202 with the execution id.
FLOWBUILDER_WEBHOOK_MAX_BODY_BYTES = envint("FLOWBUILDER_WEBHOOK_MAX_BODY_BYTES", 1_048_576)
FLOWBUILDER_WEBHOOK_SYNC_TIMEOUT_SECONDS = envint("FLOWBUILDER_WEBHOOK_SYNC_TIMEOUT_SECONDS", 30)
# `wait` on POST /workflows/{id}/execute is at most 60 s (the schema says so); this caps how long
# the server really waits before answering 202 (tests lower it: they run no worker).
FLOWBUILDER_EXECUTE_MAX_WAIT_SECONDS = float(os.environ.get("FLOWBUILDER_EXECUTE_MAX_WAIT_SECONDS", "60"))
# A `last_node` hook or `execute` with `wait` runs its run in the web process (no queue hop)
# while it takes less than this many seconds; past it, at a step boundary, or when it parks,
# a worker carries on. 0 queues every run (D19).
FLOWBUILDER_INLINE_RUN_SECONDS = float(os.environ.get("FLOWBUILDER_INLINE_RUN_SECONDS", "5"))
# HTTP requests a web process runs at once, the rest waiting in arrival order; a request
# still going after the slice gives its slot back (flowbuilder/admission.py, D27). 0: no gate.
FLOWBUILDER_WEB_SLOTS = envint("FLOWBUILDER_WEB_SLOTS", 2)
FLOWBUILDER_WEB_SLOT_SECONDS = float(os.environ.get("FLOWBUILDER_WEB_SLOT_SECONDS", "0.25"))
# Standard Webhooks requests to /hooks/<token>: how far webhook-timestamp may be from now.
FLOWBUILDER_WEBHOOK_TOLERANCE_SECONDS = envint("FLOWBUILDER_WEBHOOK_TOLERANCE_SECONDS", 300)
# WebSocket tickets (POST /api/v1/ws-tickets): seconds a ticket stays valid; each opens one connection.
FLOWBUILDER_WS_TICKET_SECONDS = envint("FLOWBUILDER_WS_TICKET_SECONDS", 60)

# `manage.py rqworker` runs jobs in the worker process itself (no fork per job): about 3×
# lower latency per run on bench/throughput.py. A dying worker loses nothing either way —
# its execution lease runs out and another worker continues the run. Set
# FLOWBUILDER_RQ_WORKER_CLASS=rq.worker.Worker for RQ's fork-per-job isolation instead.
RQ = {"WORKER_CLASS": os.environ.get("FLOWBUILDER_RQ_WORKER_CLASS", "rq.worker.SimpleWorker")}
