"""
JSON representation of a loan request (docs/interfaces.md). Lists mask the DNI — only the
last three digits are shown — so the national id appears only on a single request's page.
"""

from loans.models import LoanRequest


def mask_dni(dni: str) -> str:
    return "*" * (len(dni) - 3) + dni[-3:]


def _timestamp(value) -> str | None:
    return value.isoformat() if value else None


def loan_json(loan: LoanRequest, *, mask: bool = False) -> dict:
    return {
        "id": loan.pk,
        "full_name": loan.full_name,
        "dni": mask_dni(loan.dni) if mask else loan.dni,
        "gender": loan.gender,
        "email": loan.email,
        "amount": f"{loan.amount:.2f}",
        "status": loan.status,
        "decision_reason": loan.decision_reason,
        "created_at": _timestamp(loan.created_at),
        "updated_at": _timestamp(loan.updated_at),
        "reviewed_by": loan.reviewed_by.get_username() if loan.reviewed_by else None,
        "reviewed_at": _timestamp(loan.reviewed_at),
    }
