"""
What staff can do to a request, each in one transaction on the locked row, with an audit
event: approve or reject, edit, delete. Only pending requests can be changed; a decided one
(approved or rejected) is read-only and answers 409, so a decision is never silently undone
or left with a reason that no longer fits. Deleting is a soft delete: the request leaves the
list and the detail (404) but stays in the database with its trail.
"""

from django.db import transaction
from django.utils import timezone

from core.json_api import ApiError
from loans import audit
from loans.locks import lock_dni
from loans.models import LoanAction, LoanRequest, LoanStatus

NOT_FOUND = "La solicitud no existe."
DUPLICATE_PENDING = "Ya hay una solicitud en curso para este DNI."
DEFAULT_REASONS = {
    LoanStatus.APPROVED: "Aprobada en revisión manual.",
    LoanStatus.REJECTED: "Rechazada en revisión manual.",
}
# Ids above the largest BigAutoField value cannot exist (and would overflow the query).
MAX_ID = 2**63 - 1


def get_live_loan(loan_id: int, *, for_update: bool = False) -> LoanRequest:
    """The request (404 unless it exists and is not deleted)."""
    loan = None
    if loan_id <= MAX_ID:
        loans = LoanRequest.objects.live().select_related("reviewed_by")
        if for_update:
            loans = loans.select_for_update(of=("self",))
        loan = loans.filter(pk=loan_id).first()
    if loan is None:
        raise ApiError.message(404, NOT_FOUND)
    return loan


def _pending_or_409(loan: LoanRequest) -> None:
    if loan.is_decided:
        label = LoanStatus(loan.status).label.lower()
        raise ApiError.message(
            409, f"La solicitud ya fue resuelta ({label}) y no se puede modificar."
        )


def review(loan_id: int, reviewer, status: LoanStatus, reason: str) -> LoanRequest:
    now = timezone.now()
    with transaction.atomic():
        loan = get_live_loan(loan_id, for_update=True)
        _pending_or_409(loan)
        loan.status = status
        loan.decision_reason = reason or DEFAULT_REASONS[status]
        loan.reviewed_by = reviewer
        loan.reviewed_at = now
        loan.save(
            update_fields=["status", "decision_reason", "reviewed_by", "reviewed_at", "updated_at"]
        )
        audit.record(
            loan.pk,
            LoanAction(status),
            at=now,
            actor=reviewer,
            changes=audit.change("status", LoanStatus.PENDING, status),
            reason=loan.decision_reason,
        )
    return loan


def edit(loan_id: int, editor, changes: dict) -> LoanRequest:
    """`changes` are LoanForm's cleaned fields (a partial form)."""
    now = timezone.now()
    with transaction.atomic():
        if "dni" in changes:
            # Moving a pending request onto a DNI must not race a new request for that DNI.
            lock_dni(changes["dni"])
        loan = get_live_loan(loan_id, for_update=True)
        _pending_or_409(loan)
        before = {field: getattr(loan, field) for field in changes}
        moving_dni = changes.get("dni", loan.dni) != loan.dni
        if (
            moving_dni
            and LoanRequest.objects.live()
            .filter(dni=changes["dni"], status=LoanStatus.PENDING)
            .exists()
        ):
            raise ApiError(409, {"dni": [DUPLICATE_PENDING]})
        edited = audit.diff(before, changes)
        if edited:
            for field, value in changes.items():
                setattr(loan, field, value)
            loan.save(update_fields=[*changes, "updated_at"])
            audit.record(loan.pk, LoanAction.EDITED, at=now, actor=editor, changes=edited)
    return loan


def delete(loan_id: int, deleter) -> None:
    now = timezone.now()
    with transaction.atomic():
        loan = get_live_loan(loan_id, for_update=True)
        _pending_or_409(loan)
        loan.deleted_at = now
        loan.deleted_by = deleter
        loan.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit.record(loan.pk, LoanAction.DELETED, at=now, actor=deleter)
