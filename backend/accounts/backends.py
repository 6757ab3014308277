"""
The authentication backend: Django's ModelBackend, except for usernames that do not exist.

ModelBackend hashes the password anyway for an unknown username (~0.45 s of CPU with
PBKDF2), so that the answer takes as long as for a real account. Anyone could then burn the
server's CPU with made-up usernames. Here an unknown username costs no hashing: the request
waits (sleeps, no CPU) for as long as a real check currently takes — a running average of
the checks this process made, calibrated by one hash on first use — so the timing stays
uniform without the cost. The login throttle (accounts.throttle) bounds how many requests
can wait at once.
"""

import threading
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password

_lock = threading.Lock()
_check_seconds: float | None = None
# Weight of the newest observation in the running average.
_SMOOTHING = 0.2


def password_check_seconds() -> float:
    """How long a password check takes here, lately."""
    global _check_seconds
    with _lock:
        if _check_seconds is None:
            started = time.perf_counter()
            make_password("calibration only")
            _check_seconds = time.perf_counter() - started
        return _check_seconds


def observe_password_check(seconds: float) -> None:
    global _check_seconds
    with _lock:
        if _check_seconds is None:
            _check_seconds = seconds
        else:
            _check_seconds += _SMOOTHING * (seconds - _check_seconds)


class UniformTimingModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        UserModel = get_user_model()
        if username is None:
            username = kwargs.get(UserModel.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = UserModel._default_manager.get_by_natural_key(username)
        except UserModel.DoesNotExist:
            started = time.perf_counter()
            # The first call in a process calibrates (one hash); that time counts as waiting.
            time.sleep(max(0.0, password_check_seconds() - (time.perf_counter() - started)))
            return None
        started = time.perf_counter()
        valid = user.check_password(password)
        observe_password_check(time.perf_counter() - started)
        if valid and self.user_can_authenticate(user):
            return user
        return None
