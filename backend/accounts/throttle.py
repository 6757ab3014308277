"""
Login throttling per account and per client address, in the database (ADR 0009).

Every attempt is counted *before* the password is checked, in one atomic upsert that also
returns the counts, so parallel attempts cannot all slip past a check made earlier; a
successful login gives its attempt back. When a scope has used more than its allowance in
the current window (LOGIN_FAILURES_PER_ACCOUNT / LOGIN_FAILURES_PER_ADDRESS per
LOGIN_FAILURE_WINDOW_SECONDS), the attempt is refused without checking the password:
LoginThrottled carries the seconds until that window ends (the Retry-After header).

Windows are fixed and start at a key's first attempt; a counter whose window has ended
starts again at 1. Expired rows are deleted as new attempts come in.

Besides, each process checks at most LOGIN_CONCURRENCY_PER_PROCESS logins at a time
(`login_slot`): a password check holds a thread for about half a second (hashing, or
waiting as long for an unknown username), and a flood of logins from many addresses must not
take every thread the rest of the API needs. A login beyond that is refused at once (429,
Retry-After 2 s) without counting or checking anything.

The client address is the one nginx puts in CLIENT_IP_HEADER (X-Real-IP, which it always
overwrites); the backend is reachable only through nginx in compose and Kubernetes. Without
the header (development) it is REMOTE_ADDR.
"""

import functools
import ipaddress
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import LoginAttemptCounter, ThrottleScope


class LoginThrottled(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        if self.retry_after < 60:
            wait = "unos segundos"
        else:
            minutes = math.ceil(self.retry_after / 60)
            wait = "1 minuto" if minutes == 1 else f"{minutes} minutos"
        return f"Demasiados intentos de inicio de sesión. Esperá {wait} y probá de nuevo."


BUSY_RETRY_AFTER = 2


@functools.cache
def _slots(size: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(size)


@contextmanager
def login_slot() -> Iterator[None]:
    """One of this process's LOGIN_CONCURRENCY_PER_PROCESS login slots, or LoginThrottled."""
    slots = _slots(settings.LOGIN_CONCURRENCY_PER_PROCESS)
    if not slots.acquire(blocking=False):
        raise LoginThrottled(BUSY_RETRY_AFTER)
    try:
        yield
    finally:
        slots.release()


def client_address(request: HttpRequest) -> str:
    for candidate in (request.headers.get(settings.CLIENT_IP_HEADER), request.META["REMOTE_ADDR"]):
        try:
            return str(ipaddress.ip_address((candidate or "").strip()))
        except ValueError:
            continue
    return "unknown"


def _digest(scope: str, value: str) -> str:
    return salted_hmac(f"accounts.throttle.{scope}", value).hexdigest()


@dataclass(frozen=True)
class _Keys:
    account: str
    address: str

    @classmethod
    def of(cls, request: HttpRequest, username: str) -> "_Keys":
        return cls(
            account=_digest(ThrottleScope.ACCOUNT, username),
            address=_digest(ThrottleScope.ADDRESS, client_address(request)),
        )


_COUNT_ATTEMPT = """
INSERT INTO accounts_loginattemptcounter AS counter (scope, key_digest, attempts, window_started)
VALUES ('account', %(account)s, 1, %(now)s), ('address', %(address)s, 1, %(now)s)
ON CONFLICT (scope, key_digest) DO UPDATE SET
    attempts = CASE WHEN counter.window_started > %(window_start)s
                    THEN counter.attempts + 1 ELSE 1 END,
    window_started = CASE WHEN counter.window_started > %(window_start)s
                          THEN counter.window_started ELSE excluded.window_started END
RETURNING scope, attempts, window_started
"""


def _window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _allowance(scope: str) -> int:
    if scope == ThrottleScope.ACCOUNT:
        return settings.LOGIN_FAILURES_PER_ACCOUNT
    return settings.LOGIN_FAILURES_PER_ADDRESS


def register_attempt(request: HttpRequest, username: str) -> None:
    """Counts the attempt; raises LoginThrottled if either scope is over its allowance."""
    keys = _Keys.of(request, username)
    now = timezone.now()
    ops = connection.ops
    LoginAttemptCounter.objects.filter(window_started__lte=now - _window()).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            _COUNT_ATTEMPT,
            {
                "account": keys.account,
                "address": keys.address,
                "now": ops.adapt_datetimefield_value(now),
                "window_start": ops.adapt_datetimefield_value(now - _window()),
            },
        )
        rows = cursor.fetchall()
    ends: list[datetime] = []
    for scope, attempts, window_started in rows:
        if attempts > _allowance(scope):
            ends.append(_as_datetime(window_started) + _window())
    if ends:
        raise LoginThrottled(max(1, math.ceil((max(ends) - now).total_seconds())))


def _as_datetime(value) -> datetime:
    """Raw SQL on SQLite returns naive UTC timestamps; its ORM converter makes them aware."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return value
    return connection.ops.convert_datetimefield_value(value, None, connection)


def register_success(request: HttpRequest, username: str) -> None:
    """A successful login clears the account's count and gives the address its attempt back."""
    keys = _Keys.of(request, username)
    LoginAttemptCounter.objects.filter(
        scope=ThrottleScope.ACCOUNT, key_digest=keys.account
    ).delete()
    LoginAttemptCounter.objects.filter(
        scope=ThrottleScope.ADDRESS, key_digest=keys.address, attempts__gt=0
    ).update(attempts=F("attempts") - 1)
