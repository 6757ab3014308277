"""
JSON representations of a loan request (docs/interfaces.md):

- staff: every field, including `decision_reason`. Lists mask the DNI (only the last three
  digits), so the whole national id appears only on a single request's page.
- applicant (the public POST answer): id, status, amount, created_at and a message in voseo
  that states no threshold and nothing about anyone's history — the applicant may have typed
  someone else's DNI (docs/security.md).
"""

from collections.abc import Mapping

from loans.masking import mask_dni
from loans.models import LoanRequest, LoanStatus

APPLICANT_MESSAGES = {
    LoanStatus.APPROVED: (
        "Aprobamos tu solicitud. Te vamos a escribir al correo electrónico que indicaste con "
        "los próximos pasos."
    ),
    LoanStatus.PENDING: (
        "Recibimos tu solicitud y la va a revisar una persona de nuestro equipo. Te vamos a "
        "escribir al correo electrónico que indicaste."
    ),
    LoanStatus.REJECTED: (
        "Por ahora no podemos aprobar tu solicitud. Te vamos a escribir al correo "
        "electrónico que indicaste."
    ),
}


def _timestamp(value) -> str | None:
    return value.isoformat() if value else None


def row_json(row: Mapping, *, mask: bool = False) -> dict:
    """From a mapping with the model's field names (`reviewed_by__username` for the
    reviewer), as loans.listing reads rows."""
    return {
        "id": row["id"],
        "full_name": row["full_name"],
        "dni": mask_dni(row["dni"]) if mask else row["dni"],
        "gender": row["gender"],
        "email": row["email"],
        "amount": f"{row['amount']:.2f}",
        "status": row["status"],
        "decision_reason": row["decision_reason"],
        "created_at": _timestamp(row["created_at"]),
        "updated_at": _timestamp(row["updated_at"]),
        "reviewed_by": row["reviewed_by__username"],
        "reviewed_at": _timestamp(row["reviewed_at"]),
    }


def loan_json(loan: LoanRequest) -> dict:
    reviewer = loan.reviewed_by.get_username() if loan.reviewed_by else None
    return row_json(vars(loan) | {"id": loan.pk, "reviewed_by__username": reviewer})


def public_loan_json(loan: LoanRequest) -> dict:
    return {
        "id": loan.pk,
        "status": loan.status,
        "amount": f"{loan.amount:.2f}",
        "created_at": _timestamp(loan.created_at),
        "message": APPLICANT_MESSAGES[LoanStatus(loan.status)],
    }
