"""
Creating a loan request: the history check, the rules (loans.rules), the INSERT and the
"created" audit event happen in one statement serialised per DNI (loans.create_statement).

Without SCORING_URL the rules decide. With SCORING_URL a request the rules would approve is
stored as pending and handed to the service; its answer is applied afterwards (a failure
leaves it pending with a reason). A DNI that already has a live pending request gets
DuplicateOpenRequest (HTTP 409) and nothing is written.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from loans import audit, create_statement, scoring
from loans.models import LoanAction, LoanRequest, LoanStatus
from loans.rules import APPROVED, Decision, RulesConfig

logger = logging.getLogger(__name__)

AWAITING_SCORING = "En evaluación por el servicio de evaluación crediticia."
SCORING_FAILED = (
    "Pendiente de revisión manual: el servicio de evaluación crediticia no está disponible."
)


class DuplicateOpenRequest(Exception):
    """The DNI already has a pending request."""


def _apply_scoring(loan: LoanRequest) -> None:
    try:
        decision = scoring.request_decision(
            settings.SCORING_URL,
            settings.SCORING_TIMEOUT_SECONDS,
            dni=loan.dni,
            gender=loan.gender,
            amount=loan.amount,
        )
    except scoring.ScoringUnavailable as error:
        logger.warning("scoring unavailable for loan request %s: %s", loan.pk, error)
        decision = Decision(LoanStatus.PENDING, SCORING_FAILED)
    now = timezone.now()
    decided = decision.status != LoanStatus.PENDING
    with transaction.atomic():
        # Only if nobody decided or deleted the request while the service was thinking.
        updated = (
            LoanRequest.objects.live()
            .filter(pk=loan.pk, status=LoanStatus.PENDING, decision_reason=AWAITING_SCORING)
            .update(
                status=decision.status,
                decision_reason=decision.reason,
                reviewed_at=now if decided else None,
                updated_at=now,
            )
        )
        if not updated:
            return
        changes = audit.change("status", loan.status, decision.status) if decided else {}
        changes |= audit.change("decision_reason", loan.decision_reason, decision.reason)
        audit.record(
            loan.pk,
            LoanAction(decision.status) if decided else LoanAction.EDITED,
            at=now,
            changes=changes,
            reason=decision.reason,
        )
    loan.status, loan.decision_reason = decision.status, decision.reason
    loan.reviewed_at = now if decided else None
    loan.updated_at = now


def submit_loan_request(fields: dict) -> LoanRequest:
    """`fields` are LoanForm's cleaned editable fields; returns the stored request."""
    config = RulesConfig.from_settings()
    fallback = Decision(LoanStatus.PENDING, AWAITING_SCORING) if settings.SCORING_URL else APPROVED
    now = timezone.now()
    stored = create_statement.store(fields, config, fallback, now)
    if stored is None:
        raise DuplicateOpenRequest
    loan = LoanRequest(
        id=stored.id,
        status=stored.status,
        decision_reason=stored.decision_reason,
        created_at=now,
        updated_at=now,
        **fields,
    )
    if settings.SCORING_URL and stored.decision_reason == AWAITING_SCORING:
        _apply_scoring(loan)
    return loan
