import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  validateCiArgs,
  validateDeployArgs,
  validatePromoteArgs,
  validatePublishArgs,
  validateRegistry,
  type CiArgs,
} from "../src/validate";

const SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const none: CiArgs = { hasRegistryPassword: false, hasKubeconfig: false, hasSlackWebhook: false };
const RUN_URL = "https://github.com/acme/prestamos/actions/runs/123";
const aws = { hasAwsAccessKeyId: true, hasAwsSecretAccessKey: true };
const SOURCE_URL = "https://github.com/acme/prestamos";
const BUILD_DATE = "2025-06-01T12:00:00+02:00";
const publishing: CiArgs = {
  ...none,
  branch: "dev",
  sha: SHA,
  sourceUrl: SOURCE_URL,
  buildDate: BUILD_DATE,
  registry: "ghcr.io/acme/prestamos",
  registryUsername: "u",
  hasRegistryPassword: true,
};
const deploying: CiArgs = { ...publishing, hasKubeconfig: true };

describe("validateRegistry", () => {
  it.each([
    "ghcr.io/acme/prestamos",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/prestamos",
    "localhost:5000/prestamos",
    "registry.example.com:8443/a/b-c/d_e",
  ])("accepts %s", (a) => expect(validateRegistry(a)).toBe(a));
  it.each([
    ["https://ghcr.io/acme/app", /scheme/],
    ["ghcr.io/acme/app@sha256:abc", /digest/],
    ["ghcr.io/acme/app:latest", /not a registry address/],
    ["ghcr.io", /not a registry address/],
    ["acme/app", /not a registry address/],
    ["ghcr.io/Acme/App", /not a registry address/],
    ["ghcr.io/acme app", /not a registry address/],
  ])("rejects %s", (a, re) => expect(() => validateRegistry(a)).toThrow(re));
});

describe("validateCiArgs", () => {
  const gateOnly = { notify: false, promote: false, sign: false, cluster: {} };
  it("accepts no arguments: gate only", () => {
    expect(JSON.parse(JSON.stringify(validateCiArgs(none)))).toEqual(gateOnly);
  });
  it("treats blank strings as unset (CI passes blanks for unset variables)", () => {
    expect(
      JSON.parse(
        JSON.stringify(
          validateCiArgs({
            ...none,
            branch: " ",
            registry: "",
            registryUsername: "",
            runUrl: " ",
            cluster: { awsRegion: "", kubeContext: " " },
          }),
        ),
      ),
    ).toEqual(gateOnly);
  });
  it("normalises branch and sha", () => {
    const v = validateCiArgs({ ...none, branch: "refs/heads/main", sha: SHA.toUpperCase() });
    expect(v.branch).toBe("main");
    expect(v.sha).toBe(SHA);
  });
  it("keeps the image label values", () => {
    expect(validateCiArgs(publishing)).toMatchObject({ sourceUrl: SOURCE_URL, buildDate: BUILD_DATE });
  });
  it("decides publish and deploy", () => {
    expect(validateCiArgs(publishing).publish).toEqual({ registry: "ghcr.io/acme/prestamos", username: "u" });
    expect(validateCiArgs({ ...publishing, hasKubeconfig: true }).deploy).toEqual({
      name: "development",
      namespace: "challenge-dev",
      overlay: "dev",
    });
    expect(validateCiArgs(publishing).promote).toBe(false);
    expect(validateCiArgs({ ...publishing, branch: "main" }).promote).toBe(true);
    expect(validateCiArgs({ ...none, branch: "main" }).promote).toBe(false);
    expect(validateCiArgs({ ...publishing, hasSlackWebhook: true }).notify).toBe(true);
  });
  it.each<[string, CiArgs, RegExp]>([
    ["bad sha", { ...none, sha: "zzz" }, /--sha "zzz" is not a commit SHA/],
    ["bad branch", { ...none, branch: "a..b" }, /--branch "a..b" is not a valid branch name/],
    ["bad version", { ...none, version: "1.0 beta" }, /--version/],
    [
      "username without password",
      { ...none, registry: "ghcr.io/a/b", registryUsername: "u" },
      /--registry-username was given without --registry-password/,
    ],
    [
      "password without username",
      { ...none, registry: "ghcr.io/a/b", hasRegistryPassword: true },
      /--registry-password was given without --registry-username/,
    ],
    [
      "credentials without registry",
      { ...none, registryUsername: "u", hasRegistryPassword: true },
      /without --registry/,
    ],
    [
      "registry without credentials",
      { ...none, registry: "ghcr.io/a/b" },
      /needs --registry-username and --registry-password/,
    ],
    ["bad registry", { ...publishing, registry: "ghcr.io/A" }, /not a registry address/],
    ["registry without sha", { ...publishing, sha: undefined }, /needs --sha/],
    ["registry without branch", { ...publishing, branch: undefined }, /needs --branch/],
    ["registry without source URL", { ...publishing, sourceUrl: " " }, /--source-url is required to publish/],
    ["registry without build date", { ...publishing, buildDate: undefined }, /--build-date is required to publish/],
    [
      "source URL with credentials",
      { ...none, sourceUrl: "https://user:token@github.com/acme/prestamos" },
      /without credentials/,
    ],
    ["source URL with a shell", { ...none, sourceUrl: "https://github.com/$(id)" }, /--source-url/],
    [
      "build date not RFC 3339",
      { ...none, buildDate: "01/06/2025" },
      /--build-date "01\/06\/2025" must be an RFC 3339 timestamp/,
    ],
    ["impossible build date", { ...none, buildDate: "2025-13-45T99:00:00Z" }, /RFC 3339/],
    ["deploy without branch", { ...none, hasKubeconfig: true }, /--kubeconfig was given without --branch/],
    [
      "deploy on unknown branch",
      { ...publishing, branch: "feature/x", hasKubeconfig: true },
      /branch "feature\/x" does not deploy \(only dev, main do\)/,
    ],
    ["deploy without publish", { ...none, branch: "main", hasKubeconfig: true }, /--kubeconfig needs --registry/],
    [
      "AWS credentials without kubeconfig",
      { ...publishing, cluster: { hasAwsAccessKeyId: true, hasAwsSecretAccessKey: true } },
      /--aws-access-key-id, --aws-secret-access-key need\(s\) --kubeconfig/,
    ],
    [
      "a kube API without kubeconfig",
      { ...publishing, cluster: { hasKubeApi: true } },
      /--kube-api need\(s\) --kubeconfig/,
    ],
    [
      "an AWS key id alone",
      { ...deploying, cluster: { hasAwsAccessKeyId: true } },
      /--aws-access-key-id and --aws-secret-access-key come together/,
    ],
    ["an AWS secret alone", { ...deploying, cluster: { hasAwsSecretAccessKey: true } }, /come together/],
    [
      "a session token alone",
      { ...deploying, cluster: { hasAwsSessionToken: true } },
      /--aws-session-token needs --aws-access-key-id/,
    ],
    [
      "a bad region",
      { ...deploying, cluster: { ...aws, awsRegion: "US East 1" } },
      /--aws-region "US East 1" is not an AWS region/,
    ],
    [
      "a region without AWS credentials",
      { ...deploying, cluster: { awsRegion: "us-east-1" } },
      /--aws-region and --eks-cluster need AWS credentials/,
    ],
    [
      "a bad cluster name",
      { ...deploying, cluster: { ...aws, eksCluster: "-prestamos" } },
      /--eks-cluster "-prestamos" is not an EKS cluster name/,
    ],
    [
      "a context with spaces",
      { ...deploying, cluster: { kubeContext: "my context" } },
      /--kube-context "my context" is not a context name/,
    ],
    [
      "a bad deploy timeout",
      { ...deploying, cluster: { deployTimeout: "10 minutes" } },
      /--deploy-timeout "10 minutes" is not a duration/,
    ],
    ["a run URL with a query", { ...none, runUrl: "https://ci.example.com/run?id=1" }, /--run-url/],
    [
      "a cosign password without key",
      { ...publishing, hasCosignPassword: true },
      /--cosign-password was given without --cosign-key/,
    ],
    ["a cosign key without publishing", { ...none, hasCosignKey: true }, /--cosign-key needs --registry/],
    [
      "a cosign key on main",
      { ...publishing, branch: "main", hasCosignKey: true },
      /--cosign-key on main: main promotes/,
    ],
  ])("rejects %s", (_name, args, re) => {
    expect(() => validateCiArgs(args)).toThrow(ArgumentError);
    expect(() => validateCiArgs(args)).toThrow(re);
  });
});

describe("validateCiArgs: deploy access", () => {
  it("keeps the cluster arguments, trimmed", () => {
    const v = validateCiArgs({
      ...deploying,
      runUrl: RUN_URL,
      cluster: {
        ...aws,
        hasAwsSessionToken: true,
        awsRegion: " us-gov-west-1 ",
        eksCluster: "prestamos_prd",
        kubeContext: "arn:aws:eks:us-east-1:1:cluster/p",
        deployTimeout: "15m",
      },
    });
    expect(v.cluster).toEqual({
      awsRegion: "us-gov-west-1",
      eksCluster: "prestamos_prd",
      kubeContext: "arn:aws:eks:us-east-1:1:cluster/p",
      deployTimeout: "15m",
    });
    expect(v.runUrl).toBe(RUN_URL);
  });
  it("signs only with a key", () => {
    expect(validateCiArgs({ ...publishing, hasCosignKey: true, hasCosignPassword: true }).sign).toBe(true);
    expect(validateCiArgs(publishing).sign).toBe(false);
  });
});

describe("validateDeployArgs", () => {
  const digest = `sha256:${"a".repeat(64)}`;
  const ok = {
    environment: "prod",
    sha: SHA,
    backendImage: `ghcr.io/a/b/backend@${digest}`,
    frontendImage: `ghcr.io/a/b/frontend@${digest}`,
    cluster: {},
  };
  it("accepts digests for prod and tags for dev", () => {
    expect(validateDeployArgs(ok)).toEqual({
      environment: "prod",
      sha: SHA,
      images: { backend: ok.backendImage, frontend: ok.frontendImage },
      cluster: {},
    });
    expect(
      validateDeployArgs({ ...ok, environment: "dev", backendImage: "prestamos-backend:dev-1a2b3c4" }).images.backend,
    ).toBe("prestamos-backend:dev-1a2b3c4");
  });
  it.each<[string, Partial<typeof ok>, RegExp]>([
    ["an unknown environment", { environment: "staging" }, /--environment "staging" is not one of dev, prod/],
    [
      "a prod tag without digest",
      { frontendImage: "ghcr.io/a/b/frontend:1a2b3c4" },
      /--frontend-image "ghcr.io\/a\/b\/frontend:1a2b3c4" has no digest/,
    ],
    [
      "latest on dev",
      { environment: "dev", backendImage: "prestamos-backend:latest" },
      /needs a digest or a tag other than latest/,
    ],
    ["a bad sha", { sha: "HEAD" }, /--sha "HEAD" is not a commit SHA/],
    ["a bad timeout", { cluster: { deployTimeout: "x" } }, /--deploy-timeout "x"/],
  ])("rejects %s with an ArgumentError", (_n, patch, re) => {
    expect(() => validateDeployArgs({ ...ok, ...patch })).toThrow(ArgumentError);
    expect(() => validateDeployArgs({ ...ok, ...patch })).toThrow(re);
  });
});

describe("validatePromoteArgs", () => {
  const TREE = "9e1c5b0f2d7a4e3b8c6d1f0a2b3c4d5e6f708192";
  it("takes a tree or a commit", () => {
    expect(validatePromoteArgs({ registry: "ghcr.io/a/b", registryUsername: "u", tree: TREE.toUpperCase() })).toEqual({
      registry: "ghcr.io/a/b",
      username: "u",
      tree: TREE,
    });
    expect(validatePromoteArgs({ registry: "ghcr.io/a/b", registryUsername: "u", commit: SHA })).toEqual({
      registry: "ghcr.io/a/b",
      username: "u",
      commit: SHA,
    });
  });
  it.each<[string, { tree?: string; commit?: string; registry?: string }, RegExp]>([
    ["neither", {}, /give exactly one of --tree .* or --commit/],
    ["both", { tree: TREE, commit: SHA }, /give exactly one of/],
    ["a short tree", { tree: "9e1c5b0" }, /tree hash "9e1c5b0" is not a git tree hash/],
    ["a bad registry", { tree: TREE, registry: "https://ghcr.io/a" }, /must not include a scheme/],
  ])("rejects %s", (_n, patch, re) => {
    expect(() => validatePromoteArgs({ registry: "ghcr.io/a/b", registryUsername: "u", ...patch })).toThrow(re);
  });
});

describe("validatePublishArgs", () => {
  const ok = {
    registry: "ghcr.io/a/b",
    username: "u",
    hasPassword: true,
    sha: SHA,
    branch: "main",
    sourceUrl: SOURCE_URL,
    buildDate: "2025-06-01T10:00:00Z",
  };
  it("accepts complete arguments", () =>
    expect(validatePublishArgs(ok)).toEqual({
      registry: "ghcr.io/a/b",
      username: "u",
      sha: SHA,
      branch: "main",
      sourceUrl: SOURCE_URL,
      buildDate: "2025-06-01T10:00:00Z",
    }));
  it.each<[string, Partial<typeof ok>, RegExp]>([
    ["missing registry", { registry: "" }, /--registry is required/],
    ["missing username", { username: undefined }, /--registry-username is required/],
    ["missing secret", { hasPassword: false }, /--registry-password is required/],
    ["missing sha", { sha: undefined }, /--sha is required/],
    ["missing branch", { branch: "" }, /--branch is required/],
    ["missing source URL", { sourceUrl: undefined }, /--source-url is required/],
    ["missing build date", { buildDate: "" }, /--build-date is required/],
  ])("rejects %s", (_n, patch, re) => expect(() => validatePublishArgs({ ...ok, ...patch })).toThrow(re));
});
