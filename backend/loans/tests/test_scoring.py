import json
from decimal import Decimal

from django.test import SimpleTestCase

from loans.models import LoanStatus
from loans.scoring import DEFAULT_REASONS, ScoringUnavailable, parse_decision, request_decision
from loans.tests.support import ScoringDouble, decision_body

ARGS = {"dni": "30123456", "gender": "F", "amount": Decimal("150000")}


class ScoringClientTests(SimpleTestCase):
    def test_success_sends_minimal_data(self):
        with ScoringDouble(body=decision_body("rejected", "Score bajo")) as double:
            decision = request_decision(double.url, 2, **ARGS)
        self.assertEqual((decision.status, decision.reason), (LoanStatus.REJECTED, "Score bajo"))
        self.assertEqual(
            double.received, [{"dni": "30123456", "gender": "F", "amount": "150000.00"}]
        )

    def test_timeout(self):
        with ScoringDouble(body=decision_body("approved"), delay=1.0) as double:
            with self.assertRaises(ScoringUnavailable):
                request_decision(double.url, 0.2, **ARGS)

    def test_server_error(self):
        with ScoringDouble(status=500, body=b"{}") as double:
            with self.assertRaisesMessage(ScoringUnavailable, "HTTP 500"):
                request_decision(double.url, 2, **ARGS)

    def test_non_200_success_status(self):
        with ScoringDouble(status=202, body=decision_body("approved")) as double:
            with self.assertRaisesMessage(ScoringUnavailable, "HTTP 202"):
                request_decision(double.url, 2, **ARGS)

    def test_malformed_response(self):
        with ScoringDouble(body=b"<html>oops") as double:
            with self.assertRaisesMessage(ScoringUnavailable, "not JSON"):
                request_decision(double.url, 2, **ARGS)

    def test_oversized_response(self):
        with ScoringDouble(body=b" " * (64 * 1024 + 10)) as double:
            with self.assertRaisesMessage(ScoringUnavailable, "too large"):
                request_decision(double.url, 2, **ARGS)

    def test_connection_refused(self):
        double = ScoringDouble()
        url = double.url
        double.server.server_close()  # nothing listens there any more
        with self.assertRaises(ScoringUnavailable):
            request_decision(url, 1, **ARGS)

    def test_refuses_non_http_urls(self):
        with self.assertRaisesMessage(ScoringUnavailable, "http(s)"):
            request_decision("file:///etc/passwd", 1, **ARGS)


class ParseDecisionTests(SimpleTestCase):
    def test_invalid_shapes(self):
        for raw in (b"[]", b'{"decision": "maybe"}', b"{}", b"\xff"):
            with self.subTest(raw=raw), self.assertRaises(ScoringUnavailable):
                parse_decision(raw)

    def test_missing_or_bad_reason_gets_a_default(self):
        bodies = [
            {"decision": "approved"},
            {"decision": "approved", "reason": ""},
            {"decision": "approved", "reason": 5},
            {"decision": "approved", "reason": "x" * 501},
        ]
        for body in bodies:
            with self.subTest(body=body):
                decision = parse_decision(json.dumps(body).encode())
                self.assertEqual(decision.reason, DEFAULT_REASONS[LoanStatus.APPROVED])
