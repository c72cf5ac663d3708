"""Settings for Mini Police Hub: one file, read from environment variables.

DEBUG=true (the default for `make run`) is the local demo; DEBUG=false is production and
refuses to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import logging
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from minipolice.lib.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# The test suite's settings. On by default when pytest-django loads this file, so a plain
# `pytest` from the project root needs no environment variable; a server never imports it.
TESTING = env_bool("MINIPOLICE_TESTING", "pytest_django" in sys.modules)

# Refused when DEBUG is off (below): it cannot reach production.
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # nosec B105
# Secrets come from the variable or from a file named by NAME_FILE (minipolice.lib.env).
SECRET_KEY = env_secret("SECRET_KEY", _DEV_SECRET if (DEBUG or TESTING) else None)
if not (DEBUG or TESTING) and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("Set a real SECRET_KEY when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

# Demo accounts may skip the second factor only on a DEBUG server (the `make run` demo).
ALLOW_DEMO_WITHOUT_MFA = DEBUG and env_bool("ALLOW_DEMO_WITHOUT_MFA", True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "minipolice.lib",
    "minipolice.audit",
    "minipolice.accounts",
    "minipolice.organisations",
    "minipolice.people",
    "minipolice.consent",
    "minipolice.programme",
    "minipolice.delivery",
    "minipolice.community",
    "minipolice.events",
    "minipolice.public",
    "minipolice.awards",
    "minipolice.api",
    "minipolice.impact",
    "minipolice.reports",
    "minipolice.home",
    "minipolice.demo",
]

MIDDLEWARE = [
    # First: it gives the request its id and logs it, whatever the layers below answer.
    "minipolice.lib.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (a signed-in user's language is kept in the session), before common.
    "minipolice.accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "minipolice.consent.middleware.PortalOnlyMiddleware",
    "minipolice.accounts.middleware.SessionTimeoutMiddleware",
    "minipolice.accounts.middleware.RequireSecondFactorMiddleware",
    "minipolice.impact.middleware.ClassroomLockMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "minipolice.lib.middleware.NoStoreForSignedInMiddleware",
    "minipolice.lib.middleware.DatabaseBusyMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minipolice.urls"
WSGI_APPLICATION = "minipolice.wsgi.application"
ASGI_APPLICATION = "minipolice.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "minipolice" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "minipolice.accounts.context_processors.roles",
            ],
            "string_if_invalid": "INVALID_TEMPLATE_VARIABLE(%s)" if TESTING else "",
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# How long a write waits for a lock held by another before giving up; the request then
# answers 503 "try again" (minipolice.lib.middleware.DatabaseBusyMiddleware), not a 500.
DB_LOCK_TIMEOUT = env_int("DB_LOCK_TIMEOUT", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web process read and write side by side. SQLite lets
    # one writer in at a time: BEGIN IMMEDIATE takes the write lock when a transaction starts
    # (so a reader never fails on turning writer), and "timeout" is how long it waits for it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": DB_LOCK_TIMEOUT,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # jit=off: PostgreSQL's JIT compiler starts on any query its planner costs high, and for
    # the app's page-sized queries compiling takes longer than running (the API's session list
    # at national scale: 4.7 s with it, 0.9 s without; bench/RESULTS.md, load test).
    _options["options"] = (
        f"{_options.get('options', '')} -c lock_timeout={DB_LOCK_TIMEOUT * 1000} -c jit=off"
    ).strip()

# An optional read-only copy (a PostgreSQL streaming replica) for the dashboards' aggregate
# queries: `minipolice.lib.routers` sends the reads of the reports selectors there, and every
# write, every other read and every migration to "default". Off unless DATABASE_REPLICA_URL is
# set. The test suite always has the alias, as a mirror of its test database (Django's way of
# testing replicas), but routes to it only in the tests that switch DATABASE_READ_REPLICA on.
DATABASE_READ_REPLICA = ""
_replica_url = env_secret("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASE_READ_REPLICA = "replica"
elif TESTING:
    DATABASES["replica"] = {
        **DATABASES["default"],
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
if DATABASES.get("replica", {}).get("ENGINE") == "django.db.backends.postgresql":
    # Belt and braces: even pointed at the primary by mistake, this alias cannot write.
    _options = DATABASES["replica"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c default_transaction_read_only=on"
    _options["options"] = _options["options"].strip()
DATABASE_ROUTERS = ["minipolice.lib.routers.ReplicaRouter"]

# The cache. allauth keeps its sign-in rate limits and the authenticator codes already used
# (so a code cannot be used twice) there: with several web processes the cache must be shared,
# or each process keeps its own counts. REDIS_URL set: Redis. Otherwise the database, in the
# table minipolice_cache that the migration minipolice/lib/migrations/0001 creates. The test
# suite keeps Django's in-process cache, as it always had: one process runs the suite, allauth's
# rate limits are off in tests (above), and the database cache's table is no model, so a
# transactional test's flush would not empty it and one test's entries would reach the next.
REDIS_URL = env_secret("REDIS_URL", "")
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "minipolice"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "minipolice_cache",
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in: django-allauth with email as the login, TOTP second factor, recovery codes.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "minipolice.accounts.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
# allauth's defaults outside tests. Its "login_failed" limit (5 per 5 minutes per account,
# shared with authenticator codes) can answer a 6th wrong password before django-axes does:
# then the sign-in form says "You have tried to sign in too many times" instead of the axes
# lockout page. Both refuse even the right password; raising allauth's limit to let axes
# answer would also allow more guesses at authenticator codes, which axes does not count.
ACCOUNT_RATE_LIMITS = False if TESTING else {}
# allauth's forms with GOV.UK labels and error messages (markup: templates/account, mfa).
ACCOUNT_FORMS = {
    "login": "minipolice.accounts.adapters.LoginForm",
    "reauthenticate": "minipolice.accounts.adapters.ReauthenticateForm",
    "change_password": "minipolice.accounts.adapters.ChangePasswordForm",  # a class path # nosec B105
    "set_password": "minipolice.accounts.adapters.SetPasswordForm",  # a class path # nosec B105
    "reset_password": "minipolice.accounts.adapters.ResetPasswordForm",  # a class path # nosec B105
    "reset_password_from_key": "minipolice.accounts.adapters.ResetPasswordKeyForm",  # a class path # nosec B105
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mini Police Hub"
MFA_ADAPTER = "minipolice.accounts.adapters.MFAAdapter"
MFA_FORMS = {
    "authenticate": "minipolice.accounts.adapters.AuthenticateForm",
    "reauthenticate": "minipolice.accounts.adapters.MFAReauthenticateForm",
    "activate_totp": "minipolice.accounts.adapters.ActivateTOTPForm",
}
# Every sign-in asks for the code: no "trust this browser".
MFA_TRUST_ENABLED = False
# allauth refuses to set up a factor while the account has an unverified email address (it
# guards open sign-up, where a stranger could claim someone's address first). Sign-up is
# closed here, and merely asking for a password reset records the address as unverified:
# without this, anyone could stop a member of staff from ever setting up their app.
MFA_ALLOW_UNVERIFIED_EMAIL = True

# Behind a load balancer the client's address is in X-Forwarded-For: say how many proxies to
# trust, or every failure would count against the proxy's address and lock everyone out.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Lockout after repeated failures (django-axes): 5 tries, then an hour's wait.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# allauth hands the backends {"email": ..., "password": ...} (the email already lower-cased),
# so that is the key axes must read; "login" (the form field) would count every failure
# against no username at all.
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Axes' log lines would carry what was typed as the username (an email, sometimes a password).
AXES_VERBOSE = False

# Sessions: signed out after 30 idle minutes, and 12 hours after sign-in whatever happens.
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
# English and Welsh on equal terms: forces in Wales must offer Welsh. A visitor gets the
# browser's Accept-Language; a choice made with the switch on every page is kept in a cookie,
# and for a signed-in user on their account too (accounts.middleware.LanguageMiddleware).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
# Project-wide templates (base, sign-in, errors); each app keeps its own catalogue in
# <app>/locale, which Django finds by itself.
LOCALE_PATHS = [BASE_DIR / "minipolice" / "locale"]
LANGUAGE_COOKIE_NAME = "mp_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "minipolice" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Locally and in tests WhiteNoise serves straight from the app folders; production serves the
# compressed, hashed files `collectstatic` writes.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
# Uploaded files (story photos, curriculum files, signatures): every web process and the task
# worker must see the same folder (docs/deploy.md).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Where `manage.py backup` writes its archives when not given --output (docs/backup.md).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))
MEDIA_URL = "/media/"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mini Police Hub <no-reply@localhost>")

# Background work: Django's tasks API, database backend, `manage.py task_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task still "running" this long after it started is taken to have lost its worker (killed):
# the worker's housekeeping then marks an email it was sending interrupted and queues a class
# list it was applying again (docs/crash-safety.md). The crash tests shorten it.
TASK_INTERRUPTED_AFTER = timedelta(seconds=env_int("TASK_INTERRUPTED_AFTER_SECONDS", 15 * 60))

# Content Security Policy: no inline script or style; the one inline script carries a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The public map of units: a tile server URL template such as
# https://tile.openstreetmap.org/{z}/{x}/{y}.png (check its usage policy). Empty: no map, the
# page is a list. Its host is added to the CSP's img-src.
MINIPOLICE_MAP_TILES = env_str("MINIPOLICE_MAP_TILES", "")
MINIPOLICE_MAP_ATTRIBUTION = env_str("MINIPOLICE_MAP_ATTRIBUTION", "")
if MINIPOLICE_MAP_TILES:
    _scheme, _, _host = MINIPOLICE_MAP_TILES.split("/")[:3]
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_scheme}//{_host.replace('{s}', '*')}"
    )

X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "minipolice.lib.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False

if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Logs go to standard output (systemd's journal, a container's log). In production each line is
# a JSON object (LOG_FORMAT=json, the default when DEBUG is off); every record carries the id of
# the request it was written in. One line per request comes from minipolice.request
# (lib/observability.py): method, path without query and secrets, status, duration, user id.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if (DEBUG or TESTING) else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "minipolice.lib.observability.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
# Python's warnings (a deprecation, a missing static folder) through the same handler, so every
# line of a production log is JSON.
logging.captureWarnings(LOG_FORMAT == "json")

# Personal data retention, in months after a child's last cohort ends (per force default).
RETENTION_MONTHS_DEFAULT = 12
PAGE_SIZE = 25
