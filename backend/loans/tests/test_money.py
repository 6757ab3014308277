from decimal import Decimal

from django.test import SimpleTestCase

from loans.money import format_ars


class FormatArsTests(SimpleTestCase):
    def test_argentine_notation_with_a_non_breaking_space(self):
        self.assertEqual(format_ars(Decimal("1234567.5")), "$\u00a01.234.567,50")
        self.assertEqual(format_ars(Decimal("10000")), "$\u00a010.000,00")
