from decimal import Decimal

from django.test import SimpleTestCase, override_settings

from core.json_api import ApiError
from loans.tests.support import payload
from loans.validation import (
    FieldError,
    clean_amount,
    clean_dni,
    clean_email,
    clean_full_name,
    clean_gender,
    format_ars,
    validate_loan_fields,
)


class FieldCleanerTests(SimpleTestCase):
    def assertInvalid(self, cleaner, *values):
        for value in values:
            with self.subTest(value=value), self.assertRaises(FieldError):
                cleaner(value)

    def test_full_name(self):
        self.assertEqual(clean_full_name("  Ana   María  "), "Ana María")
        self.assertInvalid(clean_full_name, "ab", "x" * 121, 123, None, "Ana\x00Gómez")

    def test_dni(self):
        self.assertEqual(clean_dni("1234567"), "1234567")
        self.assertEqual(clean_dni(" 12345678 "), "12345678")
        # Arabic-Indic digits match \\d but are not a DNI.
        self.assertInvalid(
            clean_dni, "123456", "123456789", "12.345.678", "1234567a", 12345678, "١٢٣٤٥٦٧٨"
        )

    def test_gender(self):
        for value in ("F", "M", "X"):
            self.assertEqual(clean_gender(value), value)
        self.assertInvalid(clean_gender, "f", "", None, ["F"])

    def test_email(self):
        self.assertEqual(clean_email(" a@example.com "), "a@example.com")
        self.assertInvalid(clean_email, "nope", "a@", 5, "a" * 250 + "@x.com")

    def test_amount_accepts_numbers_and_numeric_strings(self):
        self.assertEqual(clean_amount("10000"), Decimal("10000.00"))
        self.assertEqual(clean_amount("150000.5"), Decimal("150000.50"))
        self.assertEqual(clean_amount(150000), Decimal("150000.00"))
        self.assertEqual(clean_amount(Decimal("150000.25")), Decimal("150000.25"))
        self.assertEqual(clean_amount(Decimal("1.5E+5")), Decimal("150000.00"))

    def test_amount_rejects_bad_values(self):
        self.assertInvalid(
            clean_amount,
            "150000.123",
            Decimal("150000.125"),
            "1e5",
            "1_000_000",
            "-20000",
            "",
            True,
            None,
            [1],
            Decimal("NaN"),
            Decimal("1E+40"),
        )

    def test_amount_bounds(self):
        self.assertInvalid(clean_amount, "9999.99", "5000000.01")
        self.assertEqual(clean_amount("5000000"), Decimal("5000000.00"))

    @override_settings(LOAN_MIN_AMOUNT=Decimal("500.00"), LOAN_MAX_AMOUNT=Decimal("1000.00"))
    def test_amount_bounds_come_from_settings(self):
        self.assertEqual(clean_amount("600"), Decimal("600.00"))
        with self.assertRaisesMessage(FieldError, "$ 500,00 y $ 1.000,00"):
            clean_amount("1001")

    def test_format_ars(self):
        self.assertEqual(format_ars(Decimal("1234567.5")), "$ 1.234.567,50")


class ValidateLoanFieldsTests(SimpleTestCase):
    def errors(self, data, partial=False) -> dict:
        with self.assertRaises(ApiError) as caught:
            validate_loan_fields(data, partial=partial)
        self.assertEqual(caught.exception.status, 400)
        return caught.exception.errors

    def test_full_payload(self):
        cleaned = validate_loan_fields(payload(), partial=False)
        self.assertEqual(cleaned["amount"], Decimal("150000.00"))

    def test_reports_every_problem_at_once(self):
        errors = self.errors({"dni": "1", "status": "approved", "nickname": "x"})
        self.assertEqual(
            set(errors), {"dni", "status", "nickname", "full_name", "gender", "email", "amount"}
        )
        self.assertEqual(errors["status"], ["Este campo es de solo lectura."])
        self.assertEqual(errors["nickname"], ["Campo desconocido."])
        self.assertEqual(errors["email"], ["Este campo es obligatorio."])

    def test_partial(self):
        self.assertEqual(validate_loan_fields({"gender": "X"}, partial=True), {"gender": "X"})
        self.assertIn("__all__", self.errors({}, partial=True))
