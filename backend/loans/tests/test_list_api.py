from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from accounts.tests.support import JsonClient, make_user, staff_client
from loans.models import LoanRequest, LoanStatus
from loans.tests.support import make_loan

URL = "/api/loans/"


class ListAuthorizationTests(TestCase):
    def test_anonymous_is_401(self):
        self.assertEqual(JsonClient().get(URL).status_code, 401)

    def test_non_staff_is_403(self):
        client = JsonClient()
        client.force_login(make_user("bob", is_staff=False))
        response = client.get(URL)
        self.assertEqual(response.status_code, 403)
        self.assertIn("__all__", response.json()["errors"])


class ListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        rows = [
            ("Carla Díaz", "30000001", "50000", LoanStatus.APPROVED, "carla@example.com"),
            ("Ana Benítez", "20000002", "20000", LoanStatus.PENDING, "ana@example.com"),
            ("Bruno Acosta", "40000003", "900000", LoanStatus.REJECTED, "bruno@correo.ar"),
        ]
        for age, (name, dni, amount, status, email) in enumerate(rows):
            loan = make_loan(full_name=name, dni=dni, amount=amount, status=status, email=email)
            LoanRequest.objects.filter(pk=loan.pk).update(created_at=now - timedelta(hours=age))

    def setUp(self):
        self.client = staff_client()

    def names(self, query: str = "") -> list[str]:
        response = self.client.get(URL + query)
        self.assertEqual(response.status_code, 200, response.content)
        return [row["full_name"] for row in response.json()["results"]]

    def test_default_page_newest_first_with_masked_dni(self):
        body = self.client.get(URL).json()
        self.assertEqual(
            {key: body[key] for key in ("count", "page", "page_size", "num_pages")},
            {"count": 3, "page": 1, "page_size": 20, "num_pages": 1},
        )
        self.assertEqual(
            [row["full_name"] for row in body["results"]],
            ["Carla Díaz", "Ana Benítez", "Bruno Acosta"],
        )
        self.assertEqual(body["results"][0]["dni"], "*****001")
        for dni in ("30000001", "20000002", "40000003"):
            self.assertNotIn(dni, self.client.get(URL).content.decode())
        self.assertEqual(
            set(body["results"][0]),
            {
                "id", "full_name", "dni", "gender", "email", "amount", "status",
                "decision_reason", "created_at", "updated_at", "reviewed_by", "reviewed_at",
            },
        )  # fmt: skip

    def test_staff_responses_are_not_stored_by_caches(self):
        self.assertEqual(self.client.get(URL)["Cache-Control"], "no-store")

    def test_page_and_count_come_from_one_query(self):
        self.client.get(URL)  # the session and the user are loaded once per request
        with self.assertNumQueries(3):  # session, user, page with its count
            body = self.client.get(URL + "?page_size=2&page=2").json()
        self.assertEqual((body["count"], len(body["results"])), (3, 1))

    def test_deleted_requests_are_not_listed(self):
        LoanRequest.objects.filter(full_name="Ana Benítez").update(deleted_at=timezone.now())
        self.assertEqual(self.names(), ["Carla Díaz", "Bruno Acosta"])
        self.assertEqual(self.client.get(URL).json()["count"], 2)

    def test_pagination(self):
        body = self.client.get(URL + "?page=2&page_size=2").json()
        self.assertEqual((body["count"], body["num_pages"], len(body["results"])), (3, 2, 1))

    def test_empty_list_has_one_page(self):
        LoanRequest.objects.update(deleted_at=timezone.now())
        body = self.client.get(URL).json()
        self.assertEqual((body["count"], body["num_pages"], body["results"]), (0, 1, []))

    def test_ordering(self):
        self.assertEqual(
            self.names("?ordering=full_name"), ["Ana Benítez", "Bruno Acosta", "Carla Díaz"]
        )
        self.assertEqual(self.names("?ordering=-amount")[0], "Bruno Acosta")
        self.assertEqual(self.names("?ordering=dni")[0], "Ana Benítez")
        self.assertEqual(self.names("?ordering=created_at")[0], "Bruno Acosta")
        self.assertEqual(self.names("?ordering=status")[0], "Carla Díaz")

    def test_status_filter_and_search(self):
        self.assertEqual(self.names("?status=pending"), ["Ana Benítez"])
        self.assertEqual(self.names("?search=bruno"), ["Bruno Acosta"])
        self.assertEqual(self.names("?search=correo.ar"), ["Bruno Acosta"])
        self.assertEqual(self.names("?search=3000"), ["Carla Díaz"])
        self.assertEqual(self.names("?search=%20%20"), self.names())
        self.assertEqual(self.names("?search=nadie&status=approved"), [])
        self.assertEqual(self.names("?search=ANA%20BEN&status=pending"), ["Ana Benítez"])

    def test_search_wildcards_are_literal(self):
        for query in ("?search=%25", "?search=_", "?search=%5C", "?search=3%25"):
            with self.subTest(query=query):
                self.assertEqual(self.names(query), [])

    def test_bad_parameters_are_400(self):
        cases = {
            "?page_size=101": "page_size",
            "?page_size=0": "page_size",
            "?page_size=abc": "page_size",
            "?page=-1": "page",
            "?page=1.5": "page",
            "?page=²": "page",
            "?ordering=email": "ordering",
            "?ordering=--amount": "ordering",
            "?status=open": "status",
            "?search=" + "x" * 101: "search",
            "?search=%00": "search",
            "?status=pending%00": "status",
        }
        for query, field in cases.items():
            with self.subTest(query=query):
                response = self.client.get(URL + query)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json()["errors"])

    def test_page_past_the_end_is_404(self):
        response = self.client.get(URL + "?page=5")
        self.assertEqual(response.status_code, 404)
        self.assertIn("page", response.json()["errors"])
