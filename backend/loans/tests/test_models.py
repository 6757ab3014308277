from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from loans.models import LoanRequest, LoanStatus
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

    def test_only_one_pending_request_per_dni(self):
        make_loan(status=LoanStatus.PENDING)
        make_loan(status=LoanStatus.APPROVED)  # decided requests do not count
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_loan(status=LoanStatus.PENDING)

    def test_database_rejects_unknown_status_and_non_positive_amount(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_loan(status="maybe")
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_loan(amount="0")

    def test_field_validators(self):
        loan = make_loan()
        loan.dni = "12a4567"
        with self.assertRaises(ValidationError) as caught:
            loan.full_clean()
        self.assertIn("dni", caught.exception.message_dict)

    def test_default_ordering_is_newest_first(self):
        first = make_loan(dni="11111111")
        second = make_loan(dni="22222222")
        self.assertEqual(list(LoanRequest.objects.all()), [second, first])
