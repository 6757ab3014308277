import { describe, expect, it } from "vitest";
import { ArgumentError, validateCiArgs, validatePublishArgs, validateRegistry, type CiArgs } from "../src/validate";

const SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const none: CiArgs = { hasRegistryPassword: false, hasKubeconfig: false, hasSlackWebhook: false };
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
  it("accepts no arguments: gate only", () => {
    expect(validateCiArgs(none)).toEqual({ notify: false });
  });
  it("treats blank strings as unset (CI passes blanks for unset variables)", () => {
    expect(validateCiArgs({ ...none, branch: " ", registry: "", registryUsername: "" })).toEqual({ notify: false });
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
    expect(validateCiArgs({ ...publishing, hasKubeconfig: true }).deploy).toEqual({ name: "development", namespace: "challenge-dev" });
    expect(validateCiArgs({ ...publishing, hasSlackWebhook: true }).notify).toBe(true);
  });
  it.each<[string, CiArgs, RegExp]>([
    ["bad sha", { ...none, sha: "zzz" }, /--sha "zzz" is not a commit SHA/],
    ["bad branch", { ...none, branch: "a..b" }, /--branch "a..b" is not a valid branch name/],
    ["bad version", { ...none, version: "1.0 beta" }, /--version/],
    ["username without password", { ...none, registry: "ghcr.io/a/b", registryUsername: "u" }, /--registry-username was given without --registry-password/],
    ["password without username", { ...none, registry: "ghcr.io/a/b", hasRegistryPassword: true }, /--registry-password was given without --registry-username/],
    ["credentials without registry", { ...none, registryUsername: "u", hasRegistryPassword: true }, /without --registry/],
    ["registry without credentials", { ...none, registry: "ghcr.io/a/b" }, /needs --registry-username and --registry-password/],
    ["bad registry", { ...publishing, registry: "ghcr.io/A" }, /not a registry address/],
    ["registry without sha", { ...publishing, sha: undefined }, /needs --sha/],
    ["registry without branch", { ...publishing, branch: undefined }, /needs --branch/],
    ["registry without source URL", { ...publishing, sourceUrl: " " }, /--source-url is required to publish/],
    ["registry without build date", { ...publishing, buildDate: undefined }, /--build-date is required to publish/],
    ["source URL with credentials", { ...none, sourceUrl: "https://user:token@github.com/acme/prestamos" }, /without credentials/],
    ["source URL with a shell", { ...none, sourceUrl: "https://github.com/$(id)" }, /--source-url/],
    ["build date not RFC 3339", { ...none, buildDate: "01/06/2025" }, /--build-date "01\/06\/2025" must be an RFC 3339 timestamp/],
    ["impossible build date", { ...none, buildDate: "2025-13-45T99:00:00Z" }, /RFC 3339/],
    ["deploy without branch", { ...none, hasKubeconfig: true }, /--kubeconfig was given without --branch/],
    ["deploy on unknown branch", { ...publishing, branch: "feature/x", hasKubeconfig: true }, /branch "feature\/x" does not deploy \(only dev, main do\)/],
    ["deploy without publish", { ...none, branch: "main", hasKubeconfig: true }, /--kubeconfig needs --registry/],
  ])("rejects %s", (_name, args, re) => {
    expect(() => validateCiArgs(args)).toThrow(ArgumentError);
    expect(() => validateCiArgs(args)).toThrow(re);
  });
});

describe("validatePublishArgs", () => {
  const ok = { registry: "ghcr.io/a/b", username: "u", hasPassword: true, sha: SHA, branch: "main", sourceUrl: SOURCE_URL, buildDate: "2025-06-01T10:00:00Z" };
  it("accepts complete arguments", () =>
    expect(validatePublishArgs(ok)).toEqual({ registry: "ghcr.io/a/b", username: "u", sha: SHA, branch: "main", sourceUrl: SOURCE_URL, buildDate: "2025-06-01T10:00:00Z" }));
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
