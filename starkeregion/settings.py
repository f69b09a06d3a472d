"""Settings for starkeRegion, read from environment variables.

Development defaults make a fresh checkout run at once (`make run` turns DEBUG
on); production must set at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
With DEBUG off the app refuses to start on an unsafe configuration.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
import redis
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .object_storage import storage_origin, storage_settings

BASE_DIR = Path(__file__).resolve().parent.parent
# Run from the source tree (manage.py beside the apps), or installed from a wheel (`pip install
# .`, see setup.py), which carries templates/, static/ and locale/ inside this package.
SOURCE_TREE = (BASE_DIR / "manage.py").is_file()
FILES_DIR = BASE_DIR if SOURCE_TREE else Path(__file__).resolve().parent
# Where the development defaults write (SQLite, uploads, collected static files): the source
# tree, or the working directory of an installed copy; production sets each of them.
WORK_DIR = BASE_DIR if SOURCE_TREE else Path.cwd()


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value (1/0, true/false), not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def email_settings(url: str) -> dict:
    """Translate EMAIL_URL (console://, locmem://, smtp://user:pass@host:587?tls=1) to settings."""
    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(f"EMAIL_URL scheme must be one of {', '.join(backends)}.")
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    result = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        result.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=options.get("tls", "0") in {"1", "true", "yes"},
            EMAIL_TIMEOUT=10,
        )
    return result


def cache_settings(url: str) -> dict:
    """Translate CACHE_URL/REDIS_URL to CACHES; the database cache is shared by all processes."""
    if url.startswith(("redis://", "rediss://")):
        return {
            # Falls back to each process's memory while Redis is unreachable (core.cache).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": url,
            # Redis answers within milliseconds; one that does not is treated as down at
            # once rather than holding the request (the breaker then skips it for a while).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if url in {"", "db://"}:
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # Django culls at 300 entries, which would drop rate limits, view-counter
            # marks and search counts long before they expire.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    raise ImproperlyConfigured("CACHE_URL must be redis://…, rediss://… or db://.")


def tasks_settings(url: str, database_url: str) -> dict:
    """Translate TASKS_URL to huey's HUEY setting.

    immediate:// runs every task in the calling process the moment it is queued (development,
    tests); redis://… and rediss://… keep the queue in Redis; postgres://… in tables of that
    PostgreSQL database; sqlite:///path in a SQLite file; db:// in the application's own database
    (DATABASE_URL). Every value but immediate:// needs a worker: `manage.py run_huey`.
    """
    if url == "db://":
        database = urlsplit(database_url)
        if database.scheme in {"postgres", "postgresql"}:
            url = database_url
        elif database.scheme == "sqlite":
            # A file of its own beside the database: huey's SQLite tables have generic names.
            path = database.path[1:]
            url = "sqlite:///" + (path + "-tasks" if path and path != ":memory:" else ":memory:")
        else:
            raise ImproperlyConfigured("TASKS_URL=db:// needs a PostgreSQL or SQLite database.")
    config = {
        "name": "starkeregion",
        "immediate": False,
        # Tasks report through the database and the log, never through a return value: stored
        # results nobody reads would pile up in the queue's storage.
        "results": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
    scheme = urlsplit(url).scheme
    if scheme == "immediate":
        config.update(huey_class="huey.MemoryHuey", immediate=True)
    elif scheme in {"redis", "rediss"}:
        # Timeouts, so that a Redis that hangs holds neither a page nor the health check for
        # long; reads must outlast the worker's blocking wait for tasks (1 s).
        pool = redis.ConnectionPool.from_url(url, socket_connect_timeout=2, socket_timeout=10)
        config.update(huey_class="huey.RedisHuey", connection={"connection_pool": pool})
    elif scheme in {"postgres", "postgresql"}:
        # No DDL whenever a process starts: `manage.py create_huey_tables` creates the tables.
        config.update(
            huey_class="huey.PostgresHuey", connection={"dsn": url, "create_tables": False}
        )
    elif scheme == "sqlite":
        config.update(
            huey_class="huey.SqliteHuey",
            connection={"filename": urlsplit(url).path[1:] or ":memory:"},
        )
    else:
        raise ImproperlyConfigured(
            "TASKS_URL must be immediate://, redis://…, rediss://…, postgres://…, "
            "sqlite:///path or db://."
        )
    return config


DEBUG = env_bool("DEBUG", False)

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ".localhost,127.0.0.1,[::1]" if DEBUG else "")
SERVES_PUBLIC_HOSTS = any(
    host.lstrip(".") not in LOCAL_HOSTS and not host.endswith("localhost") for host in ALLOWED_HOSTS
)
# Hosts that show the portal (the list of regions) instead of one region.
PORTAL_HOSTS = {host.lower() for host in env_list("PORTAL_HOSTS", "localhost,127.0.0.1,[::1]")}

_INSECURE_KEY = "django-insecure-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_KEY if DEBUG else "")

if not DEBUG:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("django-insecure", "replace")):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is "
            "off. Generate one: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list the host names this installation serves when DEBUG is off, "
            "e.g. ALLOWED_HOSTS=.starkeregion.digital"
        )
elif SERVES_PUBLIC_HOSTS:
    raise ImproperlyConfigured(
        "DEBUG must not be on while ALLOWED_HOSTS names public hosts: it shows internals to anyone."
    )

# HTTPS switches on redirects, secure cookies, HSTS and https links in emails.
HTTPS = env_bool("HTTPS", not DEBUG)
SITE_SCHEME = "https" if HTTPS else "http"
# A port to put in links to a region's primary host (mails, feeds, canonical addresses, embeds),
# for development servers on :8000.
SITE_PORT = env_str("SITE_PORT")
# The demo app (`manage.py load_demo`) creates accounts, an operator's too, with a password
# printed in the README: production leaves it out.
DEMO = env_bool("DEMO", DEBUG)
if DEMO and SERVES_PUBLIC_HOSTS:
    raise ImproperlyConfigured(
        "DEMO must not be on while ALLOWED_HOSTS names public hosts: the demo's accounts "
        "have published passwords."
    )

INSTALLED_APPS = [
    "regions.apps.BackofficeConfig",  # django.contrib.admin with the region-aware site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "csp",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's and Redoc's files, served from our own host (no CDN).
    "drf_spectacular_sidecar",
    # Not huey.contrib.djhuey.stats: every process would write its figures to a local SQLite file.
    "huey.contrib.djhuey",
    "allauth",
    # allauth's accounts and MFA, named in German in the back office (accounts/apps.py)
    "accounts.apps.SignInConfig",
    "accounts.apps.TwoFactorConfig",
    # The ground floor is an app too, so that the worker finds core/tasks.py.
    "core",
    "accounts",
    "regions",
    "organisations",
    "listings",
    "inquiries",
    "pools",
    "api",
    "embeds",
    "alerts",
    "impact",
    "trips",
    "matching",
    "watchlist",
    "moderation",
    "agreements",
    *(["demo"] if DEMO else []),
]

MIDDLEWARE = [
    # Outermost, so that static files and the health check get the header too.
    "core.middleware.PermissionsPolicyMiddleware",
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside CSP and outside the region's middleware: answers on /api/ are JSON even for an
    # unknown host or an unexpected error, and the read endpoints allow cross-origin GET.
    "api.middleware.ApiMiddleware",
    # After CSRF, auth and CSP, so that even the unknown-host page has all of them;
    # it sets request.urlconf, which Django reads only after all middleware ran.
    "regions.middleware.RegionMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "starkeregion.urls"
PORTAL_URLCONF = "starkeregion.urls_portal"
WSGI_APPLICATION = "starkeregion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [FILES_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regions.context_processors.region",
                "organisations.acting.context",
                "inquiries.context_processors.unread",
            ],
        },
    },
]
FORM_RENDERER = "core.forms.FormRenderer"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{WORK_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # Writers wait for each other instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_settings(env_str("CACHE_URL") or env_str("REDIS_URL"))}

# Background tasks (huey). Development runs them in the request that queues them, so `make run`
# needs no second process. Production keeps the queue in Redis when there is one, and otherwise
# in the database it already has and backs up: the tables live beside the data and survive
# restarts, and PostgreSQL's LISTEN/NOTIFY wakes the worker without polling. Create those tables
# once after `migrate` with `manage.py create_huey_tables`, like the cache table.
TASKS_URL = env_str("TASKS_URL") or ("immediate://" if DEBUG else env_str("REDIS_URL") or "db://")
HUEY = tasks_settings(TASKS_URL, DATABASE_URL)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email + password, verified email, TOTP for whoever wants it
# (and for every back-office user, see regions.backoffice).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# The name too (accounts.forms.SignupForm), so that conversations say who wrote.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_DISPLAY = "accounts.models.display_name"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# Confirming the address logs the person in, on to the page their sign-up came from. allauth
# does so only in the browser session that signed up; a link opened elsewhere leads through
# the login page (accounts.adapter).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_SCHEME
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, spelled out so an operator sees them; stored in the shared cache.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    # Ours, counted the same way (listings.views): enough for any real use, not for spam.
    "listing_create": "30/h/user",
    "listing_photo_upload": "120/h/user",
    # New inquiries per organisation, whoever of its people sends them: against spam.
    "inquiry_create": "20/h/key",
    # Stars and "Folgen" (watchlist.views): far more than a person clicks.
    "watchlist": "300/h/user",
    # Messages per organisation, in all its conversations: each one mails the other side.
    "inquiry_message": "30/h/key",
    # Commitments to pools and messages in their group threads per organisation (pools.views):
    # each mails the initiator or the partners.
    "pool_commit": "20/h/key",
    "pool_message": "30/h/key",
    # Reports of listings and organisations per person (moderation.views).
    "report_create": "10/h/user",
    # Saved searches per person (alerts.views).
    "alert_create": "30/h/user",
    # Agreements rendered as PDF (agreements.views), per address: each costs a moment of CPU.
    "agreement_pdf": "60/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "starkeRegion"

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Where region hosts share a parent domain (pm.starkeregion.digital, ohv.starkeregion.digital
# and the portal starkeregion.digital), one login serves all of them: the cookies are set for
# that domain. Only when every host of the installation lies below it; browsers refuse a
# cookie for a domain that is not the page's own.
COOKIE_DOMAIN = env_str("COOKIE_DOMAIN").strip() or None
SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = LANGUAGE_COOKIE_DOMAIN = COOKIE_DOMAIN
# Forms post to their own host; list other origins here only if one posts across hosts.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    # Only behind a proxy that sets this header itself; a client could forge it otherwise.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading binds every subdomain of a district's domain for months; that is the
    # operator's decision per domain, not a default of the software.
    "security.W021",
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *filter(None, [storage_origin(env_str("STORAGE_URL"))])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# The API (api/): JSON only, keys in the Authorization header, limits per IP or per key, kept
# in the shared cache. Behind a proxy the client's IP is the last one the proxy added.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOrWriteKey"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousThrottle",
        "api.throttling.KeyThrottle",
        "api.throttling.KeyWriteThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env_str("API_RATE_ANONYMOUS", "60/min"),
        "key": env_str("API_RATE_KEY", "600/min"),
        "key_writes": env_str("API_RATE_KEY_WRITES", "300/hour"),
    },
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "starkeRegion API",
    "VERSION": "1",
    "DESCRIPTION": _(
        "The listings, categories, organisations and places of the region whose host "
        "serves the API. Public data needs no key; a key (Authorization: Bearer …) raises the "
        "limits and lets its organisation see and change its own listings."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No calls to the validator service of swagger.io: the docs page asks our host only.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
}

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [
    FILES_DIR / "locale",
    # Hand-kept overrides of django-allauth's German, which says "du" where we say "Sie", and
    # of its English, which says "Sign In" where the header says "Log in".
    FILES_DIR / "locale" / "formal",
]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

# Hashed, compressed files from `collectstatic` in production; straight from the
# source folders in development and tests, where nothing was collected.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STATIC_URL = "/static/"
STATIC_ROOT = WORK_DIR / "staticfiles" if STATIC_MANIFEST else None
STATICFILES_DIRS = [FILES_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(WORK_DIR / "media")))
# Files no URL may reach (proofs of non-profit status); views hand them out after a check.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(WORK_DIR / "private")))
# Uploads in object storage (several app servers), or in the folders above (the default).
STORAGE_URL = env_str("STORAGE_URL")
PRIVATE_STORAGE_URL = env_str("PRIVATE_STORAGE_URL")
if urlsplit(STORAGE_URL).scheme == "s3" and not PRIVATE_STORAGE_URL:
    raise ImproperlyConfigured(
        "With STORAGE_URL=s3://…, set PRIVATE_STORAGE_URL too: proofs of status need a "
        "private bucket (or a shared private folder with file://), never the public one."
    )
if (
    urlsplit(PRIVATE_STORAGE_URL).scheme == "s3"
    and urlsplit(STORAGE_URL).scheme == "s3"
    and urlsplit(PRIVATE_STORAGE_URL).hostname == urlsplit(STORAGE_URL).hostname
):
    raise ImproperlyConfigured(
        "PRIVATE_STORAGE_URL must name another bucket than STORAGE_URL: anonymous reads of "
        "the public bucket must never reach a proof of status."
    )
# Let Django serve uploaded public files (logos) when no proxy or object storage does.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": storage_settings(STORAGE_URL, public=True),
    "private": storage_settings(PRIVATE_STORAGE_URL, PRIVATE_MEDIA_ROOT, public=False),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "starkeRegion <noreply@starkeregion.digital>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Operator", address) for address in env_list("ADMIN_EMAILS")]
globals().update(email_settings(env_str("EMAIL_URL", "console://")))

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # Times in UTC (2026-03-29T00:59:59.250Z), as gunicorn's lines (gunicorn_config.py).
        "plain": {
            "class": "core.logformat.UTCFormatter",
            "format": "{asctime} {levelname} {name}: {message}",
            "style": "{",
        }
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "skip_service_unavailable": {"()": "core.logformat.SkipServiceUnavailable"},
        # An outage's repeating lines once a minute (core.logformat.OutageRepeatsOncePerMinute).
        "outage_repeats": {
            "()": "core.logformat.OutageRepeatsOncePerMinute",
            "loggers": ["huey.consumer", "core.health"],
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["outage_repeats"],
        },
        # Django's error mails to ADMINS, but none for the 503s of a database outage: one per
        # request would flood the operator (core.logformat.SkipServiceUnavailable).
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false", "skip_service_unavailable"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's default handlers of this logger (its console handler prints only
        # with DEBUG on, which the root's does anyway); its lines still reach the root's.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # The worker logs each task it runs; with a handler here it adds none of its own, which
        # would print every line twice.
        "huey": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Unknown Host headers are routine noise from scanners, not errors to mail anyone.
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
        },
        # WeasyPrint logs every step of every PDF (agreements.pdf) at INFO; its warnings stay.
        "weasyprint": {"level": "WARNING"},
    },
}
