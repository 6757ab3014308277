"""
Staff decisions on a request. Only pending requests can be approved or rejected (a decided
request answers 409), so an automatic or earlier manual decision is never silently flipped.
"""

from django.db import transaction
from django.utils import timezone

from core.json_api import ApiError
from loans.models import LoanRequest, LoanStatus

DEFAULT_REASONS = {
    LoanStatus.APPROVED: "Aprobada en revisión manual.",
    LoanStatus.REJECTED: "Rechazada en revisión manual.",
}


def clean_reason(data: dict) -> str:
    errors = {field: ["Campo desconocido."] for field in data.keys() - {"reason"}}
    reason = data.get("reason", "")
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        errors["reason"] = ["Debe ser texto."]
    elif len(reason.strip()) > 500:
        errors["reason"] = ["El motivo no puede superar los 500 caracteres."]
    if errors:
        raise ApiError(400, errors)
    return reason.strip()


def review_loan_request(loan_id: int, reviewer, status: LoanStatus, reason: str) -> LoanRequest:
    with transaction.atomic():
        loan = LoanRequest.objects.select_for_update().filter(pk=loan_id).first()
        if loan is None:
            raise ApiError.message(404, "La solicitud no existe.")
        if loan.status != LoanStatus.PENDING:
            raise ApiError.message(
                409, f"La solicitud ya fue resuelta ({LoanStatus(loan.status).label.lower()})."
            )
        loan.status = status
        loan.decision_reason = reason or DEFAULT_REASONS[status]
        loan.reviewed_by = reviewer
        loan.reviewed_at = timezone.now()
        loan.save()
    return loan
