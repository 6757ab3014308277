/**
 * The Dockerfile linter: every rule fires on a small bad Dockerfile and stays quiet on a
 * good one, and both project Dockerfiles pass. No Docker needed ("platform" project).
 * What Trivy checks in Dockerfiles is proven in ci/test/manifests/trivy.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_VERSIONS } from "../support/docker";
import { PROJECT_DOCKERFILES, RULES, expandArgs, lintDockerfile, type RuleId } from "./dockerfile-lint";

const GOOD_TAIL = `USER 10001:10001
HEALTHCHECK CMD ["true"]
CMD ["app"]
`;

/** A minimal passing Dockerfile with `body` in its single stage. */
const stage = (body: string): string => `FROM debian:bookworm-slim\n${body}\n${GOOD_TAIL}`;

const rulesOf = (text: string): RuleId[] => lintDockerfile(text).map((f) => f.rule as RuleId);

const cases: { rule: RuleId; bad: string; good: string }[] = [
  { rule: "DL3006", bad: `FROM python\n${GOOD_TAIL}`, good: `FROM python:3.13-slim-bookworm\n${GOOD_TAIL}` },
  {
    rule: "DL3006",
    bad: `ARG REGISTRY=\nFROM \${REGISTRY}/python:3.13\n${GOOD_TAIL}`,
    good: `ARG REGISTRY=localhost:5000\nFROM \${REGISTRY}/python:3.13\n${GOOD_TAIL}`,
  },
  {
    rule: "DL3006",
    bad: `ARG IMAGE=python\nFROM \${IMAGE}\n${GOOD_TAIL}`,
    good: `ARG IMAGE=python@sha256:${"a".repeat(64)}\nFROM \${IMAGE}\n${GOOD_TAIL}`,
  },
  {
    rule: "from-unresolved",
    bad: `ARG TAG\nFROM node:\${TAG}\n${GOOD_TAIL}`,
    good: `ARG TAG=24\nFROM node:\${TAG}\n${GOOD_TAIL}`,
  },
  { rule: "DL3002", bad: `FROM debian:bookworm\nHEALTHCHECK CMD ["true"]\nCMD ["a"]`, good: stage("") },
  { rule: "DL3002", bad: `FROM debian:bookworm\nUSER app\nHEALTHCHECK CMD ["true"]\nCMD ["a"]`, good: stage("") },
  { rule: "DL3002", bad: `FROM debian:bookworm\nUSER 0\nHEALTHCHECK CMD ["true"]\nCMD ["a"]`, good: stage("") },
  { rule: "DL3002", bad: `FROM debian:bookworm\nUSER 10001:app\nHEALTHCHECK CMD ["true"]\nCMD ["a"]`, good: stage("") },
  {
    rule: "DL3002",
    bad: `FROM debian:bookworm\nUSER 10001\nUSER root\nHEALTHCHECK CMD ["true"]\nCMD ["a"]`,
    good: `FROM debian:bookworm\nUSER root\nRUN true\nUSER 10001\nHEALTHCHECK CMD ["true"]\nCMD ["a"]`,
  },
  { rule: "DL3025", bad: `FROM debian:bookworm\nUSER 1\nHEALTHCHECK CMD ["true"]\nCMD app --serve`, good: stage("") },
  {
    rule: "DL3025",
    bad: `FROM debian:bookworm\nUSER 1\nHEALTHCHECK CMD ["true"]\nENTRYPOINT app\nCMD ["a"]`,
    good: stage(""),
  },
  {
    rule: "DL3025",
    bad: `FROM debian:bookworm\nUSER 1\nHEALTHCHECK --interval=5s CMD curl -f http://x/\nCMD ["a"]`,
    good: `FROM debian:bookworm\nUSER 1\nHEALTHCHECK --interval=5s CMD ["curl", "-f", "http://x/"]\nCMD ["a"]`,
  },
  { rule: "no-secrets", bad: stage("ENV DB_PASSWORD=hunter2"), good: stage("ENV DB_HOST=db") },
  { rule: "no-secrets", bad: stage("ARG NPM_TOKEN"), good: stage("ARG NPM_REGISTRY_HOST") },
  {
    rule: "no-secrets",
    bad: stage("ENV DJANGO_SECRET_KEY=abc"),
    good: stage("ENV DJANGO_SECRET_KEY_FILE=/run/secrets/key"),
  },
  {
    rule: "no-secrets",
    bad: stage("ARG AWS_ACCESS_KEY=x"),
    good: stage("ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D"),
  },
  {
    rule: "no-secrets",
    bad: stage("ARG MIRROR=https://bob:s3cret@mirror.example/simple"),
    good: stage("ARG MIRROR=https://mirror.example/simple"),
  },
  {
    rule: "index-url-runtime",
    bad: stage("ENV PIP_INDEX_URL=https://mirror.example/simple"),
    good: `FROM python:3.13-slim AS build\nARG PIP_INDEX_URL\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt\nFROM python:3.13-slim\n${GOOD_TAIL}`,
  },
  {
    rule: "index-url-runtime",
    bad: stage("ARG PIP_INDEX_URL"),
    good: stage("ARG PYTHON_VERSION"),
  },
  {
    rule: "DL3008",
    bad: stage("RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"),
    good: stage(
      "RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*",
    ),
  },
  {
    rule: "DL3009",
    bad: stage("RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10"),
    good: stage(
      "RUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10 \\\n && rm -rf /var/lib/apt/lists/*",
    ),
  },
  {
    rule: "DL3042",
    bad: stage("RUN pip install -r requirements.txt"),
    good: stage("RUN pip install --no-cache-dir -r requirements.txt"),
  },
  {
    rule: "DL3042",
    bad: stage("RUN /opt/venv/bin/python -m pip install -r requirements.txt"),
    good: stage(
      "RUN --mount=type=cache,target=/root/.cache/pip /opt/venv/bin/python -m pip install -r requirements.txt",
    ),
  },
  {
    rule: "DL3013",
    bad: stage("RUN pip install --no-cache-dir django"),
    good: stage("RUN pip install --no-cache-dir django==5.2.17"),
  },
  {
    rule: "DL3022",
    bad: `FROM node:24-slim AS build\nFROM nginx:1.28\nCOPY --from=bulid /dist /html\n${GOOD_TAIL}`,
    good: `FROM node:24-slim AS build\nFROM nginx:1.28\nCOPY --from=build /dist /html\n${GOOD_TAIL}`,
  },
  {
    rule: "DL4006",
    bad: stage("RUN curl -fsS https://x.example/a | tar -x"),
    good: `FROM debian:bookworm\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsS https://x.example/a | tar -x\n${GOOD_TAIL}`,
  },
];

describe("dockerfile lint rules", () => {
  it("has a test case for every rule", () => {
    const covered = new Set(cases.map((c) => c.rule));
    expect(Object.keys(RULES).filter((rule) => !covered.has(rule as RuleId))).toEqual([]);
  });

  it.each(cases.map((c, i) => [`${c.rule} #${i}`, c] as const))("%s fires on the bad file only", (_name, c) => {
    expect(rulesOf(c.bad)).toContain(c.rule);
    expect(rulesOf(c.good)).not.toContain(c.rule);
  });

  it("reports line numbers", () => {
    const findings = lintDockerfile(stage("ENV API_TOKEN=x"));
    expect(findings).toEqual([expect.objectContaining({ rule: "no-secrets", line: 2 })]);
  });

  it("expands ARG defaults like the builder does", () => {
    const vars = new Map([["V", "3.13"]]);
    expect(expandArgs("python:${V}-slim", vars).value).toBe("python:3.13-slim");
    expect(expandArgs("python:$V", vars).value).toBe("python:3.13");
    expect(expandArgs("python:${W:-3.12}", vars).value).toBe("python:3.12");
    expect(expandArgs("python:${W}", vars).missing).toEqual(["W"]);
  });
});

describe("project Dockerfiles", () => {
  it.each(PROJECT_DOCKERFILES.map((file) => [file.split("/").at(-1), file] as const))("%s passes", (_name, file) => {
    expect(lintDockerfile(readFileSync(file, "utf8"))).toEqual([]);
  });

  it("default base-image versions match tests/support/docker.ts", () => {
    const backend = readFileSync(PROJECT_DOCKERFILES[0] as string, "utf8");
    const frontend = readFileSync(PROJECT_DOCKERFILES[1] as string, "utf8");
    expect(backend).toContain(`ARG PYTHON_VERSION=${DEFAULT_VERSIONS.PYTHON_VERSION}\n`);
    expect(frontend).toContain(`ARG NODE_VERSION=${DEFAULT_VERSIONS.NODE_VERSION}\n`);
    expect(frontend).toContain(`ARG NGINX_VERSION=${DEFAULT_VERSIONS.NGINX_VERSION}\n`);
  });

  it("backend: the index URL reaches only the builder's install step", () => {
    const text = readFileSync(PROJECT_DOCKERFILES[0] as string, "utf8");
    const finalStage = text.slice(text.lastIndexOf("\nFROM "));
    expect(finalStage).not.toMatch(/PIP_INDEX_URL/);
    expect(text).not.toMatch(/^ENV[^\n]*PIP_INDEX_URL/m);
  });
});
