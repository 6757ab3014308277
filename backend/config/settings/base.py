"""
Settings shared by every environment. Environment-specific modules (`local`, `test`,
`production`) import everything from here and override what differs.

The database comes from DATABASE_URL (dj-database-url); unset means the SQLite file
backend/db.sqlite3. See docs/interfaces.md for every environment variable.
"""

from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import env_decimal, env_int, env_list, env_str
from core.logging_config import json_logging

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "core",
    "accounts",
    "loans",
]

# Health checks run first so probes skip the host check and the HTTPS redirect; the
# request id and access log wrap everything else so every response is logged once.
MIDDLEWARE = [
    "core.health.HealthCheckMiddleware",
    "core.request_id.RequestIdMiddleware",
    "core.access_log.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES: list[dict] = []  # JSON API only: no templates, admin or static files.

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast (readiness turns 503) instead of hanging when the database is unreachable.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take SQLite's write lock when a transaction begins: writers queue instead of failing
    # halfway, which serialises the per-DNI writes as PostgreSQL's advisory locks do.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ModelBackend without a password hash for unknown usernames (accounts.backends).
AUTHENTICATION_BACKENDS = ["accounts.backends.UniformTimingModelBackend"]

# Login throttle (accounts.throttle, ADR 0009): attempts allowed per window, per account and
# per client address; the address comes from this header, set by nginx.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=1)
CLIENT_IP_HEADER = env_str("DJANGO_CLIENT_IP_HEADER", "X-Real-IP")
# Logins checked at once per process (each holds a thread ~0.5 s); more get 429 at once.
LOGIN_CONCURRENCY_PER_PROCESS = env_int("LOGIN_CONCURRENCY_PER_PROCESS", 2, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es-ar"
TIME_ZONE = "America/Argentina/Buenos_Aires"
USE_I18N = True
USE_TZ = True

# The API only accepts small JSON bodies; larger ones are answered with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
FILE_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024
APPEND_SLASH = False  # a redirect would drop POST bodies; clients get a JSON 404 instead

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "core.error_views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Loan rules. Amounts are ARS with two decimals; the model allows 12 digits in total.
_MAX_STORABLE_AMOUNT = Decimal("9999999999.99")
LOAN_MIN_AMOUNT = env_decimal("LOAN_MIN_AMOUNT", "10000").quantize(Decimal("0.01"))
LOAN_MAX_AMOUNT = env_decimal("LOAN_MAX_AMOUNT", "5000000").quantize(Decimal("0.01"))
if not LOAN_MIN_AMOUNT < LOAN_MAX_AMOUNT <= _MAX_STORABLE_AMOUNT:
    raise ImproperlyConfigured(
        "LOAN_MIN_AMOUNT must be below LOAN_MAX_AMOUNT, which must be at most "
        f"{_MAX_STORABLE_AMOUNT}."
    )
# A request whose amount, plus the DNI's approved and pending amounts of the last
# LOAN_EXPOSURE_WINDOW_DAYS, is above this is left pending for a person to review.
LOAN_AUTO_APPROVAL_MAX_AMOUNT = env_decimal("LOAN_AUTO_APPROVAL_MAX_AMOUNT", "1000000")
LOAN_EXPOSURE_WINDOW_DAYS = env_int("LOAN_EXPOSURE_WINDOW_DAYS", 30, minimum=1)
# A DNI rejected (by a person or the scoring service) this few days ago is rejected again.
LOAN_REJECTION_COOLDOWN_DAYS = env_int("LOAN_REJECTION_COOLDOWN_DAYS", 30)

SCORING_URL = env_str("SCORING_URL")
SCORING_TIMEOUT_SECONDS = float(env_int("SCORING_TIMEOUT_SECONDS", 3, minimum=1))

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = json_logging(LOG_LEVEL)
