from datetime import timedelta
from unittest import mock, skipUnless

from django.db import connection
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from accounts import throttle
from accounts.backends import UniformTimingModelBackend
from accounts.models import LoginAttemptCounter
from accounts.tests.support import PASSWORD, JsonClient, make_user
from core.tests.concurrency import FailedStatements, run_in_parallel

URL = "/api/auth/login/"


def login(client: JsonClient, username: str, password: str, address: str = "203.0.113.7"):
    return client.send(
        "POST", URL, {"username": username, "password": password}, headers={"X-Real-IP": address}
    )


def fresh_client() -> JsonClient:
    client = JsonClient()
    client.fetch_csrf()
    return client


@override_settings(
    LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_ADDRESS=5, LOGIN_FAILURE_WINDOW_SECONDS=600
)
class LoginThrottleTests(TestCase):
    def setUp(self):
        self.user = make_user("ana")
        self.client = fresh_client()

    def test_an_account_is_refused_after_its_allowance_with_retry_after(self):
        statuses = [login(self.client, "ana", "wrong").status_code for _ in range(3)]
        self.assertEqual(statuses, [400, 400, 400])
        with mock.patch("accounts.backends.UniformTimingModelBackend.authenticate") as check:
            response = login(self.client, "ana", PASSWORD)  # even the right password
        check.assert_not_called()  # refused before any password is checked
        self.assertEqual(response.status_code, 429)
        self.assertEqual(
            response.json(),
            {
                "errors": {
                    "__all__": [
                        "Demasiados intentos de inicio de sesión. "
                        "Esperá 10 minutos y probá de nuevo."
                    ]
                }
            },
        )
        self.assertTrue(570 <= int(response["Retry-After"]) <= 600)
        self.assertEqual(response["Cache-Control"], "no-store")
        # From another address the account is still refused: it is the account that is limited.
        self.assertEqual(login(fresh_client(), "ana", PASSWORD, "198.51.100.9").status_code, 429)

    def test_the_limit_ends_with_its_window(self):
        for _ in range(4):
            login(self.client, "ana", "wrong")
        later = timezone.now() + timedelta(seconds=601)
        with mock.patch("accounts.throttle.timezone.now", return_value=later):
            self.assertEqual(login(self.client, "ana", PASSWORD).status_code, 200)
        # Expired counters are cleaned up as attempts come in.
        self.assertEqual(
            LoginAttemptCounter.objects.filter(
                window_started__lt=later - timedelta(seconds=600)
            ).count(),
            0,
        )

    def test_a_successful_login_clears_the_account(self):
        login(self.client, "ana", "wrong")
        login(self.client, "ana", "wrong")
        self.assertEqual(login(self.client, "ana", PASSWORD).status_code, 200)
        client = fresh_client()
        statuses = [login(client, "ana", "wrong").status_code for _ in range(3)]
        self.assertEqual(statuses, [400, 400, 400])

    def test_an_address_is_refused_after_its_allowance_whatever_the_usernames(self):
        statuses = [login(self.client, f"nadie{i}", "x").status_code for i in range(6)]
        self.assertEqual(statuses, [400] * 5 + [429])
        self.assertEqual(login(self.client, "ana", PASSWORD).status_code, 429)
        # Another client address is not affected.
        self.assertEqual(login(fresh_client(), "ana", PASSWORD, "198.51.100.9").status_code, 200)

    def test_unknown_usernames_count_like_real_ones(self):
        statuses = [login(self.client, "fantasma", "x").status_code for _ in range(4)]
        self.assertEqual(statuses, [400, 400, 400, 429])

    def test_counters_hold_digests_not_usernames_or_addresses(self):
        login(self.client, "ana@example.com", "x")
        keys = " ".join(LoginAttemptCounter.objects.values_list("key_digest", flat=True))
        self.assertNotIn("ana", keys)
        self.assertNotIn("203.0.113.7", keys)

    def test_without_the_proxy_header_the_peer_address_counts(self):
        client = fresh_client()
        for _ in range(5):
            client.send("POST", URL, {"username": "x", "password": "y"})
        response = client.send("POST", URL, {"username": "x", "password": "y"})
        self.assertEqual(response.status_code, 429)
        header = client.send(
            "POST", URL, {"username": "x", "password": "y"}, headers={"X-Real-IP": "not an ip"}
        )
        self.assertEqual(header.status_code, 429)  # a malformed header falls back to the peer


class LoginConcurrencyTests(TestCase):
    @override_settings(LOGIN_CONCURRENCY_PER_PROCESS=1)
    def test_logins_beyond_the_process_allowance_are_refused_at_once(self):
        make_user("ana")
        client = fresh_client()
        with mock.patch("accounts.backends.UniformTimingModelBackend.authenticate") as check:
            with throttle.login_slot():  # another request is checking a password
                response = login(client, "ana", PASSWORD)
            self.assertEqual(response.status_code, 429)
            self.assertEqual(response["Retry-After"], "2")
            self.assertIn("Esperá unos segundos", response.json()["errors"]["__all__"][0])
            check.assert_not_called()
            self.assertFalse(LoginAttemptCounter.objects.exists())  # nothing counted
            check.return_value = None
            self.assertEqual(login(client, "ana", PASSWORD).status_code, 400)  # slot free again


@skipUnless(connection.vendor == "postgresql", "concurrency is tested on PostgreSQL")
@override_settings(
    LOGIN_FAILURES_PER_ACCOUNT=5, LOGIN_FAILURES_PER_ADDRESS=1000, LOGIN_CONCURRENCY_PER_PROCESS=50
)
class ConcurrentLoginThrottleTests(TransactionTestCase):
    def test_parallel_attempts_cannot_all_slip_past_the_count(self):
        make_user("ana")
        failures = FailedStatements()
        checked = []

        def attempt(index: int) -> int:
            client = fresh_client()
            with connection.execute_wrapper(failures):
                return login(client, "ana", "wrong", f"203.0.113.{index}").status_code

        original = UniformTimingModelBackend.authenticate

        def counting(self, *args, **kwargs):
            checked.append(1)
            return original(self, *args, **kwargs)

        with mock.patch("accounts.backends.UniformTimingModelBackend.authenticate", counting):
            statuses = run_in_parallel(12, attempt)
        self.assertEqual(sorted(statuses), [400] * 5 + [429] * 7)
        self.assertEqual(len(checked), 5)
        self.assertEqual(failures.errors, [])
