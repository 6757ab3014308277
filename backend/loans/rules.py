"""
The decision rules for a new request: pure data, evaluated by the database in the same
statement that stores the request (loans.submission), so they hold under concurrency.

Before any rule: a DNI that already has a live pending request gets no new one (HTTP 409).
Then, first match wins:

1. RECENT_REJECTION: the DNI had a request rejected by a person or by the scoring service
   less than `rejection_cooldown_days` ago, counted from that decision (`reviewed_at`)
   → rejected. The engine's own repeat rejections have no `reviewed_at`, so they do not
   extend the cooldown.
2. OVER_AUTO_APPROVAL_LIMIT: the amount plus the DNI's exposure — approved and pending
   amounts of requests created in the last `exposure_window_days` — is above
   `auto_approval_max_amount` → pending, for a person to review. Splitting a loan into
   small requests therefore reaches manual review as soon as the sum passes the limit.
3. Otherwise → approved (or, with SCORING_URL, handed to the scoring service).

Reasons are for staff; applicants get loans.representation's message, which states no
threshold and nothing about anyone's history.
"""

import functools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from django.conf import settings

from loans.models import LoanStatus
from loans.money import format_ars


@dataclass(frozen=True)
class RulesConfig:
    auto_approval_max_amount: Decimal
    rejection_cooldown_days: int
    exposure_window_days: int

    @classmethod
    def from_settings(cls) -> "RulesConfig":
        return cls(
            auto_approval_max_amount=settings.LOAN_AUTO_APPROVAL_MAX_AMOUNT,
            rejection_cooldown_days=settings.LOAN_REJECTION_COOLDOWN_DAYS,
            exposure_window_days=settings.LOAN_EXPOSURE_WINDOW_DAYS,
        )

    @property
    def cooldown(self) -> timedelta:
        return timedelta(days=self.rejection_cooldown_days)

    @property
    def exposure_window(self) -> timedelta:
        return timedelta(days=self.exposure_window_days)


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str


class Rule(StrEnum):
    RECENT_REJECTION = "recent_rejection"
    OVER_AUTO_APPROVAL_LIMIT = "over_auto_approval_limit"


@functools.cache
def ordered_rules(config: RulesConfig) -> tuple[tuple[Rule, Decision], ...]:
    """The rules in the order they apply, each with the decision it leads to."""
    return (
        (
            Rule.RECENT_REJECTION,
            Decision(
                LoanStatus.REJECTED,
                "Rechazada: el DNI tiene una solicitud rechazada hace menos de "
                f"{config.rejection_cooldown_days} días.",
            ),
        ),
        (
            Rule.OVER_AUTO_APPROVAL_LIMIT,
            Decision(
                LoanStatus.PENDING,
                "Pendiente de revisión manual: el monto, sumado a lo aprobado o pendiente "
                f"para el DNI en los últimos {config.exposure_window_days} días, supera "
                f"{format_ars(config.auto_approval_max_amount)}, el máximo de aprobación "
                "automática.",
            ),
        ),
    )


APPROVED = Decision(
    LoanStatus.APPROVED,
    "Aprobada: el monto está dentro del límite de aprobación automática "
    "y no hay rechazos recientes.",
)
