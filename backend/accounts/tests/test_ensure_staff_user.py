import os
from io import StringIO
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase

ENV = {
    "DJANGO_STAFF_USERNAME": "admin",
    "DJANGO_STAFF_PASSWORD": "un-password-bastante-largo-42",
    "DJANGO_STAFF_EMAIL": "admin@example.com",
}


def run(env: dict) -> str:
    out = StringIO()
    with mock.patch.dict(os.environ, env, clear=False):
        call_command("ensure_staff_user", stdout=out)
    return out.getvalue()


class EnsureStaffUserTests(TestCase):
    def test_creates_then_is_idempotent(self):
        self.assertIn("Created", run(ENV))
        self.assertIn("already up to date", run(ENV))
        user = get_user_model().objects.get(username="admin")
        self.assertTrue(user.is_staff and user.is_active)
        self.assertTrue(user.check_password(ENV["DJANGO_STAFF_PASSWORD"]))
        self.assertEqual(get_user_model().objects.count(), 1)

    def test_updates_password_email_and_flags(self):
        get_user_model().objects.create_user("admin", password="old", is_staff=False)
        new = {**ENV, "DJANGO_STAFF_EMAIL": "otro@example.com"}
        self.assertIn("Updated", run(new))
        user = get_user_model().objects.get(username="admin")
        self.assertTrue(user.is_staff)
        self.assertEqual(user.email, "otro@example.com")
        self.assertTrue(user.check_password(ENV["DJANGO_STAFF_PASSWORD"]))

    def test_missing_variables_fail(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaisesMessage(CommandError, "DJANGO_STAFF_PASSWORD"):
                call_command("ensure_staff_user")
        self.assertFalse(get_user_model().objects.exists())

    def test_weak_password_fails(self):
        with self.assertRaisesMessage(CommandError, "too weak"):
            run({**ENV, "DJANGO_STAFF_PASSWORD": "12345678"})
        self.assertFalse(get_user_model().objects.exists())

    def test_invalid_email_fails(self):
        with self.assertRaisesMessage(CommandError, "DJANGO_STAFF_EMAIL"):
            run({**ENV, "DJANGO_STAFF_EMAIL": "not-an-email"})
