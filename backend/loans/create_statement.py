"""
The statement that stores a new loan request: the DNI's history, the rules (loans.rules),
the INSERT and the "created" audit event, serialised per DNI (loans.locks).

PostgreSQL: one round trip. `SELECT pg_advisory_xact_lock(…); EXECUTE loans_create(…)` goes
as one simple-protocol query (Django's psycopg cursor binds parameters client-side), which
PostgreSQL runs as one implicit transaction: the lock is held until the row and its event
are committed, and the second statement takes its snapshot after the lock was granted, so
it sees every request committed by the writer it waited for. `loans_create` is the
WITH … INSERT … statement, PREPAREd once per database connection so its plan is reused
(planning it cost more than running it). No writer ever hits the one-pending-per-DNI
constraint, so no failed INSERT — with personal data in its text — reaches the database's
error log. (A connection pooler in transaction mode would lose the prepared statement:
there is none in this design.)

SQLite (development): the same WITH … INSERT … RETURNING inside a transaction that holds
SQLite's write lock, then the event's INSERT.

`store` returns the stored id, status and reason, or None when the DNI already has a live
pending request (nothing is written then).
"""

import functools
import json
import re
import weakref
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from loans import audit
from loans.locks import DNI_LOCK_NAMESPACE
from loans.models import LoanAction
from loans.rules import Decision, Rule, RulesConfig, ordered_rules

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
    """The statement for `vendor` with `rules` in their order (built once per process), with
    %(name)s placeholders."""
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
        f"WITH {history},\nloan AS ({insert}),\nevent AS ({_INSERT_EVENT_FROM_LOAN})\n"
        "SELECT id, status, decision_reason FROM loan"
    )


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
PREPARED_NAME = "loans_create"
# The psycopg connections on which PREPARED_NAME exists (each thread has its own).
_prepared_on: "weakref.WeakSet[object]" = weakref.WeakSet()


@functools.cache
def _prepared(rules: tuple[Rule, ...]) -> tuple[str, str]:
    """PREPARE text ($1, $2… in order of first use) and the matching EXECUTE … ; both built
    once per process."""
    names: list[str] = []

    def number(match: re.Match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    body = _PLACEHOLDER.sub(number, _sql("postgresql", rules))
    arguments = ", ".join(f"%({name})s" for name in names)
    return (
        f"PREPARE {PREPARED_NAME} AS {body}",
        "SELECT pg_advisory_xact_lock(%(lock_namespace)s, %(lock_key)s);\n"
        f"EXECUTE {PREPARED_NAME}({arguments})",
    )


@dataclass(frozen=True)
class Stored:
    id: int
    status: str
    decision_reason: str


def _params(
    db: BaseDatabaseWrapper, fields: dict, config: RulesConfig, fallback: Decision, now: datetime
) -> dict:
    ops = db.ops
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
    for n, (_, decision) in enumerate(ordered_rules(config), start=1):
        params[f"status_{n}"] = decision.status
        params[f"reason_{n}"] = decision.reason
    return params


def store(fields: dict, config: RulesConfig, fallback: Decision, now: datetime) -> Stored | None:
    """Stores the request decided by the rules (`fallback` when none applies); None when the
    DNI already has a live pending request."""
    # The thread's connection, looked up once: each attribute of django.db.connection is a
    # lookup in a thread-local registry (this runs on every create).
    db = connections[DEFAULT_DB_ALIAS]
    params = _params(db, fields, config, fallback, now)
    rules = tuple(rule for rule, _ in ordered_rules(config))
    if db.vendor == "postgresql":
        prepare, run = _prepared(rules)
        with db.cursor() as cursor:
            if db.connection not in _prepared_on:
                cursor.execute(prepare)
                _prepared_on.add(db.connection)
            cursor.execute(run, params)
            cursor.nextset()  # past the lock's result
            row = cursor.fetchone()
        return Stored(*row) if row else None
    with transaction.atomic():
        with db.cursor() as cursor:
            cursor.execute(_sql(db.vendor, rules), params)
            row = cursor.fetchone()
        if row is None:
            return None
        stored = Stored(*row)
        changes = audit.change("status", None, stored.status) | audit.creation(fields)
        audit.record(
            stored.id, LoanAction.CREATED, at=now, changes=changes, reason=stored.decision_reason
        )
    return stored
