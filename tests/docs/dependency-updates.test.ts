// renovate.json covers every ecosystem the repository pins versions in: npm, pip, Docker base
// images, GitHub Actions, GitLab CI and the Dagger engine. The custom (regex) managers are run
// here on the real files, and what they extract must be exactly the versions the code uses.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PINNED_IMAGES } from "../../ci/src/images";
import { DEFAULT_VERSIONS } from "../support/docker";
import { REPO_ROOT } from "../support/run";

interface CustomManager {
  description: string;
  customType: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  depNameTemplate?: string;
}

interface RenovateConfig {
  enabledManagers: string[];
  ignorePaths: string[];
  kubernetes?: { managerFilePatterns: string[] };
  customManagers: CustomManager[];
  packageRules: Array<{ matchPackageNames?: string[]; groupName?: string }>;
}

const config = JSON.parse(readFileSync(path.join(REPO_ROOT, "renovate.json"), "utf8")) as RenovateConfig;

/** Renovate writes a file pattern as "/regex/" (anything else would be a glob). */
function filePattern(pattern: string): RegExp {
  const match = /^\/(.+)\/$/.exec(pattern);
  if (!match?.[1]) throw new Error(`expected a /regex/ file pattern, got ${pattern}`);
  return new RegExp(match[1]);
}

/** Repo-relative paths of the repository's files (no dependencies, outputs or generated SDK). */
function repoFiles(): string[] {
  const skip = new Set(["node_modules", ".git", ".venv", ".cache", "dist", "reports", "coverage", "ci/sdk"]);
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(REPO_ROOT, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip.has(entry.name) || skip.has(child)) continue;
      if (entry.isDirectory()) walk(child);
      else found.push(child);
    }
  };
  walk("");
  return found.sort();
}

const FILES = repoFiles();
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");

interface Extracted {
  file: string;
  depName: string;
  currentValue: string;
}

/** What one custom manager extracts from the repository, as Renovate applies it (each matchString on each file). */
function extract(manager: CustomManager): Extracted[] {
  const patterns = manager.managerFilePatterns.map(filePattern);
  const out: Extracted[] = [];
  for (const file of FILES.filter((f) => patterns.some((p) => p.test(f)))) {
    const text = read(file);
    for (const source of manager.matchStrings) {
      for (const match of text.matchAll(new RegExp(source, "g"))) {
        const depName = match.groups?.depName ?? manager.depNameTemplate;
        const currentValue = match.groups?.currentValue;
        if (!depName || !currentValue)
          throw new Error(`${manager.description}: a match in ${file} lacks depName or currentValue`);
        out.push({ file, depName, currentValue });
      }
    }
  }
  return out;
}

function manager(describing: string): CustomManager {
  const found = config.customManagers.find((m) => m.description.includes(describing));
  if (!found) throw new Error(`renovate.json has no custom manager for ${describing}`);
  return found;
}

// The built-in managers' default file patterns (each manager's defaultConfig in Renovate 44.121.2).
const DEFAULT_FILE_PATTERNS: Record<string, RegExp> = {
  npm: /(^|\/)package\.json$/,
  pip_requirements: /(^|\/)[\w-]*requirements([-._]\w+)?\.(txt|pip)$/,
  "github-actions": /(^|\/)(workflow-templates|\.(?:github|gitea|forgejo)\/(?:workflows|actions))\/.+\.ya?ml$/,
  gitlabci: /\.gitlab-ci\.ya?ml$/,
};

describe("renovate.json", () => {
  it("enables the managers of every ecosystem in the repository", () => {
    expect(config.enabledManagers).toEqual(
      expect.arrayContaining(["npm", "pip_requirements", "github-actions", "gitlabci", "kubernetes", "custom.regex"]),
    );
    for (const custom of config.customManagers) expect(custom.customType).toBe("regex");
  });

  it.each([
    ["npm", ["package.json", "frontend/package.json", "ci/package.json", "docs/package.json"]],
    ["pip_requirements", ["backend/requirements.txt", "backend/requirements-dev.txt"]],
    ["github-actions", [".github/workflows/ci.yml"]],
    ["gitlabci", [".gitlab-ci.yml"]],
  ])("%s finds its files: %j", (name, expected) => {
    const pattern = DEFAULT_FILE_PATTERNS[name]!;
    expect(FILES.filter((file) => pattern.test(file))).toEqual(expect.arrayContaining(expected));
    for (const file of expected)
      expect(config.ignorePaths.some((ignored) => file.startsWith(ignored.replace("/**", "")))).toBe(false);
  });

  it("kubernetes reads the manifests that name a public image", () => {
    const patterns = (config.kubernetes?.managerFilePatterns ?? []).map(filePattern);
    const withImages = FILES.filter((file) => file.startsWith("k8s/") && /^\s+image: \S+:\S+/m.test(read(file)));
    expect(withImages.length).toBeGreaterThan(0);
    for (const file of withImages)
      expect(
        patterns.some((p) => p.test(file)),
        file,
      ).toBe(true);
  });

  it("updates every base image of the Dockerfiles, through the *_VERSION argument its FROM line uses", () => {
    const dockerfiles = FILES.filter((file) => /(^|\/|\.)Dockerfile$/.test(file));
    expect(dockerfiles).toEqual(["backend.Dockerfile", "frontend.Dockerfile"]);
    const fromLines = dockerfiles.flatMap((file) =>
      [...read(file).matchAll(/^FROM ([\w./-]+):\$\{(\w+)\}/gm)].map(
        (m) => `${m[1]}=${DEFAULT_VERSIONS[m[2] as keyof typeof DEFAULT_VERSIONS]}`,
      ),
    );
    const extracted = extract(manager("Dockerfile base images")).map((dep) => `${dep.depName}=${dep.currentValue}`);
    expect(new Set(extracted)).toEqual(new Set(fromLines));
    expect(extracted).toEqual(
      expect.arrayContaining([
        `python=${DEFAULT_VERSIONS.PYTHON_VERSION}`,
        `node=${DEFAULT_VERSIONS.NODE_VERSION}`,
        `nginxinc/nginx-unprivileged=${DEFAULT_VERSIONS.NGINX_VERSION}`,
      ]),
    );
  });

  it("updates the PostgreSQL image of compose.yaml", () => {
    expect(extract(manager("compose.yaml"))).toEqual([
      { file: "compose.yaml", depName: "postgres", currentValue: DEFAULT_VERSIONS.POSTGRES_VERSION },
    ]);
  });

  it("updates every pinned image of the pipeline (ci/src/images.ts)", () => {
    const extracted = extract(manager("ci/src/images.ts")).map((dep) => `${dep.depName}:${dep.currentValue}`);
    expect(extracted.sort()).toEqual([...PINNED_IMAGES].map((ref) => ref.replace(/@sha256:[a-f0-9]+$/, "")).sort());
  });

  it("updates the Dagger engine everywhere it is pinned, together with the SDK", () => {
    const engine = (JSON.parse(read("dagger.json")) as { engineVersion: string }).engineVersion.replace(/^v/, "");
    const extracted = extract(manager("Dagger engine"));
    const workflowCalls = FILES.filter((f) => f.startsWith(".github/workflows/")).flatMap(
      (f) => read(f).match(/uses: dagger\/dagger-for-github@/g) ?? [],
    );
    expect(extracted.filter((dep) => dep.file === "dagger.json")).toHaveLength(1);
    expect(extracted.filter((dep) => dep.file.startsWith(".github/workflows/"))).toHaveLength(workflowCalls.length);
    expect(extracted.filter((dep) => dep.file === ".gitlab-ci.yml")).toHaveLength(1);
    expect(new Set(extracted.map((dep) => `${dep.depName}@${dep.currentValue}`))).toEqual(
      new Set([`dagger/dagger@${engine}`]),
    );

    const sdk = (JSON.parse(read("package.json")) as { devDependencies: Record<string, string> }).devDependencies[
      "@dagger.io/dagger"
    ];
    expect(sdk).toBe(engine);
    const group = config.packageRules.find((rule) => rule.matchPackageNames?.includes("dagger/dagger"));
    expect(group?.groupName).toBeTruthy();
    expect(group?.matchPackageNames).toContain("@dagger.io/dagger");
  });
});
