/**
 * Contract tests of the deploy stage (ci/src/stages/deploy.ts): the real functions, the
 * real SDK, the engine double; assertions on the recorded GraphQL chains. Covers the
 * render container, the credential handling and the API service binding.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { dag, type Directory } from "@dagger.io/dagger";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";

import { CLI_COMMAND, deployArgs, releasesArgs } from "../../src/deploy/args";
import { KUBECTL_IMAGE, NODE_IMAGE } from "../../src/images";
import {
  API_ALIAS,
  DEPLOYER_USER,
  DEPLOYER_WORKDIR,
  deployContainer,
  KUBECONFIG_PATH,
  MANIFESTS_PATH,
  releasesContainer,
  renderContainer,
  renderedManifests,
  type Credentials,
} from "../../src/stages/deploy";
import { EngineDouble, type RecordedQuery, type Step } from "./engine-double";
import { session } from "./session";

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
const SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const DIGEST = `sha256:${"c".repeat(64)}`;
const IMAGES = {
  backend: `ghcr.io/acme/prestamos/backend@${DIGEST}`,
  frontend: `ghcr.io/acme/prestamos/frontend@${DIGEST}`,
};
const KUBECONFIG = "apiVersion: v1\nkind: Config\n# KNOWN-kubeconfig-5d1e";
const AWS_SECRET = "aws-secret-KNOWN-81fa";
const RENDERED = "# RENDERED-MARKER\napiVersion: v1\nkind: ConfigMap\n";

let double: EngineDouble;
afterEach(async () => double?.stop());

/** Repository files for `contents` of host.directory("/repo").file(path); the render's stdout is a marker. */
async function start(): Promise<EngineDouble> {
  double = new EngineDouble({
    contentsFor: (chain) => {
      const file = chain.find((s) => s.field === "file")?.args.path;
      return typeof file === "string" ? readFileSync(path.join(REPO_ROOT, file), "utf8") : undefined;
    },
    stdoutFor: (chain) =>
      chain.some((s) => s.field === "from" && s.args.address === KUBECTL_IMAGE) ? RENDERED : undefined,
  });
  await double.start();
  return double;
}

const repo = (): Directory => dag.host().directory("/repo");
const steps = (chain: readonly Step[], field: string): Step[] => chain.filter((s) => s.field === field);

function credentials(withAws = false): Credentials {
  return {
    kubeconfig: dag.setSecret("kubeconfig", KUBECONFIG),
    ...(withAws
      ? {
          awsAccessKeyId: dag.setSecret("aws-key-id", "AKIDEXAMPLE"),
          awsSecretAccessKey: dag.setSecret("aws-secret", AWS_SECRET),
          awsSessionToken: dag.setSecret("aws-token", "tok"),
        }
      : {}),
  };
}

/** The plaintext of a secret appears only in the query that creates it, and is never read back. */
function expectSecretStaysSecret(plaintext: string): void {
  const carrying = double.queries.filter((q: RecordedQuery) => q.text.includes(plaintext));
  expect(carrying.length).toBeGreaterThan(0);
  for (const q of carrying) expect(q.path[0]?.field).toBe("setSecret");
  expect(double.queries.filter((q) => q.leaf === "plaintext")).toEqual([]);
}

describe("render container", () => {
  it("pins the images by digest in the overlay's kustomization and runs kubectl kustomize in the pinned kubectl image", async () => {
    await start();
    const id = await session(async () => (await renderContainer(repo(), "prod", IMAGES)).id());
    const chain = double.chainOf(id);
    expect(steps(chain, "from")[0]?.args.address).toBe(KUBECTL_IMAGE);
    expect(double.render(chain)).toContain(
      'withDirectory(path: "/src/k8s", source: <host.directory(path: "/repo").directory(path: "k8s")>)',
    );
    const written = steps(chain, "withNewFile")[0];
    expect(written?.args.path).toBe("/src/k8s/overlays/prod/kustomization.yaml");
    const kustomization = parse(String(written?.args.contents)) as {
      images: Array<{ name: string; newName: string; digest?: string; newTag?: string }>;
    };
    expect(kustomization.images).toEqual([
      { name: "prestamos-backend", newName: "ghcr.io/acme/prestamos/backend", digest: DIGEST },
      { name: "prestamos-frontend", newName: "ghcr.io/acme/prestamos/frontend", digest: DIGEST },
    ]);
    expect(steps(chain, "withWorkdir").at(-1)?.args.path).toBe("/src");
    expect(steps(chain, "withExec").map((s) => s.args.args)).toEqual([["kubectl", "kustomize", "k8s/overlays/prod"]]);
  });

  it("returns the render's stdout as the manifests File", async () => {
    await start();
    const id = await session(async () => (await renderedManifests(repo(), "dev", IMAGES)).id());
    const file = double.render(double.chainOf(id));
    expect(file).toContain(`withNewFile(path: "manifests.yaml", contents: ${JSON.stringify(RENDERED)})`);
    expect(
      double.queries.some(
        (q) => q.leaf === "stdout" && q.path.some((s) => s.field === "from" && s.args.address === KUBECTL_IMAGE),
      ),
    ).toBe(true);
  });

  it("refuses a bad image reference before any engine work on the render", async () => {
    await start();
    await expect(
      session(async () => (await renderContainer(repo(), "prod", { ...IMAGES, backend: "Not An Image" })).id()),
    ).rejects.toThrow(/invalid image reference/);
    expect(double.queries.filter((q) => q.leaf !== "contents")).toEqual([]);
  });
});

describe("deployer container", () => {
  const target = {
    environment: "prod" as const,
    commit: SHA,
    images: IMAGES,
    eksCluster: "prestamos",
    awsRegion: "us-east-1",
    timeout: "15m",
  };

  it("mounts the kubeconfig for the node user only, passes AWS credentials as secret variables, never reads them", async () => {
    await start();
    const id = await session(async () => {
      const manifests = dag.directory().withNewFile("m.yaml", RENDERED).file("m.yaml");
      return deployContainer(repo(), manifests, credentials(true), target).id();
    });
    const chain = double.chainOf(id);
    expect(steps(chain, "from")[0]?.args.address).toBe(NODE_IMAGE);
    const mount = steps(chain, "withMountedSecret")[0];
    expect(mount?.args).toMatchObject({ path: KUBECONFIG_PATH, owner: DEPLOYER_USER, mode: 0o400 });
    expect(double.render(double.chainOf(String(mount?.args.source)))).toBe(
      `setSecret(name: "kubeconfig", plaintext: ${JSON.stringify(KUBECONFIG)})`,
    );
    expect(steps(chain, "withSecretVariable").map((s) => s.args.name)).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
    ]);
    expect(steps(chain, "withEnvVariable").some((s) => String(s.args.name).startsWith("AWS_"))).toBe(false);
    expect(steps(chain, "withMountedFile")[0]?.args.path).toBe(MANIFESTS_PATH);
    expectSecretStaysSecret("KNOWN-kubeconfig-5d1e");
    expectSecretStaysSecret(AWS_SECRET);
  });

  it("installs the module's production dependencies and runs the CLI with the arguments args.ts builds, as the node user, after a cache-buster", async () => {
    await start();
    const id = await session(async () =>
      deployContainer(repo(), dag.directory().withNewFile("m", "").file("m"), credentials(true), target).id(),
    );
    const chain = double.chainOf(id);
    const execs = steps(chain, "withExec").map((s) => s.args.args);
    expect(execs[0]).toEqual(["npm", "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"]);
    const expected = [
      ...CLI_COMMAND,
      ...deployArgs({
        environment: "prod",
        kubeconfig: KUBECONFIG_PATH,
        manifests: MANIFESTS_PATH,
        backendImage: IMAGES.backend,
        frontendImage: IMAGES.frontend,
        commit: SHA,
        eksCluster: "prestamos",
        awsRegion: "us-east-1",
        timeout: "15m",
      }),
    ];
    expect(execs.at(-1)).toEqual(expected);
    expect(chain.at(-2)).toMatchObject({ field: "withEnvVariable", args: { name: "CACHEBUSTER" } });
    expect(steps(chain, "withUser").at(-1)?.args.name).toBe(DEPLOYER_USER);
    expect(steps(chain, "withWorkdir").at(-1)?.args.path).toBe(DEPLOYER_WORKDIR);
    const rendered = double.render(chain);
    expect(rendered).toContain(
      'withFile(path: "/deployer/package-lock.json", source: <host.directory(path: "/repo").file(path: "ci/package-lock.json")>)',
    );
    expect(rendered).toContain(
      'withDirectory(path: "/deployer/src", source: <host.directory(path: "/repo").directory(path: "ci/src")>)',
    );
    // No API service: no binding and no host rewrite.
    expect(steps(chain, "withServiceBinding")).toEqual([]);
    expect(expected).not.toContain("--api-host");
  });

  it("binds the caller's API server under the alias kubernetes and rewrites the kubeconfig's host to it", async () => {
    await start();
    const id = await session(async () => {
      const kubeApi = dag.host().service([{ frontend: 32771, backend: 32771 }], { host: "localhost" });
      return deployContainer(
        repo(),
        dag.directory().withNewFile("m", "").file("m"),
        credentials(),
        {
          environment: "dev",
          commit: SHA,
          images: { backend: "prestamos-backend:dev-1a2b3c4", frontend: "prestamos-frontend:dev-1a2b3c4" },
        },
        kubeApi,
      ).id();
    });
    const chain = double.chainOf(id);
    const binding = steps(chain, "withServiceBinding")[0];
    expect(binding?.args.alias).toBe(API_ALIAS);
    expect(double.render(double.chainOf(String(binding?.args.service)))).toBe(
      'host.service(ports: [{frontend: 32771, backend: 32771}], host: "localhost")',
    );
    const argv = steps(chain, "withExec").at(-1)?.args.args as string[];
    expect(argv.slice(argv.indexOf("--api-host"), argv.indexOf("--api-host") + 2)).toEqual([
      "--api-host",
      "kubernetes",
    ]);
    expect(steps(chain, "withSecretVariable")).toEqual([]);
  });

  it("lists releases with the same credentials, read-only command", async () => {
    await start();
    const id = await session(async () =>
      releasesContainer(repo(), credentials(), { environment: "dev", context: "minikube" }).id(),
    );
    const argv = steps(double.chainOf(id), "withExec").at(-1)?.args.args;
    expect(argv).toEqual([
      ...CLI_COMMAND,
      ...releasesArgs({ environment: "dev", kubeconfig: KUBECONFIG_PATH, context: "minikube" }),
    ]);
  });

  it("refuses bad arguments (a prod image without digest, a bad commit) before any engine work", async () => {
    await start();
    const file = () => dag.directory().withNewFile("m", "").file("m");
    await expect(
      session(async () =>
        deployContainer(repo(), file(), credentials(), {
          ...target,
          images: { ...IMAGES, frontend: "ghcr.io/acme/prestamos/frontend:1a2b3c4" },
        }).id(),
      ),
    ).rejects.toThrow(/--frontend-image .* has no digest: prod deploys images by digest/);
    await expect(
      session(async () => deployContainer(repo(), file(), credentials(), { ...target, commit: "main" }).id()),
    ).rejects.toThrow(/--commit "main" is not a commit SHA/);
    expect(double.queries.filter((q) => q.path[0]?.field !== "setSecret")).toEqual([]);
  });
});
