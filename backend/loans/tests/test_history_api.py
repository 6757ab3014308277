from datetime import datetime

from django.test import TestCase

from accounts.tests.support import JsonClient, make_user, staff_client
from loans.models import LoanEvent


class HistoryTests(TestCase):
    def setUp(self):
        self.client = staff_client(make_user("revisora"))
        created = JsonClient().post(
            "/api/loans/",
            {
                "full_name": "Juana Pérez",
                "dni": "30123456",
                "gender": "F",
                "email": "juana@example.com",
                "amount": "2000000",
            },
            content_type="application/json",
        )
        self.loan_id = created.json()["id"]
        self.url = f"/api/loans/{self.loan_id}/history/"

    def test_every_change_oldest_first_with_personal_data_masked(self):
        self.client.send("PATCH", f"/api/loans/{self.loan_id}/", {"email": "jp@example.org"})
        self.client.send("POST", f"/api/loans/{self.loan_id}/reject/", {"reason": "Sin ingresos"})
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        results = response.json()["results"]
        self.assertEqual([event["action"] for event in results], ["created", "edited", "rejected"])
        created, edited, rejected = results
        self.assertEqual(set(created), {"id", "at", "actor", "action", "changes", "reason"})
        self.assertIsNone(created["actor"])
        self.assertEqual(created["changes"]["dni"], {"from": None, "to": "*****456"})
        self.assertEqual(created["changes"]["email"], {"from": None, "to": "j***@example.com"})
        self.assertEqual(created["changes"]["status"], {"from": None, "to": "pending"})
        self.assertTrue(created["reason"].startswith("Pendiente de revisión manual"))
        self.assertEqual(
            edited["changes"], {"email": {"from": "j***@example.com", "to": "j***@example.org"}}
        )
        self.assertEqual((edited["actor"], edited["reason"]), ("revisora", None))
        self.assertEqual(rejected["reason"], "Sin ingresos")
        self.assertLess(
            datetime.fromisoformat(created["at"]), datetime.fromisoformat(rejected["at"])
        )
        body = response.content.decode()
        for secret in ("30123456", "juana@", "jp@", "Juana"):
            self.assertNotIn(secret, body)

    def test_a_deleted_requests_trail_stays_readable(self):
        self.client.send("DELETE", f"/api/loans/{self.loan_id}/")
        actions = [event["action"] for event in self.client.get(self.url).json()["results"]]
        self.assertEqual(actions, ["created", "deleted"])

    def test_unknown_id_is_404_and_staff_only(self):
        for url in ("/api/loans/999999/history/", f"/api/loans/{2**64}/history/"):
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(JsonClient().get(self.url).status_code, 401)
        outsider = JsonClient()
        outsider.force_login(make_user("bob", is_staff=False))
        self.assertEqual(outsider.get(self.url).status_code, 403)
        self.assertEqual(self.client.send("POST", self.url).status_code, 405)

    def test_the_trail_is_append_only(self):
        event = LoanEvent.objects.get(loan_id=self.loan_id)
        event.reason = "reescrito"
        with self.assertRaises(TypeError):
            event.save()
        with self.assertRaises(TypeError):
            event.delete()
