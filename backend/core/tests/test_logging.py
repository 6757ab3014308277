import io
import json
import logging
import sys

from django.test import TestCase

from core.log_format import JsonFormatter
from core.log_redaction import RedactPiiFilter, redact
from core.request_id import RequestIdLogFilter
from loans.tests.support import payload


def capture_handler() -> tuple[logging.Handler, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdLogFilter())
    handler.addFilter(RedactPiiFilter())
    return handler, stream


class RedactionTests(TestCase):
    def test_redact(self):
        text = redact(
            "dni 30123456, 1234567, 30.123.456 mail ana.p+x@mail.example.com.ar ok 123456"
        )
        self.assertEqual(text, "dni [dni], [dni], [dni] mail [email] ok 123456")

    def test_filter_covers_args_extras_exceptions_and_stack(self):
        handler, stream = capture_handler()
        logger = logging.getLogger("test.redaction")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        try:
            try:
                raise ValueError("Key (dni)=(30123456) conflicts for ana@example.com")
            except ValueError:
                logger.exception("failed for %s", "30123456", extra={"path": "/x/30123456/"})
            logger.info("stack", stack_info=True, extra={"note": "ana@example.com"})
        finally:
            logger.removeHandler(handler)
        output = stream.getvalue()
        self.assertNotIn("30123456", output)
        self.assertNotIn("ana@example.com", output)
        first, second = (json.loads(line) for line in output.splitlines())
        self.assertEqual(first["message"], "failed for [dni]")
        self.assertEqual(first["path"], "/x/[dni]/")
        self.assertIn("ValueError", first["exception"])
        self.assertIn("stack", second)
        self.assertEqual(first["level"], "ERROR")
        self.assertEqual(first["request_id"], "-")

    def test_end_to_end_a_failing_submission_logs_no_personal_data(self):
        """The real stdout handler from settings, around a request that logs a warning."""
        root_handler = logging.getLogger().handlers[0]
        stream = io.StringIO()
        previous_level = root_handler.level
        previous_stream = root_handler.setStream(stream)
        root_handler.setLevel(logging.DEBUG)
        logging.getLogger().setLevel(logging.DEBUG)
        try:
            data = payload(dni="27999888", email="persona@example.com")
            with self.settings(SCORING_URL="http://127.0.0.1:9/", SCORING_TIMEOUT_SECONDS=0.2):
                response = self.client.post(
                    "/api/loans/?dni=27999888", data, content_type="application/json"
                )
            self.client.get("/api/loans/?search=27999888")
        finally:
            root_handler.setStream(previous_stream or sys.stdout)
            root_handler.setLevel(previous_level)
            logging.getLogger().setLevel(previous_level)
        self.assertEqual(response.status_code, 201)
        output = stream.getvalue()
        self.assertTrue(output)
        self.assertNotIn("27999888", output)
        self.assertNotIn("persona@example.com", output)
        for line in output.splitlines():
            self.assertIn("request_id", json.loads(line))
