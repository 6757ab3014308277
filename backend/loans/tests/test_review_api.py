from django.test import TestCase

from accounts.tests.support import JsonClient, make_user, staff_client
from loans.models import LoanAction, LoanEvent, LoanRequest, LoanStatus
from loans.staff_actions import DEFAULT_REASONS
from loans.tests.support import make_loan


class ReviewTests(TestCase):
    def setUp(self):
        self.staff = make_user("revisora")
        self.client = staff_client(self.staff)
        self.loan = make_loan(status=LoanStatus.PENDING)

    def url(self, action: str, loan_id: int | None = None) -> str:
        return f"/api/loans/{loan_id or self.loan.pk}/{action}/"

    def test_approve_with_reason(self):
        response = self.client.send("POST", self.url("approve"), {"reason": " Ingresos ok "})
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], LoanStatus.APPROVED)
        self.assertEqual(body["decision_reason"], "Ingresos ok")
        self.assertEqual(body["reviewed_by"], "revisora")
        self.assertIsNotNone(body["reviewed_at"])
        self.assertEqual(response["Cache-Control"], "no-store")
        event = LoanEvent.objects.get(loan=self.loan)
        self.assertEqual(
            (event.action, event.actor, event.reason, event.changes),
            (
                LoanAction.APPROVED,
                "revisora",
                "Ingresos ok",
                {"status": {"from": "pending", "to": "approved"}},
            ),
        )

    def test_reject_without_body_uses_default_reason(self):
        response = self.client.send("POST", self.url("reject"), None, content_type="")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["decision_reason"], DEFAULT_REASONS[LoanStatus.REJECTED])

    def test_null_reason_is_default(self):
        response = self.client.send("POST", self.url("approve"), {"reason": None})
        self.assertEqual(response.json()["decision_reason"], DEFAULT_REASONS[LoanStatus.APPROVED])

    def test_decided_request_is_409(self):
        self.client.send("POST", self.url("approve"))
        for action in ("reject", "approve"):
            response = self.client.send("POST", self.url(action))
            self.assertEqual(response.status_code, 409)
        self.assertEqual(LoanRequest.objects.get().status, LoanStatus.APPROVED)
        self.assertEqual(LoanEvent.objects.count(), 1)

    def test_deleted_request_is_404(self):
        self.client.send("DELETE", f"/api/loans/{self.loan.pk}/")
        self.assertEqual(self.client.send("POST", self.url("approve")).status_code, 404)

    def test_bad_bodies_are_400_and_change_nothing(self):
        for body in (
            {"reason": 5},
            {"reason": "x" * 501},
            {"status": "approved"},
            "[1]",
            {"reason": "ok\x00"},
            {"reason": "ok\x1b[2J"},
            {"reason": "\ud83d"},
        ):
            with self.subTest(body=body):
                response = self.client.send("POST", self.url("approve"), body)
                self.assertEqual(response.status_code, 400)
        self.assertEqual(LoanRequest.objects.get().status, LoanStatus.PENDING)

    def test_missing_request_is_404(self):
        for loan_id in (999999, 2**64):
            response = self.client.send("POST", self.url("approve", loan_id))
            self.assertEqual(response.status_code, 404)

    def test_authorization_and_csrf(self):
        self.assertEqual(JsonClient().post(self.url("approve")).status_code, 401)
        outsider = JsonClient()
        outsider.force_login(make_user("bob", is_staff=False))
        self.assertEqual(outsider.post(self.url("approve")).status_code, 403)
        self.assertEqual(self.client.send("POST", self.url("approve"), csrf=False).status_code, 403)
        self.assertEqual(LoanRequest.objects.get().status, LoanStatus.PENDING)

    def test_get_is_405(self):
        self.assertEqual(self.client.get(self.url("approve")).status_code, 405)
