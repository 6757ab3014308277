"""
Counters of staff login attempts, kept in the database so every backend process and pod
sees the same numbers (ADR 0009). One row per (scope, key): scope "account" is keyed by the
username typed, "address" by the client's IP address; both only as an HMAC digest, never in
clear (people type passwords and e-mail addresses into username fields).
"""

from django.db import models


class ThrottleScope(models.TextChoices):
    ACCOUNT = "account", "Cuenta"
    ADDRESS = "address", "Dirección IP"


class LoginAttemptCounter(models.Model):
    scope = models.CharField(max_length=8, choices=ThrottleScope.choices)
    key_digest = models.CharField(max_length=64)
    # Attempts counted in the current window (successful ones are given back).
    attempts = models.PositiveIntegerField()
    window_started = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_digest"], name="accounts_attempts_key")
        ]
        indexes = [models.Index(fields=["window_started"], name="accounts_attempts_window_idx")]

    def __str__(self) -> str:
        return f"{self.scope} attempts: {self.attempts}"
