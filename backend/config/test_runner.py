"""
Django's test runner plus two things the pipeline needs: it prints which database engine ran
("Database: sqlite" / "Database: postgresql 15.x ..."), and when TEST_JUNIT_XML is set it
writes a JUnit XML report there (successes, failures, errors, skips, per-test time).

Why it is written here rather than installed: the pipeline and the development machine
install Python packages only from a local package index, which has no JUnit reporter for
unittest/Django (unittest-xml-reporting and the like are not in it). See
ADR 0005 in docs/adr/. If such a package becomes available, this module
should give way to it.
"""

import os
import time
import traceback
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

from django.db import connection
from django.test.runner import DiscoverRunner


class RecordingResult(unittest.TextTestResult):
    """A TextTestResult that also keeps (test id, outcome, detail, seconds) for the report."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.records: list[tuple[str, str, str, float]] = []
        self._started: dict[str, float] = {}

    def startTest(self, test):
        self._started[test.id()] = time.perf_counter()
        super().startTest(test)

    def _record(self, test, outcome: str, detail: str = "") -> None:
        started = self._started.get(test.id())
        seconds = time.perf_counter() - started if started else 0.0
        self.records.append((test.id(), outcome, detail, seconds))

    def _format(self, err) -> str:
        return "".join(traceback.format_exception(*err))

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "success")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failure", self._format(err))

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "error", self._format(err))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped", reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "success")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "failure", "unexpected success")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            outcome = "failure" if issubclass(err[0], test.failureException) else "error"
            self._record(subtest, outcome, self._format(err))


def junit_xml(records: list[tuple[str, str, str, float]], suite_name: str) -> ET.ElementTree:
    counts = dict.fromkeys(("failure", "error", "skipped"), 0)
    suite = ET.Element("testsuite", name=suite_name)
    for test_id, outcome, detail, seconds in records:
        classname, _, name = test_id.rpartition(".")
        case = ET.SubElement(
            suite, "testcase", classname=classname, name=name or test_id, time=f"{seconds:.3f}"
        )
        if outcome in counts:
            counts[outcome] += 1
            first_line = detail.strip().splitlines()[-1] if detail.strip() else outcome
            element = ET.SubElement(case, outcome, message=first_line[:500])
            element.text = detail
    suite.set("tests", str(len(records)))
    suite.set("failures", str(counts["failure"]))
    suite.set("errors", str(counts["error"]))
    suite.set("skipped", str(counts["skipped"]))
    suite.set("time", f"{sum(record[3] for record in records):.3f}")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.ElementTree(root)


def database_description() -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150008
        host = connection.settings_dict["HOST"] or "local socket"
        return f"postgresql {version // 10000}.{version % 10000} ({host})"
    return connection.vendor


class JUnitDiscoverRunner(DiscoverRunner):
    def get_resultclass(self):
        return super().get_resultclass() or RecordingResult

    def setup_databases(self, **kwargs):
        databases = super().setup_databases(**kwargs)
        print(f"Database: {database_description()}", flush=True)
        return databases

    def run_suite(self, suite, **kwargs):
        result = super().run_suite(suite, **kwargs)
        path = os.environ.get("TEST_JUNIT_XML", "").strip()
        if path and isinstance(result, RecordingResult):
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            suite_name = f"backend ({connection.vendor})"
            junit_xml(result.records, suite_name).write(
                target, encoding="utf-8", xml_declaration=True
            )
            print(f"JUnit XML written to {target}", flush=True)
        return result
