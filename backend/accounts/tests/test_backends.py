from unittest import mock

from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import TestCase

from accounts import backends
from accounts.tests.support import PASSWORD, make_user


class UniformTimingBackendTests(TestCase):
    def setUp(self):
        make_user("ana")
        self.backend = backends.UniformTimingModelBackend()

    def test_unknown_usernames_cost_no_hashing_but_wait_as_long_as_a_check(self):
        with (
            mock.patch.object(backends, "_check_seconds", 0.25),
            mock.patch.object(MD5PasswordHasher, "encode") as encode,
            mock.patch.object(MD5PasswordHasher, "verify") as verify,
            mock.patch("accounts.backends.time.sleep") as sleep,
        ):
            self.assertIsNone(self.backend.authenticate(None, username="nadie", password="x"))
        encode.assert_not_called()
        verify.assert_not_called()
        (waited,), _ = sleep.call_args
        self.assertAlmostEqual(waited, 0.25, delta=0.01)

    def test_real_checks_keep_the_wait_in_step(self):
        with (
            mock.patch.object(backends, "_check_seconds", 1.0),
            mock.patch("accounts.backends.time.perf_counter", side_effect=[10.0, 10.5]),
        ):
            self.assertIsNone(self.backend.authenticate(None, username="ana", password="wrong"))
            # A check that took 0.5 s pulls the running average from 1.0 towards it.
            self.assertAlmostEqual(backends.password_check_seconds(), 0.9)

    def test_known_users_still_log_in(self):
        self.assertEqual(
            self.backend.authenticate(None, username="ana", password=PASSWORD).get_username(),
            "ana",
        )
        self.assertIsNone(self.backend.authenticate(None, username="ana", password=None))

    def test_first_use_calibrates_with_one_hash_and_counts_it_as_waiting(self):
        # The lookup starts at 10.00 s, the calibrating hash runs from 10.01 to 10.31 s.
        clock = iter([10.0, 10.01, 10.31, 10.32])

        with (
            mock.patch.object(backends, "_check_seconds", None),
            mock.patch("accounts.backends.make_password") as make_password,
            mock.patch("accounts.backends.time.perf_counter", side_effect=lambda: next(clock)),
            mock.patch("accounts.backends.time.sleep") as sleep,
        ):
            self.backend.authenticate(None, username="nadie", password="x")
            self.assertAlmostEqual(backends.password_check_seconds(), 0.3)
        make_password.assert_called_once()
        sleep.assert_called_once_with(0.0)  # the hash took as long as a check: no more waiting
