from unittest import mock

from django.db import DatabaseError
from django.test import TestCase, override_settings


class HealthTests(TestCase):
    def test_healthz_needs_no_database_and_ignores_host_and_https(self):
        with (
            override_settings(ALLOWED_HOSTS=["prestamos.example.com"], SECURE_SSL_REDIRECT=True),
            mock.patch("core.health.connection") as connection,
        ):
            response = self.client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
        connection.cursor.assert_not_called()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_readyz_ready(self):
        with override_settings(ALLOWED_HOSTS=["x.example"], SECURE_SSL_REDIRECT=True):
            response = self.client.get("/readyz", HTTP_HOST="10.1.2.3")
        self.assertEqual((response.status_code, response.json()), (200, {"status": "ready"}))

    def test_readyz_503_when_database_unavailable(self):
        with mock.patch("core.health.connection.cursor", side_effect=DatabaseError("down")):
            with self.assertLogs("core.health", "WARNING"):
                response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(
            response.json(),
            {
                "status": "unavailable",
                "checks": {"database": "unavailable", "migrations": "unknown"},
            },
        )

    def test_readyz_503_when_migrations_pending(self):
        with mock.patch("core.health.MigrationExecutor") as executor:
            executor.return_value.migration_plan.return_value = [("loans", "0002_next")]
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"], {"database": "ok", "migrations": "pending"})

    def test_readyz_503_when_migration_table_unreadable(self):
        with mock.patch("core.health.MigrationExecutor", side_effect=DatabaseError("x")):
            with self.assertLogs("core.health", "WARNING"):
                response = self.client.get("/readyz")
        self.assertEqual(response.json()["checks"]["migrations"], "unknown")

    def test_head_allowed_other_methods_405(self):
        self.assertEqual(self.client.head("/healthz").status_code, 200)
        response = self.client.post("/healthz")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Allow"], "GET, HEAD")

    def test_other_paths_go_through_host_check(self):
        with override_settings(ALLOWED_HOSTS=["x.example"]):
            response = self.client.get("/healthz/", HTTP_HOST="10.1.2.3")
        self.assertEqual(response.status_code, 400)
        self.assertIn("__all__", response.json()["errors"])
