import json

from django.test import TestCase, override_settings
from django.utils import timezone

from accounts.tests.support import JsonClient
from loans.models import LoanRequest, LoanStatus
from loans.tests.support import make_loan, payload

URL = "/api/loans/"


class CreateLoanRequestTests(TestCase):
    def setUp(self):
        self.client = JsonClient()  # enforces CSRF: creation must not need it

    def post(self, body, content_type="application/json", **kwargs):
        if not isinstance(body, str | bytes):
            body = json.dumps(body)
        return self.client.post(URL, body, content_type=content_type, **kwargs)

    def assertRejected(self, response, status, *fields):
        self.assertEqual(response.status_code, status, response.content)
        errors = response.json()["errors"]
        for field in fields:
            self.assertIn(field, errors)
            self.assertTrue(all(isinstance(message, str) for message in errors[field]))
        self.assertFalse(LoanRequest.objects.exists())

    def test_creates_and_answers_only_what_the_applicant_needs(self):
        response = self.post(payload(dni="05678901"))
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual(set(body), {"id", "status", "amount", "created_at", "message"})
        self.assertEqual(body["status"], LoanStatus.APPROVED)
        self.assertEqual(body["amount"], "150000.00")
        # Stands on its own (an API client may show only the message), without repeating the
        # page's heading «¡Tu solicitud fue aprobada!».
        self.assertTrue(body["message"].startswith("Aprobamos tu solicitud."), body["message"])
        self.assertEqual(response["Cache-Control"], "no-store")
        stored = LoanRequest.objects.get()
        self.assertEqual(
            (stored.pk, stored.full_name, stored.dni), (body["id"], "María José Pérez", "5678901")
        )

    @override_settings(LOAN_AUTO_APPROVAL_MAX_AMOUNT=100000, LOAN_REJECTION_COOLDOWN_DAYS=30)
    def test_messages_state_no_threshold_and_no_history(self):
        pending = self.post(payload()).json()
        make_loan(dni="11111111", status=LoanStatus.REJECTED, reviewed_at=timezone.now())
        rejected = self.post(payload(dni="11111111")).json()
        self.assertEqual((pending["status"], rejected["status"]), ("pending", "rejected"))
        for message in (pending["message"], rejected["message"]):
            for revealing in ("$", "100.000", "30", "días", "DNI", "rechazada", "límite"):
                self.assertNotIn(revealing, message)
            self.assertIn("correo electrónico", message)

    def test_amount_as_json_number_keeps_exact_value(self):
        response = self.post('{"full_name": "Ana Gómez", "dni": "1234567", "gender": "X", '
                             '"email": "a@example.com", "amount": 10000.1}')  # fmt: skip
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["amount"], "10000.10")

    @override_settings(LOAN_AUTO_APPROVAL_MAX_AMOUNT=100000)
    def test_large_amount_is_pending_and_a_second_request_is_409(self):
        self.assertEqual(self.post(payload(dni="5678901")).json()["status"], LoanStatus.PENDING)
        for dni in ("5678901", "05678901"):  # the same person
            response = self.post(payload(amount="20000", dni=dni))
            self.assertEqual(response.status_code, 409)
            self.assertEqual(list(response.json()["errors"]), ["dni"])  # shown on the DNI field
        self.assertEqual(LoanRequest.objects.count(), 1)

    def test_recent_rejection_is_rejected(self):
        make_loan(status=LoanStatus.REJECTED, reviewed_at=timezone.now())
        self.assertEqual(self.post(payload()).json()["status"], LoanStatus.REJECTED)

    def test_nul_and_lone_surrogates_are_400_not_500(self):
        for body in (
            '{"full_name": "Ana \\ud800 García"}',
            '{"full_name": "Ana\\u0000García"}',
            '{"email": ["a\\udfff"]}',
        ):
            with self.subTest(body=body):
                response = self.post(body)
                self.assertRejected(response, 400)
                field, messages = next(iter(response.json()["errors"].items()))
                self.assertIn(field, ("full_name", "email"))
                self.assertEqual(messages, ["El texto contiene caracteres no válidos."])
        self.assertRejected(self.post('{"a\\u0000b": 1}'), 400, "__all__")

    def test_hidden_characters_in_names_and_quoted_emails_are_refused(self):
        for body in (
            payload(full_name="Ana\u202eZorro"),
            payload(full_name="\u200b\u200b\u200b"),
            payload(email='"\x1b\x07"@example.com'),
        ):
            with self.subTest(body=body):
                self.assertRejected(self.post(body), 400)

    def test_missing_fields(self):
        self.assertRejected(self.post({}), 400, "full_name", "dni", "gender", "email", "amount")

    def test_wrong_types(self):
        body = {"full_name": 5, "dni": 30123456, "gender": 1, "email": [], "amount": True}
        self.assertRejected(self.post(body), 400, *body)

    def test_unknown_and_read_only_fields(self):
        body = payload(status="approved", id=9, reviewed_by="x", income=1)
        self.assertRejected(self.post(body), 400, "status", "id", "reviewed_by", "income")

    def test_out_of_bounds_and_too_many_decimals(self):
        for amount in ("1", "99999999", "15000.001", "abc", -15000):
            with self.subTest(amount=amount):
                self.assertRejected(self.post(payload(amount=amount)), 400, "amount")

    def test_malformed_json(self):
        for body in ("{", '{"a": NaN}', " ", b"\xff\xfe", '{"dni": "1", "dni": "2"}', "[" * 5000):
            with self.subTest(body=body[:10]):
                self.assertRejected(self.post(body), 400, "__all__")

    def test_non_object_json(self):
        for body in ("[]", '"text"', "3", "null"):
            with self.subTest(body=body):
                self.assertRejected(self.post(body), 400, "__all__")

    def test_wrong_content_type_is_415(self):
        response = self.post("dni=1", content_type="application/x-www-form-urlencoded")
        self.assertRejected(response, 415, "__all__")
        self.assertRejected(self.post(payload(), content_type="text/plain"), 415, "__all__")

    def test_empty_body_without_content_type_is_415(self):
        self.assertRejected(self.client.post(URL), 415, "__all__")

    def test_json_with_charset_is_accepted(self):
        response = self.post(payload(), content_type="application/json; charset=utf-8")
        self.assertEqual(response.status_code, 201)

    def test_oversized_body_is_413(self):
        body = payload(full_name="x" * 20000)
        self.assertRejected(self.post(body), 413, "__all__")

    def test_wrong_method_is_405_json(self):
        response = self.client.put(URL, "{}", content_type="application/json")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Allow"], "GET, POST")
        self.assertIn("__all__", response.json()["errors"])


class RulesEndpointTests(TestCase):
    def test_public_bounds(self):
        response = JsonClient().get("/api/loans/rules/")
        self.assertEqual(response.json(), {"min_amount": "10000.00", "max_amount": "5000000.00"})
