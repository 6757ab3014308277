from django.test import TestCase

from accounts.tests.support import JsonClient, make_user, staff_client
from loans.models import LoanAction, LoanEvent, LoanRequest, LoanStatus
from loans.tests.support import make_loan


class DetailTests(TestCase):
    def setUp(self):
        self.loan = make_loan(status=LoanStatus.PENDING)
        self.url = f"/api/loans/{self.loan.pk}/"
        self.staff = make_user("revisora")
        self.client = staff_client(self.staff)

    def test_retrieve_shows_full_dni_and_is_not_cached(self):
        response = self.client.get(self.url)
        body = response.json()
        self.assertEqual((body["id"], body["dni"]), (self.loan.pk, "30123456"))
        self.assertIn("decision_reason", body)
        self.assertEqual(response["Cache-Control"], "no-store")

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
        self.assertTrue(LoanRequest.objects.live().filter(pk=self.loan.pk).exists())

    def test_patch_a_pending_request_records_who_changed_what(self):
        response = self.client.send(
            "PATCH", self.url, {"full_name": "Otra Persona", "amount": 20000, "gender": "F"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["amount"], "20000.00")
        self.loan.refresh_from_db()
        self.assertEqual(self.loan.full_name, "Otra Persona")
        self.assertEqual(self.loan.status, LoanStatus.PENDING)  # editing does not re-decide
        event = LoanEvent.objects.get(loan=self.loan)
        self.assertEqual((event.action, event.actor), (LoanAction.EDITED, "revisora"))
        self.assertEqual(
            event.changes,  # only what changed; the name masked
            {
                "full_name": {"from": "M*** J*** P***", "to": "O*** P***"},
                "amount": {"from": "150000.00", "to": "20000.00"},
            },
        )

    def test_patch_canonicalises_the_dni(self):
        response = self.client.send("PATCH", self.url, {"dni": "05678901"})
        self.assertEqual(response.json()["dni"], "5678901")

    def test_patch_rejects_read_only_unknown_and_invalid_and_writes_nothing(self):
        for body in (
            {"status": "rejected"},
            {"reviewed_at": None},
            {"x": 1},
            {"dni": "1"},
            {},
            {"full_name": "Ana \ud800"},
            {"full_name": "Ana\u202eZorro"},
        ):
            with self.subTest(body=repr(body)):
                response = self.client.send("PATCH", self.url, body)  # json.dumps escapes \ud800
                self.assertEqual(response.status_code, 400)
                self.assertIn("errors", response.json())
        refreshed = LoanRequest.objects.get(pk=self.loan.pk)
        self.assertEqual((refreshed.full_name, refreshed.dni), ("María José Pérez", "30123456"))
        self.assertFalse(LoanEvent.objects.exists())

    def test_decided_requests_are_read_only(self):
        attempts = (("PATCH", {"amount": 5000000}), ("PATCH", {"dni": "2222222"}), ("DELETE", None))
        for number, status in enumerate((LoanStatus.APPROVED, LoanStatus.REJECTED)):
            decided = make_loan(dni=str(11111111 + number), status=status)
            url = f"/api/loans/{decided.pk}/"
            for method, body in attempts:
                with self.subTest(status=status, method=method, body=body):
                    response = self.client.send(method, url, body)
                    self.assertEqual(response.status_code, 409)
                    self.assertEqual(list(response.json()["errors"]), ["__all__"])
            stored = LoanRequest.objects.get(pk=decided.pk)
            self.assertEqual(
                (stored.amount, stored.dni, stored.status, stored.deleted_at),
                (decided.amount, decided.dni, status, None),
            )
            self.assertFalse(stored.events.exists())

    def test_patch_requires_json_and_csrf(self):
        response = self.client.send("PATCH", self.url, "a=b", content_type="text/plain")
        self.assertEqual(response.status_code, 415)
        response = self.client.send("PATCH", self.url, {"gender": "X"}, csrf=False)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(LoanRequest.objects.get(pk=self.loan.pk).gender, "F")

    def test_patch_moving_a_pending_request_onto_another_pending_dni_is_409(self):
        make_loan(dni="22222222", status=LoanStatus.PENDING)
        response = self.client.send("PATCH", self.url, {"dni": "22222222"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(list(response.json()["errors"]), ["dni"])
        self.assertEqual(self.client.send("PATCH", self.url, {"dni": "33333333"}).status_code, 200)

    def test_delete_is_a_soft_delete_kept_for_the_audit_trail(self):
        self.assertEqual(self.client.send("DELETE", self.url).status_code, 204)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get("/api/loans/").json()["count"], 0)
        self.assertEqual(self.client.send("DELETE", self.url).status_code, 404)
        self.assertEqual(self.client.send("PATCH", self.url, {"gender": "X"}).status_code, 404)
        stored = LoanRequest.objects.get(pk=self.loan.pk)
        self.assertIsNotNone(stored.deleted_at)
        self.assertEqual(stored.deleted_by, self.staff)
        event = LoanEvent.objects.get(loan=stored)
        self.assertEqual((event.action, event.actor), (LoanAction.DELETED, "revisora"))

    def test_delete_requires_csrf(self):
        self.assertEqual(self.client.send("DELETE", self.url, csrf=False).status_code, 403)
        self.assertTrue(LoanRequest.objects.live().exists())

    def test_wrong_method_is_405(self):
        response = self.client.send("PUT", self.url, {})
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Allow"], "DELETE, GET, PATCH")
