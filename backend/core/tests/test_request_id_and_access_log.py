import logging

from django.test import TestCase

from core.request_id import HEADER, RequestIdLogFilter, choose_request_id, current_request_id


class RequestIdTests(TestCase):
    def test_sane_incoming_id_is_echoed(self):
        response = self.client.get("/api/loans/rules/", headers={HEADER: "abc-123.XYZ:9"})
        self.assertEqual(response[HEADER], "abc-123.XYZ:9")

    def test_insane_ids_are_replaced(self):
        for incoming in ("", "short", "x" * 129, "bad id with spaces", "a\nb" * 5):
            with self.subTest(incoming=incoming):
                chosen = choose_request_id(incoming)
                self.assertNotEqual(chosen, incoming)
                self.assertEqual(len(chosen), 32)
        response = self.client.get("/api/loans/rules/", headers={HEADER: "<script>alert</script>"})
        self.assertEqual(len(response[HEADER]), 32)

    def test_filter_uses_context_then_request_then_dash(self):
        log_filter = RequestIdLogFilter()
        record = logging.LogRecord("x", logging.INFO, "", 0, "msg", (), None)
        log_filter.filter(record)
        self.assertEqual(record.request_id, "-")
        token = current_request_id.set("ctx-id-0001")
        try:
            record = logging.LogRecord("x", logging.INFO, "", 0, "msg", (), None)
            log_filter.filter(record)
            self.assertEqual(record.request_id, "ctx-id-0001")
        finally:
            current_request_id.reset(token)


class AccessLogTests(TestCase):
    def test_one_line_per_request_without_query_string(self):
        with self.assertLogs("access", "INFO") as logs:
            response = self.client.get(
                "/api/loans/?search=secret@example.com", headers={HEADER: "req-id-12345"}
            )
        record = logs.records[0]
        self.assertEqual(record.method, "GET")
        self.assertEqual(record.path, "/api/loans/")
        self.assertEqual(record.status, response.status_code)
        self.assertGreaterEqual(record.duration_ms, 0)
        self.assertNotIn("secret", record.getMessage())
