"""
Test settings. DATABASE_URL is honoured (see base), so the same suite runs on SQLite and
on PostgreSQL. TEST_JUNIT_XML makes the runner write a JUnit report.
"""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_str

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TEST_RUNNER = "config.test_runner.JUnitDiscoverRunner"
SCORING_URL = ""  # tests that need the scoring service point it at a local double

# Quiet by default; tests that check logs capture them with assertLogs.
LOG_LEVEL = env_str("LOG_LEVEL", "CRITICAL").upper()
LOGGING["root"]["level"] = LOG_LEVEL  # noqa: F405
LOGGING["handlers"]["stdout"]["level"] = LOG_LEVEL  # noqa: F405
