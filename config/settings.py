"""Tilmash settings, read from the environment.

Every value an operator may change comes from an environment variable (see the
configuration table in README.md). Nothing secret lives in this file.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config import observability

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for example: "
            "export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))'))."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "config.apps.DeskAdminConfig",  # django.contrib.admin, with the desk's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "axes",
    "translations",
    "aids",
    "reviews",
    "agency",  # agency feeds (RSS/Atom, ninjs, NewsML-G2) pulled by the task worker
    # After reviews: its db_worker (which also recovers tasks a killed worker left
    # running) takes the place of the package's own.
    "config.apps.DeskTasksConfig",  # django_tasks_db, with a translated name
    "webhooks",
    "bench",  # manage.py bench_corpus: the benchmarks' corpus (no models)
    "ninja",  # django-ninja's Swagger UI assets, served from our static files
    "api",  # the REST API under /api/v1/ (api/urls.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's sessions, authentication and messages, and the desk's language, each
    # left out of GET and HEAD of public pages, which use none of them
    # (config.middleware.public_read).
    "config.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a form or a parameter: bytes no page sends (see the module).
    "config.middleware.RequestBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.middleware.AuthenticationMiddleware",
    # After LocaleMiddleware and authentication: the desk in the person's own language.
    "config.middleware.DeskLanguageMiddleware",
    "config.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A database that does not answer is a 503 page, not a traceback.
    "config.middleware.DatabaseUnavailableMiddleware",
    # Last, so that it sees failed logins from every view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite file by default (the demo and a first test run); PostgreSQL through
# psycopg 3 with DATABASE_URL=postgres://user@host:5432/name. Connections are
# kept across requests for CONN_MAX_AGE seconds on both.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two concurrent
    # saves queue instead of failing with "database is locked" halfway. None
    # of this is lost on a kept connection: every atomic block begins with
    # BEGIN IMMEDIATE whatever the connection's age, WAL is a property of the
    # file (set again by the first connection of each process, a no-op after),
    # synchronous=NORMAL is set when the connection opens and stays set, and
    # between two requests a kept connection holds no transaction, so no lock
    # and no read snapshot that would keep WAL checkpoints from completing
    # (Django closes a connection left inside a transaction; tests/test_settings.py).
    # Opening one per request, with a cold page cache, cost more than half of a
    # local-memory cache hit's CPU and a third of a rendered page's (bench/fixed.py).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's health check (a SELECT 1 before a kept connection's first query
    # in each request) only when the cheaper guard of config.db.postgresql
    # finds a reason: the server has sent something on an idle connection (it
    # closed it, or is shutting down), or the connection sat unused longer than
    # TILMASH_DB_CHECK_IDLE_SECONDS.
    DATABASES["default"]["ENGINE"] = "config.db.postgresql"
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

# A streaming read replica of the primary (PostgreSQL): public pages read from it,
# the desk and every write stay on the primary (config/routers.py, README "Read
# replica"). Connection options are the primary's; only where to connect differs.
if os.environ.get("DATABASE_REPLICA_URL"):
    _replica = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    if not (
        _replica["ENGINE"] == "django.db.backends.postgresql"
        and DATABASES["default"]["ENGINE"] == "config.db.postgresql"
    ):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs PostgreSQL: a streaming replica of the primary "
            "that DATABASE_URL names."
        )
    # The primary's engine too: config.db.postgresql's guard for kept connections.
    DATABASES["replica"] = {
        **DATABASES["default"],
        **{key: _replica[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
        "OPTIONS": {"connect_timeout": 2, **DATABASES["default"].get("OPTIONS", {})},
        # The test suite never creates a database on a standby: there the alias
        # reads the primary's test database, and the router reads it as the primary.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
    # First, so that a public page the replica failed is answered again from the primary.
    MIDDLEWARE = ["config.routers.ReplicaMiddleware", *MIDDLEWARE]
    # How long after a request that may write that browser reads the primary.
    TILMASH_REPLICA_STICKY_SECONDS = int(os.environ.get("TILMASH_REPLICA_STICKY_SECONDS", "10"))
    # How long a process reads the primary after the replica failed a request.
    TILMASH_REPLICA_RETRY_SECONDS = float(os.environ.get("TILMASH_REPLICA_RETRY_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A kept PostgreSQL connection unused this long gets Django's full health check
# (one SELECT 1) before its next request's first query (config.db.postgresql).
TILMASH_DB_CHECK_IDLE_SECONDS = float(os.environ.get("TILMASH_DB_CHECK_IDLE_SECONDS", "10"))

# --- Cache --------------------------------------------------------------------
# CACHE_URL names the cache (README, "Configuration"): redis://, rediss:// or
# unix:// (Redis), memcached://host:port, locmem:// (this process's memory, the
# default) or none:// (no cache at all: every page is rendered for every
# request). REDIS_URL is the older spelling of a Redis CACHE_URL. Anything else
# is refused at start-up: a typo must not quietly leave several app servers
# with a cache each, or with none.
CACHE_SCHEMES = {
    "redis": "redis",
    "rediss": "redis",
    "unix": "redis",
    "memcached": "memcached",
    "locmem": "locmem",
    "none": "none",
    "dummy": "none",
}


def cache_kind(url, name="CACHE_URL"):
    """Which cache ``url`` names: "redis", "memcached", "locmem" or "none"."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme not in CACHE_SCHEMES or (name == "REDIS_URL" and CACHE_SCHEMES[scheme] != "redis"):
        allowed = (
            "redis://, rediss:// or unix://"
            if name == "REDIS_URL"
            else "redis://, rediss://, unix://, memcached://, locmem:// or none://"
        )
        raise ImproperlyConfigured(
            f"{name}={url!r} names no cache this site knows: use {allowed} "
            f"(or leave it unset for this process's memory)."
        )
    return CACHE_SCHEMES[scheme]


if os.environ.get("CACHE_URL"):
    _cache_url = os.environ["CACHE_URL"].strip()
    CACHE_KIND = cache_kind(_cache_url)
elif os.environ.get("REDIS_URL"):
    _cache_url = os.environ["REDIS_URL"].strip()
    CACHE_KIND = cache_kind(_cache_url, "REDIS_URL")
else:
    _cache_url, CACHE_KIND = "locmem://", "locmem"
if CACHE_KIND == "redis":
    CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",  # one client per pool, see there
            "LOCATION": _cache_url,
            "KEY_PREFIX": "tilmash",
        }
    }
elif CACHE_KIND == "memcached":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": _cache_url.split("://", 1)[1],
            "KEY_PREFIX": "tilmash",
        }
    }
elif CACHE_KIND == "none":
    # Nothing is kept: pages render on every request, sessions live in the
    # database alone, and what is kept to spare work (word diffs, the
    # source-changed mail's once a minute) is done again each time.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tilmash",
            # The default 300 entries would not hold one long version's word diffs.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }
if CACHE_KIND in {"redis", "memcached"}:
    # Shared sessions when several app servers sit behind one balancer.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Authentication -----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Admin login throttling (django-axes): lock a username+address pair after
# AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- Languages ----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("kk-latn", _("Kazakh (Latin)")),
]
# Paths whose GET and HEAD skip the desk's middleware (MIDDLEWARE): every language's
# public pages, the sitemaps and the probe.
TILMASH_PUBLIC_READ_PATHS = (
    *(f"/{code}/" for code, _name in LANGUAGES),
    "/sitemap",
    "/healthz",
)

# Languages whose editions are not translated but derived from another
# language's live version by transliteration (translations.transliteration),
# then reviewed like any version.
TILMASH_DERIVED_LANGUAGES = {"kk-latn": "kk"}
# Derive them each time their source language gets a live version (off: only by hand).
TILMASH_DERIVE_EDITIONS = env_bool("TILMASH_DERIVE_EDITIONS", True)
# Languages Django's LANG_INFO lacks (it has sr-latn, not kk-latn); added to it
# when the apps load, so get_language_info and {% get_language_info %} know them.
TILMASH_LANGUAGE_INFO = {
    "kk-latn": {
        "bidi": False,
        "code": "kk-latn",
        "name": "Kazakh (Latin)",
        "name_local": "Qazaqşa",
    },
}
# Our corrections to Django's own catalogues come first: the first path wins.
LOCALE_PATHS = [BASE_DIR / "config" / "locale_overrides", BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"

# Kazakh date and number formats, which Django does not ship (formats/kk/).
FORMAT_MODULE_PATH = ["formats"]

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# Never show one language's text in place of another's: a missing translation
# is missing, not silently replaced.
MODELTRANSLATION_ENABLE_FALLBACKS = False

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Mail (Django 6.1 MAILERS) --------------------------------------------------
if os.environ.get("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SMTP_HOST"],
                "port": int(os.environ.get("SMTP_PORT", "587")),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_TLS", True),
                # Well under the task lease: a hung server fails the attempt, it
                # does not hold the worker.
                "timeout": int(os.environ.get("SMTP_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": (
                "django.core.mail.backends.console.EmailBackend"
                if DEBUG
                else "django.core.mail.backends.smtp.EmailBackend"
            ),
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tilmash@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks (django.tasks) --------------------------------------------
# Tasks are rows in the database, written in the transaction of the move that
# causes them; `manage.py db_worker` runs them (README, Production).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task still RUNNING this long after it started is taken for one whose worker
# died: it is run again, up to TILMASH_TASK_MAX_CLAIMS starts, then marked failed.
TILMASH_TASK_LEASE_SECONDS = int(os.environ.get("TILMASH_TASK_LEASE_SECONDS", "600"))
TILMASH_TASK_MAX_CLAIMS = int(os.environ.get("TILMASH_TASK_MAX_CLAIMS", "3"))
# Attempts at sending one mail before it is left failed in the admin (backoff:
# 1, 4, 16, 64 minutes between them).
TILMASH_MAIL_ATTEMPTS = int(os.environ.get("TILMASH_MAIL_ATTEMPTS", "5"))

# --- Webhooks (README, "Webhooks") ---------------------------------------------
# Subscriptions may name loopback and private addresses only with this on (on
# with DEBUG, for the demo; tests turn it on): otherwise a webhook could be
# pointed at the newsroom's own network.
TILMASH_WEBHOOKS_ALLOW_PRIVATE = env_bool("TILMASH_WEBHOOKS_ALLOW_PRIVATE", DEBUG)
# Seconds to connect to a receiver and to wait for its answer.
TILMASH_WEBHOOK_CONNECT_TIMEOUT = float(os.environ.get("TILMASH_WEBHOOK_CONNECT_TIMEOUT", "3"))
TILMASH_WEBHOOK_READ_TIMEOUT = float(os.environ.get("TILMASH_WEBHOOK_READ_TIMEOUT", "10"))
# Seconds before each retry of a failed delivery (1, 4, 16, 64 minutes, 4 hours);
# after the last one it is left failed in the delivery log.
TILMASH_WEBHOOK_RETRY_DELAYS = [
    int(seconds) for seconds in env_list("TILMASH_WEBHOOK_RETRY_DELAYS", "60,240,960,3840,14400")
]

# --- Security -----------------------------------------------------------------
# Behind HTTPS (HTTPS=1, the default when DEBUG is off) cookies are secure,
# HTTP is redirected and HSTS is sent.
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Django's limit on form fields stays as it is: the translator's editor posts
# only the rows that changed, so a 300-paragraph article fits well under it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Tilmash ------------------------------------------------------------------
# Longest text one paragraph (or title) may hold, in characters.
TILMASH_MAX_PARAGRAPH_CHARS = int(os.environ.get("TILMASH_MAX_PARAGRAPH_CHARS", "10000"))
# Largest file the importer reads, in bytes.
TILMASH_MAX_IMPORT_BYTES = int(os.environ.get("TILMASH_MAX_IMPORT_BYTES", str(1024 * 1024)))
# The REST API (``api``): a request body past this size is refused unread;
# each key may make TILMASH_API_RATE requests every TILMASH_API_RATE_SECONDS
# (0: no limit); the public list's pages hold at most TILMASH_API_PAGE_MAX.
TILMASH_API_MAX_BODY_BYTES = int(
    os.environ.get("TILMASH_API_MAX_BODY_BYTES", str(TILMASH_MAX_IMPORT_BYTES))
)
TILMASH_API_MAX_PARAGRAPHS = int(os.environ.get("TILMASH_API_MAX_PARAGRAPHS", "500"))
TILMASH_API_RATE = int(os.environ.get("TILMASH_API_RATE", "120"))
TILMASH_API_RATE_SECONDS = int(os.environ.get("TILMASH_API_RATE_SECONDS", "60"))
TILMASH_API_PAGE_MAX = 100
# Largest Word document (.docx) the admin's import page reads, in bytes (its
# parts may unzip to five times as much, no more).
TILMASH_MAX_DOCX_BYTES = int(os.environ.get("TILMASH_MAX_DOCX_BYTES", str(10 * 1024 * 1024)))
# Agency feeds: seconds to wait for a feed's server (also the deadline for its
# whole body), the largest document read, and the folder that folder sources
# must lie under (none: no folder sources).
TILMASH_AGENCY_TIMEOUT = int(os.environ.get("TILMASH_AGENCY_TIMEOUT", "20"))
TILMASH_AGENCY_MAX_BYTES = int(os.environ.get("TILMASH_AGENCY_MAX_BYTES", str(5 * 1024 * 1024)))
TILMASH_AGENCY_FOLDER_ROOT = os.environ.get("TILMASH_AGENCY_FOLDER_ROOT", "")
# A one-person desk may let the same person write and approve. Off by default;
# every such approval is recorded in the audit.
TILMASH_ALLOW_SELF_APPROVAL = env_bool("TILMASH_ALLOW_SELF_APPROVAL")
TILMASH_PUBLIC_PAGE_SIZE = 20
# The Atom feeds carry each article's whole text (Atom content) beside its lead;
# off by default: leads only.
TILMASH_FEED_FULL_TEXT = env_bool("TILMASH_FEED_FULL_TEXT")
# Urgency clocks: the target time from the source going live to each language
# going live, per priority (translations.clocks). Notices go out at half and at
# full time; the dashboard measures against them.
TILMASH_PUBLISH_TARGETS = {
    "breaking": timedelta(minutes=15),
    "urgent": timedelta(minutes=60),
    "normal": timedelta(hours=24),
}
# A translation whose source was updated says so on its page until it follows.
TILMASH_TRANSLATION_FOLLOWS_NOTICE = env_bool("TILMASH_TRANSLATION_FOLLOWS_NOTICE", True)
# How long a rendered public article page stays in the cache, in seconds (0: no
# page cache). Freshness does not depend on it: the cache key names the live
# versions, so an approval shows at once; this only bounds memory and how long
# a renamed contributor keeps the old spelling on already approved pages.
TILMASH_PUBLIC_CACHE_SECONDS = int(os.environ.get("TILMASH_PUBLIC_CACHE_SECONDS", "300"))
# Whether every process shares the cache (Redis, memcached). Only then is an
# article's live-version fingerprint kept in the cache, written through when a
# version goes live, so that a cached article page is served without a query;
# with local memory an approval in one worker could not reach another's copy,
# so each request reads the fingerprint from the database (translations/cache.py).
TILMASH_PUBLIC_CACHE_SHARED = CACHES["default"]["BACKEND"] in {
    "config.redis_cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
}
# Article pages built when what they show changes and served by one read
# (translations/pages.py): on or off; how long each process keeps a page it read
# (seconds: the bound on a change made in another process showing there); how
# many pages it keeps; how long a built page is served before the next request
# checks it against the database (the bound on a change that sent no signal).
TILMASH_PUBLIC_PAGES = env_bool("TILMASH_PUBLIC_PAGES", True)
TILMASH_PUBLIC_PAGES_MEMORY_SECONDS = float(
    os.environ.get("TILMASH_PUBLIC_PAGES_MEMORY_SECONDS", "1")
)
TILMASH_PUBLIC_PAGES_MEMORY_ENTRIES = int(
    os.environ.get("TILMASH_PUBLIC_PAGES_MEMORY_ENTRIES", "500")
)
TILMASH_PUBLIC_PAGES_VERIFY_SECONDS = int(
    os.environ.get("TILMASH_PUBLIC_PAGES_VERIFY_SECONDS", "300")
)

# Logs: text lines, or JSON with LOG_FORMAT=json; 500 mails to ADMINS; errors to
# SENTRY_DSN when set (config/observability.py).
_observability = observability.from_environment()
ADMINS = _observability["admins"]
LOGGING = observability.logging_config(
    log_format=_observability["log_format"], level=_observability["level"]
)
observability.sentry_init(
    os.environ.get("SENTRY_DSN", ""),
    environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
    release=os.environ.get("SENTRY_RELEASE", ""),
    traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
)

# Machine translation for the translator's editor: a dotted path to a
# subclass of aids.mt.MachineTranslationProvider. The default needs no
# network: it reuses exact translation-memory matches and glossary renderings.
TILMASH_MT_PROVIDER = os.environ.get("TILMASH_MT_PROVIDER", "aids.mt.PretranslateProvider")
# Per language pair ("kk>en") or "default": {"provider": "deepl" | "google" |
# "libretranslate" | "openai" | "pretranslate" | a dotted path, ...options}, as JSON in
# the environment. Keys and URLs are read from the environment variables the
# options name (aids/mt/__init__.py), never written here or in the database.
try:
    TILMASH_MT = json.loads(os.environ.get("TILMASH_MT") or "{}")
except ValueError as error:
    raise ImproperlyConfigured(f"TILMASH_MT is not valid JSON: {error}") from error

# Where the site is, for links in e-mail (sent outside any request): the scheme
# and host people reach the desk at, without a trailing slash.
TILMASH_SITE_URL = os.environ.get("TILMASH_SITE_URL", "").rstrip("/") or (
    "http://127.0.0.1:8000"
    if DEBUG or not ALLOWED_HOSTS or ALLOWED_HOSTS[0].startswith(".") or ALLOWED_HOSTS[0] == "*"
    else f"{'https' if HTTPS else 'http'}://{ALLOWED_HOSTS[0]}"
)
# Pre-translation (reviews/services/machine.py): units the worker translates and
# saves per batch; whether a breaking edition is pre-translated as soon as it is
# assigned (off: an editor asks); whether public pages disclose machine assistance.
TILMASH_PRETRANSLATE_BATCH = int(os.environ.get("TILMASH_PRETRANSLATE_BATCH", "20"))
TILMASH_PRETRANSLATE_BREAKING = env_bool("TILMASH_PRETRANSLATE_BREAKING")
TILMASH_MACHINE_CREDIT = env_bool("TILMASH_MACHINE_CREDIT")
# The publisher named in article pages' structured data, OpenGraph's site
# name and the Google News sitemap (which must match the name Google knows).
TILMASH_PUBLISHER_NAME = os.environ.get("TILMASH_PUBLISHER_NAME", "Tilmash")

# Largest XLIFF upload the desk reads, in bytes: a single file, a zip, and the
# total its files decompress to (refused by size before any parsing).
TILMASH_MAX_XLIFF_BYTES = int(os.environ.get("TILMASH_MAX_XLIFF_BYTES", str(20 * 1024 * 1024)))
