from decimal import Decimal

from django.http import QueryDict
from django.test import SimpleTestCase, TestCase, override_settings

from loans.forms import LoanForm, LoanListQuery, ReviewForm
from loans.money import format_ars
from loans.tests.support import payload


def errors_of(form) -> dict:
    form.is_valid()
    return {field: list(messages) for field, messages in form.errors.items()}


class LoanFormTests(TestCase):
    def assertValid(self, **overrides) -> dict:
        form = LoanForm(payload(**overrides))
        self.assertTrue(form.is_valid(), form.errors)
        return form.cleaned_data

    def assertInvalid(self, field: str, *values) -> list[str]:
        messages = []
        for value in values:
            with self.subTest(field=field, value=value):
                errors = errors_of(LoanForm(payload(**{field: value})))
                self.assertEqual(list(errors), [field])
                messages += errors[field]
        return messages

    def test_full_payload_is_cleaned(self):
        cleaned = self.assertValid(full_name="  Ana   María  ", email=" a@example.com ")
        self.assertEqual(cleaned["full_name"], "Ana María")
        self.assertEqual(cleaned["email"], "a@example.com")
        self.assertEqual(cleaned["amount"], Decimal("150000.00"))

    def test_validation_runs_no_query(self):
        # The model's constraints are the database's job: no SELECT per check on each request.
        with self.assertNumQueries(0):
            self.assertTrue(LoanForm(payload()).is_valid())
            self.assertFalse(LoanForm(payload(dni="1")).is_valid())

    def test_names_in_any_script_with_apostrophes_hyphens_and_dots(self):
        for name in (
            "María José Pérez",
            "Zoë O'Connor-Núñez",
            "J. R. R. Tolkien",
            "D’Alessandro Luján",
            "李小龍",
            "Ольга Петровна",
            "José Pe\u0301rez",  # a decomposed accent is composed (NFC)
            "अनुष्का शर्मा",  # vowel signs are combining marks
        ):
            with self.subTest(name=name):
                self.assertTrue(self.assertValid(full_name=name)["full_name"])
        self.assertEqual(self.assertValid(full_name="José Pe\u0301rez")["full_name"], "José Pérez")

    def test_names_refuse_hidden_characters_digits_and_symbols(self):
        self.assertInvalid(
            "full_name",
            "Ana\u202eZorro",  # right-to-left override
            "\u200b\u200b\u200b\u200b",  # zero-width spaces only
            "Ana\u200bMaría",
            "Ana\x1bMaría",
            "Ana García 2",
            "<script>",
            "Ana 😀 García",
            "\u0301\u0301\u0301",  # marks with no letter
            "...",
            "ab",
            "x" * 121,
            5,
            ["Ana García"],
        )

    def test_dni_is_stored_canonical(self):
        self.assertEqual(self.assertValid(dni="05678901")["dni"], "5678901")
        self.assertEqual(self.assertValid(dni=" 30123456 ")["dni"], "30123456")
        self.assertEqual(self.assertValid(dni="1234567")["dni"], "1234567")

    def test_dni_messages_say_what_is_wrong(self):
        (length,) = self.assertInvalid("dni", "123456")
        self.assertEqual(length, "El DNI tiene que tener 7 u 8 dígitos.")
        self.assertEqual(self.assertInvalid("dni", "123456789"), [length])
        for message in self.assertInvalid("dni", "12.345.678", "1234567a", "١٢٣٤٥٦٧٨"):
            self.assertIn("solo los números", message)
        (not_a_dni,) = self.assertInvalid("dni", "0000000")
        self.assertNotIn("dígitos", not_a_dni)
        self.assertEqual(self.assertInvalid("dni", "00123456"), [not_a_dni])
        self.assertEqual(self.assertInvalid("dni", 12345678), ["Tiene que ser texto."])

    def test_gender(self):
        for value in ("F", "M", "X"):
            self.assertEqual(self.assertValid(gender=value)["gender"], value)
        self.assertInvalid("gender", "f", "", None, ["F"], 1)

    def test_email_refuses_quoted_local_parts_and_bad_addresses(self):
        self.assertEqual(self.assertValid(email="ana.p+x@example.com.ar")["email"],
                         "ana.p+x@example.com.ar")  # fmt: skip
        messages = self.assertInvalid(
            "email",
            '"\x1b\x07"@example.com',
            '"ana maría"@example.com',
            "nope",
            "a@",
            "a" * 250 + "@x.com",
            5,
        )
        self.assertIn("Ingresá un correo electrónico válido.", messages)

    def test_amount_accepts_numbers_and_numeric_strings(self):
        for value, expected in (
            ("10000", "10000.00"),
            ("150000.5", "150000.50"),
            (150000, "150000.00"),
            (Decimal("150000.25"), "150000.25"),
            (Decimal("1.5E+5"), "150000.00"),
        ):
            with self.subTest(value=value):
                self.assertEqual(self.assertValid(amount=value)["amount"], Decimal(expected))

    def test_amount_refuses_bad_values(self):
        self.assertInvalid(
            "amount",
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
            "9999.99",
            "5000000.01",
        )

    @override_settings(LOAN_MIN_AMOUNT=Decimal("500.00"), LOAN_MAX_AMOUNT=Decimal("1000.00"))
    def test_amount_bounds_come_from_settings(self):
        self.assertEqual(self.assertValid(amount="600")["amount"], Decimal("600.00"))
        (message,) = self.assertInvalid("amount", "1001")
        self.assertIn(f"{format_ars(Decimal(500))} y {format_ars(Decimal(1000))}", message)

    def test_reports_every_problem_at_once(self):
        errors = errors_of(LoanForm({"dni": "1", "status": "approved", "nickname": "x"}))
        self.assertEqual(
            set(errors), {"dni", "status", "nickname", "full_name", "gender", "email", "amount"}
        )
        self.assertEqual(errors["status"], ["Este campo es de solo lectura."])
        self.assertEqual(errors["nickname"], ["Campo desconocido."])
        self.assertEqual(errors["email"], ["Este campo es obligatorio."])

    def test_partial(self):
        form = LoanForm({"gender": "X"}, partial=True)
        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data, {"gender": "X"})
        self.assertEqual(
            errors_of(LoanForm({}, partial=True)),
            {"__all__": ["Enviá al menos un campo para modificar."]},
        )
        self.assertEqual(list(errors_of(LoanForm({"id": 3}, partial=True))), ["id"])

    def test_a_partial_form_leaves_the_next_full_form_whole(self):
        # The field objects are shared (core.forms.SharedField); each form's field list is not.
        LoanForm({"gender": "X"}, partial=True)
        errors = errors_of(LoanForm({}))
        self.assertEqual(set(errors), {"full_name", "dni", "gender", "email", "amount"})

    def test_the_create_and_list_forms_share_their_fields_between_requests(self):
        # A per-request deep copy was half of the create's validation time (bench:api).
        for form_class, data in ((LoanForm, payload()), (LoanListQuery, QueryDict())):
            first, second = form_class(data), form_class(data)
            for name, field in first.fields.items():
                self.assertIs(field, second.fields[name], f"{form_class.__name__}.{name}")


class ReviewFormTests(SimpleTestCase):
    def test_reason_is_optional_plain_text(self):
        for data, expected in (
            ({}, ""),
            ({"reason": None}, ""),
            ({"reason": " Ok\nlisto "}, "Ok\nlisto"),
        ):
            form = ReviewForm(data)
            self.assertTrue(form.is_valid(), form.errors)
            self.assertEqual(form.cleaned_data["reason"], expected)

    def test_refuses_hidden_characters_wrong_types_long_text_and_unknown_fields(self):
        for data in (
            {"reason": "Ingresos\x1b[31m ok"},
            {"reason": "ok\u202e"},
            {"reason": 5},
            {"reason": "x" * 501},
        ):
            with self.subTest(data=data):
                self.assertEqual(list(errors_of(ReviewForm(data))), ["reason"])
        self.assertEqual(errors_of(ReviewForm({"status": "x"})), {"status": ["Campo desconocido."]})


class LoanListQueryTests(SimpleTestCase):
    def query(self, text: str) -> LoanListQuery:
        return LoanListQuery(QueryDict(text))

    def test_defaults_and_values(self):
        form = self.query(
            "page=2&page_size=50&ordering=-amount&status=pending&search=%20ana%20%20g%20"
        )
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(
            form.cleaned_data,
            {
                "page": 2,
                "page_size": 50,
                "ordering": "-amount",
                "status": "pending",
                "search": "ana g",
            },
        )
        empty = self.query("")
        self.assertTrue(empty.is_valid())
        self.assertEqual(empty.cleaned_data["page"], None)

    def test_invalid_values(self):
        for text, field in (
            ("page_size=101", "page_size"),
            ("page=0", "page"),
            ("page=-1", "page"),
            ("page=1.5", "page"),
            ("page=²", "page"),
            ("page=١٢", "page"),
            ("ordering=email", "ordering"),
            ("ordering=--amount", "ordering"),
            ("status=open", "status"),
            ("search=" + "x" * 101, "search"),
        ):
            with self.subTest(text=text):
                self.assertEqual(list(errors_of(self.query(text))), [field])
        self.assertIn("Usá pending", errors_of(self.query("status=open"))["status"][0])
