import { describe, expect, it } from "vitest";
import { junitReportFiles, type CommandSpec } from "../src/commands";
import { junitReports } from "../src/stages/test";

describe("junitReportFiles", () => {
  it("names each JUnit file once, from Django's TEST_JUNIT_XML and vitest's --outputFile.junit", () => {
    const env = { TEST_JUNIT_XML: "/reports/backend-junit.xml" };
    const specs: CommandSpec[] = [
      { name: "tests", cwd: "backend", argv: ["python", "manage.py", "test"], env },
      { name: "coverage", cwd: "backend", argv: ["coverage", "xml"], env },
      { name: "vitest", cwd: ".", argv: ["npx", "vitest", "--outputFile.junit=/reports/ci-junit.xml"] },
      { name: "elsewhere", cwd: ".", argv: ["npx", "vitest", "--outputFile.junit=/tmp/other-junit.xml"] },
    ];
    expect(junitReportFiles(specs, "/reports")).toEqual(["backend-junit.xml", "ci-junit.xml"]);
  });

  it("lists the test step's reports, the ones the release record counts", () => {
    expect(junitReports()).toEqual([
      "backend-postgres-junit.xml",
      "frontend-junit.xml",
      "ci-junit.xml",
      "k8s-junit.xml",
      "platform-junit.xml",
      "docs-junit.xml",
    ]);
  });
});
