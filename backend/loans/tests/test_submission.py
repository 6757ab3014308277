from datetime import timedelta
from decimal import Decimal
from unittest import mock

from django.test import TestCase, override_settings
from django.utils import timezone

from loans.models import LoanRequest, LoanStatus
from loans.submission import (
    SCORING_FAILED,
    DuplicateOpenRequest,
    submit_loan_request,
)
from loans.tests.support import ScoringDouble, decision_body, make_loan, payload


def fields(**overrides) -> dict:
    data = payload(**overrides)
    data["amount"] = Decimal(data["amount"])
    return data


class EmbeddedRulesSubmissionTests(TestCase):
    def test_approved(self):
        loan = submit_loan_request(fields())
        self.assertEqual(loan.status, LoanStatus.APPROVED)

    @override_settings(LOAN_AUTO_APPROVAL_MAX_AMOUNT=Decimal("100000"))
    def test_pending_above_threshold(self):
        self.assertEqual(submit_loan_request(fields()).status, LoanStatus.PENDING)

    def test_rejected_after_recent_rejection_but_not_an_old_one(self):
        old = make_loan(status=LoanStatus.REJECTED)
        LoanRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
        self.assertEqual(submit_loan_request(fields()).status, LoanStatus.APPROVED)
        make_loan(status=LoanStatus.REJECTED)
        self.assertEqual(submit_loan_request(fields()).status, LoanStatus.REJECTED)

    @override_settings(LOAN_AUTO_APPROVAL_MAX_AMOUNT=Decimal("100"))
    def test_a_lost_race_for_the_pending_slot_is_a_duplicate(self):
        make_loan(status=LoanStatus.PENDING)
        with mock.patch("loans.submission.dni_history", return_value=set()):
            with self.assertRaises(DuplicateOpenRequest):
                submit_loan_request(fields())
        self.assertEqual(LoanRequest.objects.count(), 1)

    def test_duplicate_pending_raises_and_writes_nothing(self):
        make_loan(status=LoanStatus.PENDING)
        with self.assertRaises(DuplicateOpenRequest):
            submit_loan_request(fields())
        self.assertEqual(LoanRequest.objects.count(), 1)


class ScoringSubmissionTests(TestCase):
    def submit_with(self, double: ScoringDouble, timeout: float = 2) -> LoanRequest:
        with override_settings(SCORING_URL=double.url, SCORING_TIMEOUT_SECONDS=timeout):
            return submit_loan_request(fields())

    def test_uses_service_decision(self):
        with ScoringDouble(body=decision_body("rejected", "Score insuficiente")) as double:
            loan = self.submit_with(double)
        loan.refresh_from_db()
        self.assertEqual(loan.status, LoanStatus.REJECTED)
        self.assertEqual(loan.decision_reason, "Score insuficiente")

    def test_failures_leave_the_request_pending_never_lost(self):
        cases = {
            "timeout": ScoringDouble(body=decision_body("approved"), delay=1.0),
            "500": ScoringDouble(status=500, body=b"error"),
            "malformed": ScoringDouble(body=b"not json"),
        }
        for name, double in cases.items():
            with self.subTest(name), double:
                with self.assertLogs("loans.submission", "WARNING"):
                    loan = self.submit_with(double, timeout=0.2)
                stored = LoanRequest.objects.get()
                self.assertEqual(stored.pk, loan.pk)
                self.assertEqual(stored.status, LoanStatus.PENDING)
                self.assertEqual(stored.decision_reason, SCORING_FAILED)
                stored.delete()

    def test_pending_for_the_dni_blocks_before_calling_the_service(self):
        make_loan(status=LoanStatus.PENDING)
        with ScoringDouble(body=decision_body("approved")) as double:
            with self.assertRaises(DuplicateOpenRequest):
                self.submit_with(double)
        self.assertEqual(double.received, [])
