from decimal import Decimal
from unittest import skipUnless

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import TestCase
from django.utils import timezone

from loans.models import LoanAction, LoanEvent, LoanRequest, LoanStatus
from loans.tests.support import make_loan


class LoanRequestModelTests(TestCase):
    def test_defaults_and_str_without_personal_data(self):
        loan = LoanRequest.objects.create(
            full_name="Ana Gómez",
            dni="1234567",
            gender="F",
            email="ana@example.com",
            amount=Decimal("10000.00"),
        )
        self.assertEqual(loan.status, LoanStatus.PENDING)
        self.assertIsNotNone(loan.created_at)
        self.assertEqual(str(loan), f"LoanRequest #{loan.pk} (pending)")
        self.assertNotIn("1234567", str(loan))

    def test_only_one_live_pending_request_per_dni(self):
        make_loan(status=LoanStatus.PENDING, deleted_at=timezone.now())  # deleted: not counted
        make_loan(status=LoanStatus.PENDING)
        make_loan(status=LoanStatus.APPROVED)  # decided requests do not count
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_loan(status=LoanStatus.PENDING)

    def test_database_rejects_unknown_status_and_non_positive_amount(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_loan(status="maybe")
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_loan(amount="0")

    def test_the_dni_rule_runs_on_the_model(self):
        loan = make_loan()
        for dni in ("12a4567", "05678901", "0000000"):
            loan.dni = dni
            with self.subTest(dni=dni), self.assertRaises(ValidationError) as caught:
                loan.full_clean()
            self.assertIn("dni", caught.exception.message_dict)

    def test_default_ordering_is_newest_first(self):
        first = make_loan(dni="11111111")
        second = make_loan(dni="22222222")
        self.assertEqual(list(LoanRequest.objects.all()), [second, first])


class LoanEventTests(TestCase):
    @skipUnless(connection.vendor == "postgresql", "the trigger exists on PostgreSQL only")
    def test_the_database_refuses_to_rewrite_history(self):
        loan = make_loan()
        LoanEvent.objects.create(loan=loan, at=timezone.now(), action=LoanAction.CREATED)
        for statement in ("UPDATE loans_loanevent SET reason = 'x'", "DELETE FROM loans_loanevent"):
            with self.subTest(statement=statement):
                with self.assertRaises(DatabaseError), transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute(statement)
        self.assertEqual(LoanEvent.objects.get().reason, "")
