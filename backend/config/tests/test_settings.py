import os
import runpy
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from config.settings import env

BACKEND_DIR = Path(__file__).resolve().parents[2]
GOOD_KEY = "a-production-secret-key-that-is-long-enough-0123456789-xyz"


def load(module: str, **environ: str) -> dict:
    """Runs a settings module afresh (base included) with extra environment variables."""
    with mock.patch.dict(os.environ, environ, clear=False), mock.patch.dict(sys.modules):
        sys.modules.pop("config.settings.base", None)
        return runpy.run_module(module)


class ProductionSettingsTests(SimpleTestCase):
    def test_refuses_to_start_without_secret_key(self):
        environ = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DJANGO_SECRET_KEY", "COVERAGE_PROCESS_START")
        }
        environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=BACKEND_DIR,
            env=environ,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn("DJANGO_SECRET_KEY", result.stderr)

    def test_rejects_short_or_insecure_keys(self):
        for key in ("short", "django-insecure-" + "x" * 60, "a" * 60):
            with self.subTest(key=key[:20]), self.assertRaises(ImproperlyConfigured):
                load("config.settings.production", DJANGO_SECRET_KEY=key)

    def test_https_on_by_default(self):
        values = load("config.settings.production", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_HTTPS="")
        self.assertTrue(values["SECURE_SSL_REDIRECT"])
        self.assertTrue(values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"])
        self.assertEqual(values["SECURE_PROXY_SSL_HEADER"], ("HTTP_X_FORWARDED_PROTO", "https"))
        self.assertFalse(values["DEBUG"])

    def test_hsts_is_one_year_with_subdomains_and_preload_is_opt_in(self):
        values = load("config.settings.production", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_HTTPS="")
        self.assertEqual(values["SECURE_HSTS_SECONDS"], 31536000)
        self.assertTrue(values["SECURE_HSTS_INCLUDE_SUBDOMAINS"])
        self.assertFalse(values["SECURE_HSTS_PRELOAD"])
        self.assertEqual(values["SILENCED_SYSTEM_CHECKS"], ["security.W021"])
        preload = load(
            "config.settings.production", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_HSTS_PRELOAD="true"
        )
        self.assertTrue(preload["SECURE_HSTS_PRELOAD"])
        self.assertNotIn("SILENCED_SYSTEM_CHECKS", preload)
        with self.assertRaises(ImproperlyConfigured):
            load(
                "config.settings.production",
                DJANGO_SECRET_KEY=GOOD_KEY,
                DJANGO_HSTS_PRELOAD="true",
                DJANGO_HSTS_SECONDS="60",
            )

    def test_https_can_be_turned_off_for_plain_http_sites(self):
        values = load(
            "config.settings.production", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_HTTPS="false"
        )
        self.assertNotIn("SECURE_SSL_REDIRECT", values)

    def test_database_url(self):
        values = load(
            "config.settings.production",
            DJANGO_SECRET_KEY=GOOD_KEY,
            DATABASE_URL="postgres://u:p@db.internal:5432/prestamos",
        )
        database = values["DATABASES"]["default"]
        self.assertEqual(database["ENGINE"], "django.db.backends.postgresql")
        self.assertEqual((database["HOST"], database["NAME"]), ("db.internal", "prestamos"))
        self.assertTrue(database["CONN_HEALTH_CHECKS"])
        self.assertEqual(database["OPTIONS"]["connect_timeout"], 5)

    def test_local_settings(self):
        self.assertTrue(load("config.settings.local")["DEBUG"])

    def test_loan_bounds_must_be_consistent(self):
        with self.assertRaises(ImproperlyConfigured):
            load("config.settings.base", LOAN_MIN_AMOUNT="500", LOAN_MAX_AMOUNT="100")
        values = load("config.settings.base", LOAN_MIN_AMOUNT="100.5", LOAN_MAX_AMOUNT="900")
        self.assertEqual(values["LOAN_MIN_AMOUNT"], Decimal("100.50"))


class EnvReaderTests(SimpleTestCase):
    def test_bool(self):
        with mock.patch.dict(os.environ, {"X": "Yes", "Y": "off", "Z": "maybe"}):
            self.assertTrue(env.env_bool("X", False))
            self.assertFalse(env.env_bool("Y", True))
            self.assertTrue(env.env_bool("MISSING", True))
            with self.assertRaises(ImproperlyConfigured):
                env.env_bool("Z", True)

    def test_int(self):
        with mock.patch.dict(os.environ, {"X": "5", "Y": "x", "Z": "-1"}):
            self.assertEqual(env.env_int("X", 1), 5)
            self.assertEqual(env.env_int("MISSING", 7), 7)
            for name in ("Y", "Z"):
                with self.assertRaises(ImproperlyConfigured):
                    env.env_int(name, 1)

    def test_decimal(self):
        with mock.patch.dict(os.environ, {"X": "12.5", "Y": "abc", "Z": "-3"}):
            self.assertEqual(env.env_decimal("X", "1"), Decimal("12.5"))
            for name in ("Y", "Z"):
                with self.assertRaises(ImproperlyConfigured):
                    env.env_decimal(name, "1")

    def test_list(self):
        with mock.patch.dict(os.environ, {"X": " a, ,b ,"}):
            self.assertEqual(env.env_list("X"), ["a", "b"])
