"""
The audit trail of a request (loans.models.LoanEvent): what to record for each action, with
personal data masked, and the JSON of `GET /api/loans/{id}/history/` (docs/interfaces.md).
"""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from loans.masking import mask_dni, mask_email, mask_name
from loans.models import LoanAction, LoanEvent, LoanRequest

_MASKS = {"dni": mask_dni, "email": mask_email, "full_name": mask_name}

Changes = dict[str, dict[str, object]]


def _shown(field: str, value: object) -> object:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    mask = _MASKS.get(field)
    return mask(value) if mask else value


def change(field: str, before: object, after: object) -> Changes:
    return {field: {"from": _shown(field, before), "to": _shown(field, after)}}


def diff(before: Mapping[str, object], after: Mapping[str, object]) -> Changes:
    """The fields of `after` whose value differs from `before`."""
    changes: Changes = {}
    for field, value in after.items():
        if before.get(field) != value:
            changes |= change(field, before.get(field), value)
    return changes


def creation(fields: Mapping[str, object]) -> Changes:
    """A new request: every submitted field, from nothing."""
    return diff({}, fields)


def record(
    loan_id: int,
    action: LoanAction,
    *,
    at: datetime,
    actor=None,
    changes: Changes | None = None,
    reason: str | None = None,
) -> LoanEvent:
    """Appends one event; `actor` is a user (None: the system)."""
    return LoanEvent.objects.create(
        loan_id=loan_id,
        at=at,
        actor=actor.get_username() if actor is not None else "",
        action=action,
        changes=changes or {},
        reason=reason or "",
    )


def loan_exists(loan_id: int) -> bool:
    """Deleted requests included: their trail stays readable."""
    return LoanRequest.objects.filter(pk=loan_id).exists()


def history_json(loan_id: int) -> list[dict]:
    events = LoanEvent.objects.filter(loan_id=loan_id).order_by("at", "id")
    return [
        {
            "id": event.pk,
            "at": event.at.isoformat(),
            "actor": event.actor or None,
            "action": event.action,
            "changes": event.changes,
            "reason": event.reason or None,
        }
        for event in events
    ]
