import json

from django.test import TestCase, override_settings

from accounts.tests.support import JsonClient, staff_client
from loans.models import LoanRequest
from loans.tests.support import make_loan, payload


@override_settings(ROOT_URLCONF="config.benchmark_urls")
class BenchmarkFloorTests(TestCase):
    def test_insert_floor_stores_one_row(self):
        response = JsonClient().post(
            "/api/bench/insert-floor/", json.dumps(payload()), content_type="application/json"
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(LoanRequest.objects.get().pk, response.json()["id"])

    def test_select_floor_reads_twenty_rows_for_staff(self):
        for number in range(25):
            make_loan(dni=str(30000000 + number))
        client = staff_client()
        with self.assertNumQueries(3):  # session, user, the SELECT
            response = client.get("/api/bench/select-floor/")
        self.assertEqual(len(response.json()["results"]), 20)
        self.assertEqual(JsonClient().get("/api/bench/select-floor/").status_code, 401)

    def test_the_api_is_still_there(self):
        self.assertEqual(JsonClient().get("/api/loans/rules/").status_code, 200)

    def test_floors_exist_only_in_the_benchmark_settings(self):
        with override_settings(ROOT_URLCONF="config.urls"):
            self.assertEqual(JsonClient().get("/api/bench/select-floor/").status_code, 404)
