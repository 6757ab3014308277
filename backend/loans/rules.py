"""
The embedded decision engine: pure, deterministic and explainable. Rules, in order:

1. The DNI had a request rejected in the last `rejection_cooldown_days` days → rejected.
2. The amount is above `auto_approval_max_amount` → pending, for a person to review.
3. Otherwise → approved.

A DNI that already has a pending request never reaches the engine: the API answers 409
(see loans.submission). Every decision carries a reason in Spanish for the applicant.
"""

from dataclasses import dataclass
from decimal import Decimal

from loans.models import LoanStatus
from loans.validation import format_ars


@dataclass(frozen=True)
class RulesConfig:
    auto_approval_max_amount: Decimal
    rejection_cooldown_days: int


@dataclass(frozen=True)
class Applicant:
    amount: Decimal
    has_recent_rejection: bool


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str


def decide(applicant: Applicant, config: RulesConfig) -> Decision:
    if applicant.has_recent_rejection:
        return Decision(
            LoanStatus.REJECTED,
            "Rechazada: el DNI tiene una solicitud rechazada en los últimos "
            f"{config.rejection_cooldown_days} días.",
        )
    if applicant.amount > config.auto_approval_max_amount:
        return Decision(
            LoanStatus.PENDING,
            "Pendiente de revisión manual: el monto supera "
            f"{format_ars(config.auto_approval_max_amount)}, el máximo de aprobación automática.",
        )
    return Decision(
        LoanStatus.APPROVED,
        "Aprobada: el monto está dentro del límite de aprobación automática "
        "y no hay rechazos recientes.",
    )
