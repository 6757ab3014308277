/**
 * Contract tests of the release and scan stages: the real stage functions, driven through
 * the real SDK against the engine double. Assertions are on the GraphQL queries sent.
 */
import { dag } from "@dagger.io/dagger";
import { afterEach, describe, expect, it } from "vitest";

import { COSIGN_IMAGE, TRIVY_IMAGE } from "../../src/images";
import { decidePromotion } from "../../src/release/promotion";
import { serializeRecord } from "../../src/release/record";
import { sbomArgs, vulnerabilityScanArgs } from "../../src/scan/trivy-commands";
import { publishRecord, readRecord, recordFile, signImages, type RegistryAuth } from "../../src/stages/release";
import { scanImages } from "../../src/stages/scan";
import { fixture } from "../fixtures";
import { DEV_DEPLOYMENT, devRecord, digestOf, publishedRefs, REGISTRY, TREE } from "../release/fixtures";
import { EngineDouble, type EngineDoubleOptions, type RecordedQuery, type Step } from "./engine-double";
import { session } from "./session";

const PASSWORD = "registry-password-KNOWN-release-5e1d";
const COSIGN_KEY =
  "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nKNOWN-cosign-key\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
const COSIGN_PASSWORD = "cosign-password-KNOWN-77";
const RECORD_REF = `${REGISTRY}/releases:tree-${TREE}`;

let double: EngineDouble | undefined;
async function startDouble(options: EngineDoubleOptions = {}): Promise<EngineDouble> {
  double = new EngineDouble(options);
  await double.start();
  return double;
}
afterEach(async () => {
  await double?.stop();
  double = undefined;
});

const auth = (): RegistryAuth => ({
  registry: REGISTRY,
  username: "octocat",
  password: dag.setSecret("registry-password", PASSWORD),
});

function steps(q: RecordedQuery, field: string): Step[] {
  return q.path.filter((s) => s.field === field);
}

/** The chain of the single query with this leaf, rendered. */
function onlyLeaf(d: EngineDouble, leaf: string): { query: RecordedQuery; text: string } {
  const queries = d.queries.filter((q) => q.leaf === leaf);
  expect(queries, `queries with leaf ${leaf}`).toHaveLength(1);
  const query = queries[0] as RecordedQuery;
  return { query, text: d.render(query.path) };
}

/** A plaintext may appear only in the query that creates its secret. */
function onlyInSetSecret(d: EngineDouble, plaintext: string): void {
  const carrying = d.queries.filter((q) => q.text.includes(plaintext));
  expect(carrying.length).toBeGreaterThan(0);
  for (const q of carrying) expect([q.path[0]?.field, q.leaf]).toEqual(["setSecret", "id"]);
}

describe("publishRecord", () => {
  it("pushes release.json as a one-file image to <registry>/releases:tree-<hash> with the registry credentials", async () => {
    const d = await startDouble();
    const record = devRecord();
    const published = await session(() => publishRecord(record, auth()));

    expect(published).toMatch(new RegExp(`^${RECORD_REF.replace(/[.]/g, "\\.")}@sha256:[0-9a-f]{64}$`));
    const { query, text } = onlyLeaf(d, "publish");
    expect(query.path.at(-1)?.args.address).toBe(RECORD_REF);
    expect(query.path[0]).toEqual({ field: "container", args: {} });
    expect(steps(query, "from")).toEqual([]);
    const file = steps(query, "withNewFile")[0];
    expect(file?.args.path).toBe("/release.json");
    expect(file?.args.contents).toBe(serializeRecord(record));
    expect(file?.args.permissions).toBe(0o444);
    expect(text).toContain(`withLabel(name: "org.opencontainers.image.revision", value: "${record.git.commit}")`);
    const registryAuth = steps(query, "withRegistryAuth")[0];
    expect(registryAuth?.args.address).toBe("ghcr.io");
    expect(registryAuth?.args.username).toBe("octocat");
    expect(d.render(d.chainOf(String(registryAuth?.args.secret)))).toBe(
      `setSecret(name: "registry-password", plaintext: "${PASSWORD}")`,
    );
    onlyInSetSecret(d, PASSWORD);
    expect(d.refusals).toEqual([]);
  });

  it.each([
    [
      "a failed dev deploy",
      devRecord({ deployment: { ...DEV_DEPLOYMENT, outcome: "failed", smokeTest: "not-run" } }),
      /dev failed/,
    ],
    ["a run that did not deploy", devRecord({ deployment: undefined }), /not deployed to dev/],
  ])("refuses to move the tag to %s, before any engine work", async (_case, record, message) => {
    const d = await startDouble();
    await expect(session(() => publishRecord(record, auth()))).rejects.toThrow(message);
    expect(d.queries.filter((q) => q.leaf !== "id")).toEqual([]);
  });
});

describe("readRecord", () => {
  it("pulls the record image by tree hash and reads release.json, which promotion then accepts", async () => {
    const text = serializeRecord(devRecord());
    const d = await startDouble({
      contentsFor: (chain) =>
        chain.some((s) => s.field === "from" && s.args.address === RECORD_REF) ? text : undefined,
    });
    const lookup = await session(() => readRecord(auth(), TREE.toUpperCase()));

    expect(lookup).toEqual({ found: true, text });
    const { query } = onlyLeaf(d, "contents");
    expect(query.path.map((s) => s.field)).toEqual(["container", "withRegistryAuth", "from", "file", "contents"]);
    expect(steps(query, "file")[0]?.args.path).toBe("/release.json");
    onlyInSetSecret(d, PASSWORD);
    expect(decidePromotion({ tree: TREE, registry: REGISTRY, lookup })).toMatchObject({
      promote: true,
      backend: `${REGISTRY}/backend@${digestOf(`${REGISTRY}/backend`)}`,
    });
  });

  it("reads a missing tag as no record, which promotion refuses", async () => {
    await startDouble({
      contentsFor: () => {
        throw new Error(`failed to resolve source metadata for ${RECORD_REF}: not found`);
      },
    });
    const lookup = await session(() => readRecord(auth(), TREE));
    expect(lookup).toEqual({ found: false });
    expect(decidePromotion({ tree: TREE, registry: REGISTRY, lookup })).toMatchObject({
      promote: false,
      code: "no-record",
    });
  });

  it("fails loudly on an authentication error instead of reading it as no record", async () => {
    await startDouble({
      contentsFor: () => {
        throw new Error("failed to authorize: 401 Unauthorized");
      },
    });
    await expect(session(() => readRecord(auth(), TREE))).rejects.toThrow(
      `could not read the release record ${RECORD_REF}: failed to authorize: 401 Unauthorized`,
    );
  });

  it("rejects a bad tree hash before any engine work", async () => {
    const d = await startDouble();
    await expect(session(() => readRecord(auth(), "main"))).rejects.toThrow(/not a git tree hash/);
    expect(d.queries.filter((q) => q.leaf !== "id")).toEqual([]);
  });
});

describe("recordFile", () => {
  it("returns release.json as a File", async () => {
    const d = await startDouble();
    const record = devRecord();
    const id = await session(() => recordFile(record).id());
    expect(d.chainOf(id)).toEqual([
      { field: "file", args: { name: "release.json", contents: serializeRecord(record) } },
    ]);
  });
});

describe("signImages", () => {
  it("signs each image once, by digest, in the pinned cosign image, with every credential as a Secret", async () => {
    const d = await startDouble();
    const refs = [...publishedRefs("backend"), ...publishedRefs("frontend")];
    await session(() =>
      signImages(refs, auth(), {
        key: dag.setSecret("cosign-key", COSIGN_KEY),
        password: dag.setSecret("cosign-password", COSIGN_PASSWORD),
      }),
    );
    const { query, text } = onlyLeaf(d, "sync");
    expect(steps(query, "from")[0]?.args.address).toBe(COSIGN_IMAGE);
    const exec = steps(query, "withExec")[0];
    expect(exec?.args.args).toEqual([
      "sign",
      "--yes",
      "--key",
      "/run/secrets/cosign.key",
      `${REGISTRY}/backend@${digestOf(`${REGISTRY}/backend`)}`,
      `${REGISTRY}/frontend@${digestOf(`${REGISTRY}/frontend`)}`,
    ]);
    expect(exec?.args.useEntrypoint).toBe(true);
    expect(exec?.args.expect).toBeUndefined();
    const mount = steps(query, "withMountedSecret")[0];
    expect(mount?.args.path).toBe("/run/secrets/cosign.key");
    expect(d.render(d.chainOf(String(mount?.args.source)))).toContain('setSecret(name: "cosign-key"');
    expect(text).toContain('withEnvVariable(name: "COSIGN_REGISTRY_USERNAME", value: "octocat")');
    expect(text).toContain(
      'withSecretVariable(name: "COSIGN_REGISTRY_PASSWORD", secret: <setSecret(name: "registry-password"',
    );
    expect(text).toContain('withSecretVariable(name: "COSIGN_PASSWORD", secret: <setSecret(name: "cosign-password"');
    for (const plaintext of [PASSWORD, "KNOWN-cosign-key", COSIGN_PASSWORD]) onlyInSetSecret(d, plaintext);
    expect(d.queries.some((q) => q.leaf === "plaintext")).toBe(false);
  });

  it("uses an empty key password when none is given, and refuses references without digest first", async () => {
    const d = await startDouble();
    await session(() => signImages(publishedRefs("backend"), auth(), { key: dag.setSecret("cosign-key", COSIGN_KEY) }));
    expect(onlyLeaf(d, "sync").text).toContain('withEnvVariable(name: "COSIGN_PASSWORD", value: "")');

    d.reset();
    await expect(
      session(() =>
        signImages([`${REGISTRY}/backend:1a2b3c4`], auth(), { key: dag.setSecret("cosign-key", COSIGN_KEY) }),
      ),
    ).rejects.toThrow(/has no sha256 digest/);
    expect(d.queries.filter((q) => q.leaf !== "id")).toEqual([]);
  });
});

describe("scanImages", () => {
  const reports: Record<string, string> = {
    "/scan/backend-trivy.json": fixture("trivy/fixable-high.json"),
    "/scan/frontend-trivy.json": fixture("trivy/clean.json"),
    "/scan/backend.cdx.json": fixture("cyclonedx/small.cdx.json"),
    "/scan/frontend.cdx.json": fixture("cyclonedx/small.cdx.json"),
  };
  const contentsFor = (chain: readonly Step[]) => reports[String(chain.at(-1)?.args.path)];
  const images = () => ({
    backend: dag.container().from("registry.test/prestamos/backend:1"),
    frontend: dag.container().from("registry.test/prestamos/frontend:1"),
  });

  it("runs the pinned Trivy on each image's tarball, a report and an SBOM each, and reads the verdicts", async () => {
    const d = await startDouble({ contentsFor, delayFor: (leaf) => (leaf === "contents" ? 60 : 1) });
    const result = await session(async () => {
      const r = await scanImages(images(), "2026-05-01");
      return { scans: r.scans, artifacts: await r.artifacts.id() };
    });

    expect(result.scans.backend).toMatchObject({
      verdict: "failed",
      blocking: [{ id: "CVE-2099-2001" }, { id: "CVE-2099-1001" }],
    });
    expect(result.scans.frontend).toMatchObject({
      verdict: "passed",
      sbom: { format: "CycloneDX", specVersion: "1.6", components: 2 },
    });
    expect(result.scans.backend.sbom.digest).toBe(digestOf(fixture("cyclonedx/small.cdx.json")));

    for (const image of ["backend", "frontend"] as const) {
      const tarball = `/scan/${image}.tar`;
      const report = d.queries.find(
        (q) => q.leaf === "contents" && q.path.at(-2)?.args.path === `/scan/${image}-trivy.json`,
      ) as RecordedQuery;
      const sbom = d.queries.find(
        (q) => q.leaf === "contents" && q.path.at(-2)?.args.path === `/scan/${image}.cdx.json`,
      ) as RecordedQuery;
      for (const q of [report, sbom]) {
        expect(steps(q, "from")[0]?.args.address).toBe(TRIVY_IMAGE);
        expect(d.render(q.path)).toContain(
          'withMountedCache(path: "/root/.cache/trivy", cache: <cacheVolume(key: "prestamos-trivy")>)',
        );
        const mounted = steps(q, "withMountedFile")[0];
        expect(mounted?.args.path).toBe(tarball);
        expect(d.render(d.chainOf(String(mounted?.args.source)))).toBe(
          `container.from(address: "registry.test/prestamos/${image}:1").asTarball`,
        );
        for (const exec of steps(q, "withExec")) expect(exec.args.expect).toBeUndefined();
      }
      expect(steps(report, "withExec").map((s) => s.args.args)).toEqual([
        ["trivy", ...vulnerabilityScanArgs(tarball, `/scan/${image}-trivy.json`)],
      ]);
      expect(steps(sbom, "withExec").map((s) => s.args.args)).toEqual([
        ["trivy", ...sbomArgs(tarball, `/scan/${image}.cdx.json`)],
      ]);
      // The vulnerability verdict is re-computed daily; the SBOM depends on the image only.
      expect(steps(report, "withEnvVariable")).toContainEqual({
        field: "withEnvVariable",
        args: { name: "SCAN_DAY", value: "2026-05-01" },
      });
      expect(steps(sbom, "withEnvVariable")).toEqual([]);
    }
    expect(d.maxInFlight).toBeGreaterThan(1);

    const artifacts = d.render(d.chainOf(result.artifacts));
    for (const name of ["backend-trivy.json", "backend.cdx.json", "frontend-trivy.json", "frontend.cdx.json"]) {
      expect(artifacts).toContain(`withFile(path: "${name}"`);
    }
  });

  it("fails when Trivy fails (a crash or no vulnerability database), instead of passing", async () => {
    await startDouble({ contentsFor, exitCodeFor: (argv) => (argv.includes("vuln") ? 1 : 0) });
    await expect(session(() => scanImages(images(), "2026-05-01"))).rejects.toThrow(
      /did not complete successfully: exit code: 1/,
    );
  });

  it("fails on a report that is not a Trivy report", async () => {
    await startDouble({
      contentsFor: (chain) =>
        String(chain.at(-1)?.args.path).endsWith("-trivy.json") ? "{}" : reports["/scan/backend.cdx.json"],
    });
    await expect(session(() => scanImages(images(), "2026-05-01"))).rejects.toThrow(
      /Trivy report of the (backend|frontend) image is unusable/,
    );
  });
});
