"""
Creating a loan request: its history check, the rules (loans.rules), the INSERT and the
"created" audit event in one statement, serialised per DNI (loans.locks).

On PostgreSQL that is a single round trip: `SELECT pg_advisory_xact_lock(…); WITH … INSERT …`
sent as one simple-protocol query (Django's psycopg cursor binds parameters client-side).
PostgreSQL runs such a multi-statement query as one implicit transaction, so the lock is held
until the row and its event are committed, and the second statement takes its snapshot after
the lock was granted: it sees every request committed by the writer it waited for. No
writer ever hits the one-pending-per-DNI constraint, so no failed INSERT (with personal data
in its text) reaches the database's error log.

On SQLite (development) the same WITH … INSERT … RETURNING runs inside a transaction that
holds SQLite's write lock, followed by the event's INSERT.

Without SCORING_URL the rules decide. With SCORING_URL a request the rules would approve is
stored as pending and handed to the service; its answer is applied afterwards (a failure
leaves it pending with a reason). A DNI that already has a live pending request gets
DuplicateOpenRequest (HTTP 409) and nothing is written.
"""

import functools
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from loans import audit, scoring
from loans.locks import DNI_LOCK_NAMESPACE
from loans.models import LoanAction, LoanRequest, LoanStatus
from loans.rules import APPROVED, Decision, Rule, RulesConfig, ordered_rules

logger = logging.getLogger(__name__)

AWAITING_SCORING = "En evaluación por el servicio de evaluación crediticia."
SCORING_FAILED = (
    "Pendiente de revisión manual: el servicio de evaluación crediticia no está disponible."
)


class DuplicateOpenRequest(Exception):
    """The DNI already has a pending request."""


# What each rule means in terms of the `history` row computed below.
_RULE_CONDITIONS = {
    Rule.RECENT_REJECTION: "recent_rejection = 1",
    Rule.OVER_AUTO_APPROVAL_LIMIT: (
        "exposure + CAST(%(amount)s AS NUMERIC) > CAST(%(auto_approval_max)s AS NUMERIC)"
    ),
}

# The DNI's live requests, reduced to what the rules need (one row, also when there are none).
_HISTORY = """
history AS (
    SELECT
        COALESCE(MAX(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS has_pending,
        COALESCE(MAX(CASE WHEN status = 'rejected' AND reviewed_at > %(cooldown_since)s
                          THEN 1 ELSE 0 END), 0) AS recent_rejection,
        COALESCE(SUM(CASE WHEN status IN ('approved', 'pending')
                           AND created_at >= %(exposure_since)s
                          THEN amount ELSE 0 END), 0) AS exposure
    FROM loans_loanrequest
    WHERE dni = %(dni)s AND deleted_at IS NULL
),
outcome AS (
    SELECT CASE {conditions} ELSE 0 END AS rule FROM history WHERE has_pending = 0
)"""

_INSERT_LOAN = """
INSERT INTO loans_loanrequest
    (full_name, dni, gender, email, amount, status, decision_reason, created_at, updated_at)
SELECT %(full_name)s, %(dni)s, %(gender)s, %(email)s, %(amount)s,
       CASE rule {statuses} ELSE %(status_0)s END,
       CASE rule {reasons} ELSE %(reason_0)s END,
       %(now)s, %(now)s
FROM outcome
RETURNING id, status, decision_reason"""

_INSERT_EVENT_FROM_LOAN = """
INSERT INTO loans_loanevent (loan_id, at, actor, action, changes, reason)
SELECT id, %(now)s, '', 'created',
       jsonb_build_object('status', jsonb_build_object('from', NULL, 'to', status))
           || CAST(%(changes)s AS jsonb),
       decision_reason
FROM loan"""


@functools.cache
def _sql(vendor: str, rules: tuple[Rule, ...]) -> str:
    """The statement for `vendor` with `rules` in their order (built once per process)."""
    numbered = list(enumerate(rules, start=1))
    history = _HISTORY.format(
        conditions=" ".join(f"WHEN {_RULE_CONDITIONS[rule]} THEN {n}" for n, rule in numbered)
    )
    insert = _INSERT_LOAN.format(
        statuses=" ".join(f"WHEN {n} THEN %(status_{n})s" for n, _ in numbered),
        reasons=" ".join(f"WHEN {n} THEN %(reason_{n})s" for n, _ in numbered),
    )
    if vendor != "postgresql":
        return f"WITH {history}\n{insert}"
    # Constant fragments only; every value is a bound parameter.
    return (
        "SELECT pg_advisory_xact_lock(%(lock_namespace)s, %(lock_key)s);\n"  # noqa: S608
        f"WITH {history},\nloan AS ({insert}),\nevent AS ({_INSERT_EVENT_FROM_LOAN})\n"
        "SELECT id, status, decision_reason FROM loan"
    )


@dataclass(frozen=True)
class _Stored:
    id: int
    status: str
    decision_reason: str


def _insert(fields: dict, config: RulesConfig, fallback: Decision, now) -> _Stored:
    ops = connection.ops
    params: dict[str, object] = {
        "lock_namespace": DNI_LOCK_NAMESPACE,
        "lock_key": int(fields["dni"]),
        "full_name": fields["full_name"],
        "dni": fields["dni"],
        "gender": fields["gender"],
        "email": fields["email"],
        "amount": ops.adapt_decimalfield_value(fields["amount"], 12, 2),
        "auto_approval_max": ops.adapt_decimalfield_value(config.auto_approval_max_amount),
        "cooldown_since": ops.adapt_datetimefield_value(now - config.cooldown),
        "exposure_since": ops.adapt_datetimefield_value(now - config.exposure_window),
        "now": ops.adapt_datetimefield_value(now),
        "status_0": fallback.status,
        "reason_0": fallback.reason,
        "changes": json.dumps(audit.creation(fields)),
    }
    rules = ordered_rules(config)
    for n, (_, decision) in enumerate(rules, start=1):
        params[f"status_{n}"] = decision.status
        params[f"reason_{n}"] = decision.reason
    sql = _sql(connection.vendor, tuple(rule for rule, _ in rules))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.nextset()  # past the lock's result
            row = cursor.fetchone()
        if row is None:
            raise DuplicateOpenRequest
        return _Stored(*row)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            raise DuplicateOpenRequest
        stored = _Stored(*row)
        changes = audit.change("status", None, stored.status) | audit.creation(fields)
        audit.record(
            stored.id, LoanAction.CREATED, at=now, changes=changes, reason=stored.decision_reason
        )
    return stored


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
    stored = _insert(fields, config, fallback, now)
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
