from unittest import mock

from django.test import TestCase

from accounts.tests.support import JsonClient, make_user, staff_client
from loans.models import LoanRequest, LoanStatus
from loans.tests.support import make_loan


class DetailTests(TestCase):
    def setUp(self):
        self.loan = make_loan()
        self.url = f"/api/loans/{self.loan.pk}/"
        self.client = staff_client()

    def test_retrieve_shows_full_dni(self):
        body = self.client.get(self.url).json()
        self.assertEqual((body["id"], body["dni"]), (self.loan.pk, "30123456"))

    def test_missing_and_non_numeric_and_huge_ids_are_404_json(self):
        for url in ("/api/loans/999999/", "/api/loans/abc/", f"/api/loans/{2**70}/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertIn("__all__", response.json()["errors"])

    def test_anonymous_401_and_non_staff_403_for_every_method(self):
        outsider = JsonClient()
        outsider.force_login(make_user("bob", is_staff=False))
        outsider.fetch_csrf()
        for method in ("GET", "PATCH", "DELETE"):
            with self.subTest(method=method):
                self.assertEqual(JsonClient().generic(method, self.url).status_code, 401)
                self.assertEqual(outsider.send(method, self.url, {}).status_code, 403)
        self.assertTrue(LoanRequest.objects.filter(pk=self.loan.pk).exists())

    def test_patch_editable_fields(self):
        response = self.client.send(
            "PATCH", self.url, {"full_name": "Otra Persona", "amount": 20000}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["amount"], "20000.00")
        self.loan.refresh_from_db()
        self.assertEqual(self.loan.full_name, "Otra Persona")
        self.assertEqual(self.loan.status, LoanStatus.APPROVED)  # editing does not re-decide

    def test_patch_rejects_read_only_unknown_and_invalid_and_writes_nothing(self):
        for body in ({"status": "rejected"}, {"reviewed_at": None}, {"x": 1}, {"dni": "1"}, {}):
            with self.subTest(body=body):
                response = self.client.send("PATCH", self.url, body)
                self.assertEqual(response.status_code, 400)
                self.assertIn("errors", response.json())
        refreshed = LoanRequest.objects.get(pk=self.loan.pk)
        self.assertEqual((refreshed.status, refreshed.dni), (LoanStatus.APPROVED, "30123456"))

    def test_patch_requires_json_and_csrf(self):
        response = self.client.send("PATCH", self.url, "a=b", content_type="text/plain")
        self.assertEqual(response.status_code, 415)
        response = self.client.send("PATCH", self.url, {"gender": "X"}, csrf=False)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(LoanRequest.objects.get(pk=self.loan.pk).gender, "F")

    def test_patch_moving_a_pending_request_onto_another_pending_dni_is_409(self):
        pending = make_loan(dni="11111111", status=LoanStatus.PENDING)
        make_loan(dni="22222222", status=LoanStatus.PENDING)
        url = f"/api/loans/{pending.pk}/"
        response = self.client.send("PATCH", url, {"dni": "22222222"})
        self.assertEqual(response.status_code, 409)
        with mock.patch("loans.views.has_pending_request", return_value=False):  # a lost race
            response = self.client.send("PATCH", url, {"dni": "22222222"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(self.client.send("PATCH", url, {"dni": "33333333"}).status_code, 200)

    def test_delete(self):
        self.assertEqual(self.client.send("DELETE", self.url).status_code, 204)
        self.assertFalse(LoanRequest.objects.exists())
        self.assertEqual(self.client.send("DELETE", self.url).status_code, 404)

    def test_delete_requires_csrf(self):
        self.assertEqual(self.client.send("DELETE", self.url, csrf=False).status_code, 403)
        self.assertTrue(LoanRequest.objects.exists())

    def test_wrong_method_is_405(self):
        response = self.client.send("PUT", self.url, {})
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Allow"], "DELETE, GET, PATCH")
