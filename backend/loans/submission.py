"""
Creating a loan request and deciding on it.

Without SCORING_URL the embedded rules engine (loans.rules) decides before the row is
written. With SCORING_URL the request is first saved as pending — so it is never lost —
and then updated with the service's answer; when the service fails it stays pending with a
reason. A DNI that already has a pending request gets DuplicateOpenRequest (HTTP 409) and
nothing is written.
"""

import logging
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from loans import scoring
from loans.models import LoanRequest, LoanStatus
from loans.rules import Applicant, Decision, RulesConfig, decide

logger = logging.getLogger(__name__)

AWAITING_SCORING = "En evaluación por el servicio de evaluación crediticia."
SCORING_FAILED = (
    "Pendiente de revisión manual: el servicio de evaluación crediticia no está disponible."
)


class DuplicateOpenRequest(Exception):
    """The DNI already has a pending request."""


def rules_config() -> RulesConfig:
    return RulesConfig(
        auto_approval_max_amount=settings.LOAN_AUTO_APPROVAL_MAX_AMOUNT,
        rejection_cooldown_days=settings.LOAN_REJECTION_COOLDOWN_DAYS,
    )


def dni_history(dni: str, cooldown_days: int) -> set[str]:
    """The statuses that matter for a new request of this DNI, in one query: PENDING when it
    has an open request, REJECTED when one was rejected within the cooldown."""
    since = timezone.now() - timedelta(days=cooldown_days)
    relevant = Q(status=LoanStatus.PENDING) | Q(status=LoanStatus.REJECTED, created_at__gte=since)
    return set(
        LoanRequest.objects.filter(relevant, dni=dni).values_list("status", flat=True).distinct()
    )


def has_pending_request(dni: str) -> bool:
    return LoanRequest.objects.filter(dni=dni, status=LoanStatus.PENDING).exists()


def _create(fields: dict, decision: Decision) -> LoanRequest:
    # In autocommit the INSERT is its own transaction (one round trip). Inside a caller's
    # transaction a savepoint keeps that transaction usable after a constraint violation.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            return LoanRequest.objects.create(
                **fields, status=decision.status, decision_reason=decision.reason
            )
    except IntegrityError:
        # The partial unique constraint: another pending request won a race.
        raise DuplicateOpenRequest from None


def _decide_with_scoring(loan: LoanRequest) -> Decision:
    try:
        return scoring.request_decision(
            settings.SCORING_URL,
            settings.SCORING_TIMEOUT_SECONDS,
            dni=loan.dni,
            gender=loan.gender,
            amount=loan.amount,
        )
    except scoring.ScoringUnavailable as error:
        logger.warning("scoring unavailable for loan request %s: %s", loan.pk, error)
        return Decision(LoanStatus.PENDING, SCORING_FAILED)


def submit_loan_request(fields: dict) -> LoanRequest:
    """`fields` are the cleaned editable fields (see loans.validation)."""
    config = rules_config()
    history = dni_history(fields["dni"], config.rejection_cooldown_days)
    if LoanStatus.PENDING in history:
        raise DuplicateOpenRequest
    if settings.SCORING_URL:
        loan = _create(fields, Decision(LoanStatus.PENDING, AWAITING_SCORING))
        decision = _decide_with_scoring(loan)
        loan.status, loan.decision_reason = decision.status, decision.reason
        loan.save(update_fields=["status", "decision_reason", "updated_at"])
        return loan
    applicant = Applicant(
        amount=fields["amount"], has_recent_rejection=LoanStatus.REJECTED in history
    )
    return _create(fields, decide(applicant, config))
