import io
import os
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase

from config.test_runner import JUnitDiscoverRunner, RecordingResult, database_description


def sample_case() -> type[unittest.TestCase]:
    """Built on demand so the real test discovery does not pick it up."""

    class Sample(unittest.TestCase):
        def test_pass(self):
            pass

        def test_fail(self):
            self.assertEqual(1, 2)

        def test_error(self):
            raise RuntimeError("boom")

        @unittest.skip("not today")
        def test_skip(self):
            pass

        @unittest.expectedFailure
        def test_expected_failure(self):
            self.assertEqual(1, 2)

        @unittest.expectedFailure
        def test_unexpected_success(self):
            pass

        def test_subtests(self):
            for value in (1, 2):
                with self.subTest(value=value):
                    self.assertEqual(value, 1)

    return Sample


class JUnitRunnerTests(SimpleTestCase):
    def test_writes_junit_xml_with_every_outcome(self):
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "nested" / "junit.xml"
            runner = JUnitDiscoverRunner(verbosity=0)
            suite = unittest.defaultTestLoader.loadTestsFromTestCase(sample_case())
            with (
                mock.patch.dict(os.environ, {"TEST_JUNIT_XML": str(target)}),
                mock.patch("sys.stderr", io.StringIO()),
                mock.patch("sys.stdout", io.StringIO()),
            ):
                result = runner.run_suite(suite)
            self.assertIsInstance(result, RecordingResult)
            suite_element = ET.parse(target).getroot().find("testsuite")
        self.assertEqual(suite_element.get("failures"), "3")  # fail, unexpected success, subtest
        self.assertEqual(suite_element.get("errors"), "1")
        self.assertEqual(suite_element.get("skipped"), "1")
        names = {case.get("name") for case in suite_element.iter("testcase")}
        self.assertIn("test_pass", names)
        failure = suite_element.find("testcase/failure")
        self.assertIn("AssertionError", failure.text)

    def test_database_description(self):
        self.assertIn(database_description().split()[0], ("sqlite", "postgresql"))
        with mock.patch("config.test_runner.connection") as connection:
            connection.vendor = "postgresql"
            connection.pg_version = 150008
            connection.settings_dict = {"HOST": ""}
            self.assertEqual(database_description(), "postgresql 15.8 (local socket)")
