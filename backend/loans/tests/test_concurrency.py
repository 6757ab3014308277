"""
Lending rules under concurrency, on PostgreSQL (SQLite serialises every writer anyway):
parallel submissions for one DNI, and a staff edit racing them.
"""

from collections import Counter
from decimal import Decimal
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase, override_settings

from accounts.tests.support import make_user
from core.json_api import ApiError
from core.tests.concurrency import FailedStatements, run_in_parallel
from loans import staff_actions
from loans.models import LoanRequest, LoanStatus
from loans.submission import DuplicateOpenRequest, submit_loan_request
from loans.tests.support import make_loan, payload


def submit_counting_failures(failures: FailedStatements, **overrides) -> str:
    data = payload(**overrides)
    data["amount"] = Decimal(data["amount"])
    with connection.execute_wrapper(failures):
        try:
            return submit_loan_request(data).status
        except DuplicateOpenRequest:
            return "duplicate"


@skipUnless(connection.vendor == "postgresql", "concurrency is tested on PostgreSQL")
@override_settings(LOAN_AUTO_APPROVAL_MAX_AMOUNT=Decimal("1000000"))
class ConcurrentSubmissionTests(TransactionTestCase):
    def test_twenty_parallel_requests_for_one_dni_cannot_dodge_the_exposure_limit(self):
        # A few rounds, each with its own DNI: a race that a broken lock loses now and then
        # is lost at least once.
        for dni in ("30000001", "30000002", "30000003"):
            failures = FailedStatements()
            outcomes = run_in_parallel(
                20,
                lambda _, dni=dni, failures=failures: submit_counting_failures(
                    failures, dni=dni, amount="500000"
                ),
            )
            # Two fit under the limit, the third goes to a person, the rest find it pending.
            self.assertEqual(Counter(outcomes), {"approved": 2, "pending": 1, "duplicate": 17})
            approved = LoanRequest.objects.filter(dni=dni, status=LoanStatus.APPROVED)
            self.assertEqual(sum(loan.amount for loan in approved), Decimal("1000000"))
            # No INSERT lost a race on the unique constraint: nothing (with personal data in
            # its text) for the database's error log.
            self.assertEqual(failures.errors, [])

    def test_a_staff_edit_moving_a_request_onto_a_dni_races_new_requests_safely(self):
        staff = make_user("ana")
        for number in range(8):
            source, target = str(11111111 + number), str(22222222 + number)
            moving = make_loan(dni=source, status=LoanStatus.PENDING, amount="2000000")
            failures = FailedStatements()

            def act(index: int, moving=moving, target=target, failures=failures) -> str:
                if index % 2 == 0:
                    with connection.execute_wrapper(failures):
                        try:
                            staff_actions.edit(moving.pk, staff, {"dni": target})
                        except ApiError as error:
                            return f"edit {error.status}"
                        return "edit ok"
                return submit_counting_failures(failures, dni=target, amount="2000000")

            outcomes = run_in_parallel(8, act)
            live_pending = LoanRequest.objects.live().filter(dni=target, status="pending")
            self.assertEqual(live_pending.count(), 1, outcomes)
            self.assertEqual(failures.errors, [])
