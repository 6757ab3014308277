import json

from django.test import TestCase, override_settings

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

    def test_creates_and_returns_decision(self):
        response = self.post(payload())
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual(body["status"], LoanStatus.APPROVED)
        self.assertEqual(body["amount"], "150000.00")
        self.assertEqual(body["dni"], "30123456")
        self.assertIsNone(body["reviewed_by"])
        self.assertEqual(
            set(body),
            {
                "id", "full_name", "dni", "gender", "email", "amount", "status",
                "decision_reason", "created_at", "updated_at", "reviewed_by", "reviewed_at",
            },
        )  # fmt: skip
        self.assertTrue(body["decision_reason"])
        self.assertEqual(LoanRequest.objects.get().full_name, "María José Pérez")

    def test_amount_as_json_number_keeps_exact_value(self):
        response = self.post('{"full_name": "Ana Gómez", "dni": "1234567", "gender": "X", '
                             '"email": "a@example.com", "amount": 10000.1}')  # fmt: skip
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["amount"], "10000.10")

    @override_settings(LOAN_AUTO_APPROVAL_MAX_AMOUNT=100000)
    def test_large_amount_is_pending_and_a_second_request_is_409(self):
        self.assertEqual(self.post(payload()).json()["status"], LoanStatus.PENDING)
        response = self.post(payload(amount="20000"))
        self.assertEqual(response.status_code, 409)
        self.assertEqual(list(response.json()["errors"]), ["dni"])  # shown on the DNI field
        self.assertEqual(LoanRequest.objects.count(), 1)

    def test_recent_rejection_is_rejected(self):
        make_loan(status=LoanStatus.REJECTED)
        self.assertEqual(self.post(payload()).json()["status"], LoanStatus.REJECTED)

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
