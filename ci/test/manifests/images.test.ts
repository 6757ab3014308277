import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { imageEntry, withImages } from "../../src/manifests/images";
import { OVERLAYS } from "../../src/manifests/overlays";
import { runPolicies, formatFindings } from "../../src/manifests/policy";
import { renderOverlay, type K8sObject } from "../../src/manifests/render";
import { validateSchemas, formatSchemaErrors } from "../../src/manifests/schema";
import { REPO_ROOT } from "./testing";

const DIGEST_B = `sha256:${"b".repeat(64)}`;
const DIGEST_F = `sha256:${"f".repeat(64)}`;
const ECR = "111122223333.dkr.ecr.us-east-1.amazonaws.com";
const BACKEND = `${ECR}/prestamos-backend@${DIGEST_B}`;
const FRONTEND = `${ECR}/prestamos-frontend@${DIGEST_F}`;

describe("imageEntry", () => {
  it("splits repo, tag and digest; a digest wins over a tag", () => {
    expect(imageEntry("prestamos-backend", "prestamos-backend:dev")).toEqual({
      name: "prestamos-backend",
      newName: "prestamos-backend",
      newTag: "dev",
    });
    expect(imageEntry("x", `localhost:5000/app:1.2@${DIGEST_B}`)).toEqual({
      name: "x",
      newName: "localhost:5000/app",
      digest: DIGEST_B,
    });
  });

  it("rejects untagged, latest and malformed references", () => {
    expect(() => imageEntry("x", "repo/app")).toThrow(/needs a tag/);
    expect(() => imageEntry("x", "repo/app:latest")).toThrow(/latest/);
    expect(() => imageEntry("x", "repo/app@sha256:abc")).toThrow(/invalid/);
  });
});

describe("withImages", () => {
  const kustomization = [
    "# keep me",
    "resources:",
    "  - ../../base",
    "images:",
    "  - name: prestamos-backend",
    "    newName: old/backend",
    "    newTag: old",
    "  - name: postgres",
    '    newTag: "17"',
    "",
  ].join("\n");

  it("sets digests, keeps other entries and comments, adds missing entries", () => {
    const out = withImages(kustomization, { backend: BACKEND, frontend: FRONTEND });
    expect(out).toContain("# keep me");
    expect(parse(out).images).toEqual([
      { name: "prestamos-backend", newName: `${ECR}/prestamos-backend`, digest: DIGEST_B },
      { name: "postgres", newTag: "17" },
      { name: "prestamos-frontend", newName: `${ECR}/prestamos-frontend`, digest: DIGEST_F },
    ]);
  });

  it("creates the images list and leaves unspecified apps alone", () => {
    const out = parse(withImages("resources: [../../base]\n", { frontend: "reg/prestamos-frontend:1.0.0" }));
    expect(out.images).toEqual([{ name: "prestamos-frontend", newName: "reg/prestamos-frontend", newTag: "1.0.0" }]);
  });

  it("rejects non-kustomization input", () => {
    expect(() => withImages("- a\n", { backend: BACKEND })).toThrow(/mapping/);
    expect(() => withImages("images: 3\n", { backend: BACKEND })).toThrow(/not a list/);
  });
});

describe("rendering prod after pinning digests (temp copy of k8s/)", () => {
  let dir = "";
  let objects: K8sObject[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "prestamos-k8s-"));
    await cp(join(REPO_ROOT, "k8s"), join(dir, "k8s"), { recursive: true });
    const file = join(dir, OVERLAYS.prod.dir, "kustomization.yaml");
    await writeFile(file, withImages(await readFile(file, "utf8"), { backend: BACKEND, frontend: FRONTEND }));
    objects = await renderOverlay(join(dir, OVERLAYS.prod.dir));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const images = (kind: string, name: string): string[] => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    const spec = (
      o?.spec as { template: { spec: { containers: { image: string }[]; initContainers?: { image: string }[] } } }
    ).template.spec;
    return [...(spec.initContainers ?? []), ...spec.containers].map((c) => c.image);
  };

  it("puts the digests in the Deployments and the migrate Job", () => {
    expect(images("Deployment", "backend")).toEqual([BACKEND]);
    expect(images("Deployment", "frontend")).toEqual([FRONTEND]);
    expect(images("Job", "backend-migrate")).toEqual([BACKEND, BACKEND, BACKEND]);
  });

  it("passes schemas and policy with digests required", async () => {
    expect(formatSchemaErrors(await validateSchemas(objects))).toBe("");
    expect(formatFindings(runPolicies(objects, { ...OVERLAYS.prod, requireDigests: true }).findings)).toBe("");
  });

  it("the unpinned prod overlay fails the digest requirement", async () => {
    const unpinned = await renderOverlay(join(REPO_ROOT, OVERLAYS.prod.dir));
    const checks = runPolicies(unpinned, { ...OVERLAYS.prod, requireDigests: true }).findings.map((f) => f.check);
    expect(checks).toContain("image-reference");
  });
});
