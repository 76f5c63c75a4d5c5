"""Settings: SQLite in the data directory by default; ``DATABASE_URL`` selects PostgreSQL.

Environment:
- ``FROMBELOW_DATA``: where the SQLite database and the signing key live (default ``./var``).
- ``DATABASE_URL``: e.g. ``postgres://postgres@127.0.0.1:5432/frombelow``.
- ``FROMBELOW_SECRET_KEY``, ``FROMBELOW_DEBUG`` (``1``), ``FROMBELOW_HOSTS`` (comma separated).
- ``FROMBELOW_SIGNING_KEY``: the instance's Ed25519 key (PEM file); made on first use if missing.
- ``FROMBELOW_PRODUCTION`` (``1``): served over HTTPS behind a proxy: secure cookies, HSTS, redirect to
  HTTPS; requires ``FROMBELOW_SECRET_KEY`` and ``FROMBELOW_HOSTS``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("FROMBELOW_DATA", "var")).resolve()

PRODUCTION = os.environ.get("FROMBELOW_PRODUCTION", "") == "1"
if PRODUCTION and not (os.environ.get("FROMBELOW_SECRET_KEY") and os.environ.get("FROMBELOW_HOSTS")):
    raise ImproperlyConfigured("FROMBELOW_PRODUCTION=1 needs FROMBELOW_SECRET_KEY and FROMBELOW_HOSTS set")
DEBUG = os.environ.get("FROMBELOW_DEBUG", "") == "1" and not PRODUCTION
SECRET_KEY = os.environ.get("FROMBELOW_SECRET_KEY") or "frombelow-development-only-" + "x" * 40
ALLOWED_HOSTS = [h for h in os.environ.get("FROMBELOW_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
SIGNING_KEY = Path(os.environ.get("FROMBELOW_SIGNING_KEY", DATA / "signing-key.pem"))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # its own copy of Swagger UI for /api/v1/docs, served from here as the CSP requires (not a CDN)
    "frombelow.web",
]

MIDDLEWARE = [
    "frombelow.web.security.headers.ContentSecurityPolicy",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a locked-out login's answer into the lockout page
]

ROOT_URLCONF = "frombelow.web.urls"
WSGI_APPLICATION = "frombelow.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frombelow.web.views.context.platform",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60)
    DATA.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so two writers queue
    # instead of one failing when it upgrades its read lock.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA / "frombelow.sqlite3",
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "frombelow.web.security.throttling.LockedOutLogins",  # first: a locked-out login is refused before its password is checked
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español"), ("ru", "Русский")]
LOCALE_PATHS = [HERE / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = DATA / "static"  # where `frombelow manage collectstatic` gathers them for production
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise looks there first, even in development
WHITENOISE_USE_FINDERS = True  # serve from the package without collectstatic in development

# Security. The Content-Security-Policy is set by frombelow.web.security.headers; the API takes
# bearer tokens, never cookies, so CSRF does not apply to it.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12  # a login lasts a working day, then the password is asked again
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Production: TLS ends at the reverse proxy, which says so in X-Forwarded-Proto and appends the
# client's address to X-Forwarded-For. Plain HTTP is redirected; cookies never travel without TLS.
BEHIND_PROXY = PRODUCTION
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365  # sent only on HTTPS responses
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True  # only asks; a domain is preloaded when its owner submits it

# Login throttling: see frombelow.web.security.throttling (attempts in the database: AXES_HANDLER's default).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # keep failed attempts only: no record of who logged in when
AXES_LOCKOUT_CALLABLE = "frombelow.web.security.throttling.locked_out"
AXES_CLIENT_IP_CALLABLE = "frombelow.web.security.throttling.client_address"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
