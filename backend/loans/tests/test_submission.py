from datetime import timedelta
from decimal import Decimal
from unittest import mock, skipUnless

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loans.models import LoanAction, LoanEvent, LoanRequest, LoanStatus
from loans.rules import Decision
from loans.submission import (
    AWAITING_SCORING,
    SCORING_FAILED,
    DuplicateOpenRequest,
    submit_loan_request,
)
from loans.tests.support import ScoringDouble, decision_body, make_loan, payload

NOW = timezone.now().replace(microsecond=0)


def fields(**overrides) -> dict:
    data = payload(**overrides)
    data["amount"] = Decimal(data["amount"])
    return data


def submit(**overrides) -> LoanRequest:
    with mock.patch("loans.submission.timezone.now", return_value=NOW):
        return submit_loan_request(fields(**overrides))


class EmbeddedRulesTests(TestCase):
    def test_approved_and_stored(self):
        loan = submit()
        self.assertEqual(loan.status, LoanStatus.APPROVED)
        stored = LoanRequest.objects.get(pk=loan.pk)
        self.assertEqual(
            (stored.full_name, stored.dni, stored.amount, stored.status, stored.created_at),
            ("María José Pérez", "30123456", Decimal("150000.00"), LoanStatus.APPROVED, NOW),
        )
        self.assertIsNone(stored.reviewed_at)  # the rules engine is not a review

    @override_settings(LOAN_AUTO_APPROVAL_MAX_AMOUNT=Decimal("100000"))
    def test_pending_above_the_limit(self):
        self.assertEqual(submit().status, LoanStatus.PENDING)

    def test_records_a_created_event_with_masked_personal_data(self):
        loan = submit()
        event = LoanEvent.objects.get(loan_id=loan.pk)
        self.assertEqual((event.action, event.actor, event.at), (LoanAction.CREATED, "", NOW))
        self.assertEqual(event.reason, loan.decision_reason)
        self.assertEqual(
            event.changes,
            {
                "status": {"from": None, "to": "approved"},
                "full_name": {"from": None, "to": "M*** J*** P***"},
                "dni": {"from": None, "to": "*****456"},
                "gender": {"from": None, "to": "F"},
                "email": {"from": None, "to": "m***@example.com"},
                "amount": {"from": None, "to": "150000.00"},
            },
        )

    def test_duplicate_pending_raises_and_writes_nothing(self):
        make_loan(status=LoanStatus.PENDING)
        with self.assertRaises(DuplicateOpenRequest):
            submit()
        self.assertEqual(LoanRequest.objects.count(), 1)
        self.assertFalse(LoanEvent.objects.exists())

    def test_the_same_person_with_leading_zeros_is_the_same_dni(self):
        make_loan(dni="5678901", status=LoanStatus.PENDING)
        with self.assertRaises(DuplicateOpenRequest):
            # What LoanForm makes of "05678901".
            submit(dni="5678901")

    def test_a_deleted_pending_request_does_not_block(self):
        make_loan(status=LoanStatus.PENDING, deleted_at=NOW)
        self.assertEqual(submit().status, LoanStatus.APPROVED)

    @skipUnless(connection.vendor == "postgresql", "the one-statement create is PostgreSQL's")
    def test_a_create_is_one_round_trip_once_the_statement_is_prepared(self):
        submit(dni="20111222")  # the first create on a connection PREPAREs the statement
        with CaptureQueriesContext(connection) as queries:
            loan = submit(dni="20111223")
        self.assertEqual(len(queries), 1, [query["sql"] for query in queries])
        self.assertEqual(LoanEvent.objects.get(loan_id=loan.pk).action, LoanAction.CREATED)


@override_settings(LOAN_AUTO_APPROVAL_MAX_AMOUNT=Decimal("1000000"), LOAN_EXPOSURE_WINDOW_DAYS=30)
class ExposureLimitTests(TestCase):
    def test_splitting_a_loan_reaches_manual_review(self):
        statuses = [submit(amount="500000").status]
        statuses.append(submit(amount="500000").status)  # 1,000,000 in total: at the limit
        statuses.append(submit(amount="10000").status)  # above it
        self.assertEqual(statuses, [LoanStatus.APPROVED, LoanStatus.APPROVED, LoanStatus.PENDING])

    def test_counts_approved_and_pending_within_the_window_only(self):
        make_loan(amount="900000", status=LoanStatus.APPROVED, created_at=NOW)
        old = make_loan(amount="900000", status=LoanStatus.APPROVED)
        LoanRequest.objects.filter(pk=old.pk).update(created_at=NOW - timedelta(days=31))
        make_loan(amount="900000", status=LoanStatus.REJECTED, reviewed_at=NOW - timedelta(days=40))
        make_loan(amount="900000", status=LoanStatus.PENDING, deleted_at=NOW)
        self.assertEqual(submit(amount="100000").status, LoanStatus.APPROVED)
        self.assertEqual(submit(amount="10000").status, LoanStatus.PENDING)

    def test_other_dnis_do_not_count(self):
        make_loan(dni="11111111", amount="1000000", status=LoanStatus.APPROVED)
        self.assertEqual(submit(amount="1000000").status, LoanStatus.APPROVED)


@override_settings(LOAN_REJECTION_COOLDOWN_DAYS=30)
class CooldownTests(TestCase):
    def rejected(self, *, days_ago: float, created_days_ago: float = 100) -> LoanRequest:
        loan = make_loan(status=LoanStatus.REJECTED, reviewed_at=NOW - timedelta(days=days_ago))
        LoanRequest.objects.filter(pk=loan.pk).update(
            created_at=NOW - timedelta(days=created_days_ago)
        )
        return loan

    def test_cooldown_minus_one_day_is_rejected(self):
        self.rejected(days_ago=29)
        self.assertEqual(submit().status, LoanStatus.REJECTED)

    def test_exactly_the_cooldown_is_over(self):
        self.rejected(days_ago=30)
        self.assertEqual(submit().status, LoanStatus.APPROVED)

    def test_cooldown_plus_one_day_is_over(self):
        self.rejected(days_ago=31)
        self.assertEqual(submit().status, LoanStatus.APPROVED)

    def test_counts_from_the_decision_not_the_submission(self):
        # Submitted long ago, rejected yesterday: in cooldown.
        self.rejected(days_ago=1, created_days_ago=90)
        self.assertEqual(submit().status, LoanStatus.REJECTED)

    def test_the_engines_own_repeat_rejections_do_not_extend_it(self):
        self.rejected(days_ago=29)
        self.assertEqual(submit().status, LoanStatus.REJECTED)  # no reviewed_at
        later = NOW + timedelta(days=2)  # 31 days after the real decision
        with mock.patch("loans.submission.timezone.now", return_value=later):
            self.assertEqual(submit_loan_request(fields()).status, LoanStatus.APPROVED)


class ScoringSubmissionTests(TestCase):
    def submit_with(self, double: ScoringDouble, timeout: float = 2, **overrides) -> LoanRequest:
        with override_settings(SCORING_URL=double.url, SCORING_TIMEOUT_SECONDS=timeout):
            return submit(**overrides)

    def test_uses_the_services_decision_and_records_it(self):
        with ScoringDouble(body=decision_body("rejected", "Score insuficiente")) as double:
            loan = self.submit_with(double)
        stored = LoanRequest.objects.get(pk=loan.pk)
        self.assertEqual(
            (stored.status, stored.decision_reason), ("rejected", "Score insuficiente")
        )
        self.assertIsNotNone(stored.reviewed_at)  # the service's rejection starts a cooldown
        self.assertEqual(loan.status, LoanStatus.REJECTED)
        events = list(LoanEvent.objects.filter(loan_id=loan.pk).values_list("action", "actor"))
        self.assertEqual(events, [(LoanAction.CREATED, ""), (LoanAction.REJECTED, "")])
        self.assertEqual(double.received[0]["dni"], "30123456")

    def test_failures_leave_the_request_pending_never_lost(self):
        cases = {
            "timeout": ScoringDouble(body=decision_body("approved"), delay=1.0),
            "500": ScoringDouble(status=500, body=b"error"),
            "malformed": ScoringDouble(body=b"not json"),
        }
        for number, (name, double) in enumerate(cases.items()):
            with self.subTest(name), double:
                dni = str(30000000 + number)
                with self.assertLogs("loans.submission", "WARNING"):
                    loan = self.submit_with(double, timeout=0.2, dni=dni)
                stored = LoanRequest.objects.get(dni=dni)
                self.assertEqual(stored.pk, loan.pk)
                self.assertEqual(stored.status, LoanStatus.PENDING)
                self.assertEqual(stored.decision_reason, SCORING_FAILED)
                self.assertEqual(stored.events.last().action, LoanAction.EDITED)

    def test_the_rules_still_apply_before_the_service(self):
        make_loan(status=LoanStatus.REJECTED, reviewed_at=NOW - timedelta(days=1))
        with ScoringDouble(body=decision_body("approved")) as double:
            self.assertEqual(self.submit_with(double).status, LoanStatus.REJECTED)
            self.assertEqual(self.submit_with(double, amount="4000000").status, "rejected")
        self.assertEqual(double.received, [])

    def test_pending_for_the_dni_blocks_before_calling_the_service(self):
        make_loan(status=LoanStatus.PENDING)
        with ScoringDouble(body=decision_body("approved")) as double:
            with self.assertRaises(DuplicateOpenRequest):
                self.submit_with(double)
        self.assertEqual(double.received, [])

    def test_a_decision_taken_meanwhile_is_not_overwritten(self):
        def staff_decides_while_the_service_thinks(*args, **kwargs) -> Decision:
            LoanRequest.objects.filter(decision_reason=AWAITING_SCORING).update(
                status=LoanStatus.REJECTED, decision_reason="Rechazada por una persona."
            )
            return Decision(LoanStatus.APPROVED, "Aprobada por el servicio.")

        with (
            override_settings(SCORING_URL="http://scoring.invalid/score"),
            mock.patch(
                "loans.submission.scoring.request_decision",
                side_effect=staff_decides_while_the_service_thinks,
            ),
        ):
            loan = submit()
        self.assertEqual(LoanRequest.objects.get(pk=loan.pk).status, LoanStatus.REJECTED)
        self.assertEqual(LoanEvent.objects.filter(loan_id=loan.pk).count(), 1)
