/**
 * What each root vitest project needs on this machine beyond node_modules. Used by
 * scripts/test-project.ts before it runs the project's pipeline command.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { RootTestProject } from "../../ci/src/commands";
import { findNginx } from "./nginx";
import { findPostgresBin } from "./postgres";
import { missingPrerequisite } from "./prerequisites";
import { findOnPath, VENV_BIN } from "./run";

export interface Prerequisite {
  readonly what: string;
  readonly hint: string;
  readonly present: () => boolean;
}

function python311Found(): boolean {
  const probe = spawnSync("python3", ["-c", "import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)"], {
    stdio: "ignore",
  });
  return probe.status === 0;
}

function kubectlFound(): boolean {
  return spawnSync(process.env.KUBECTL || "kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;
}

export const PROJECT_PREREQUISITES: Readonly<Record<RootTestProject, readonly Prerequisite[]>> = {
  ci: [],
  k8s: [
    { what: "kubectl", hint: "Install kubectl >= 1.32 (it embeds kustomize) or set KUBECTL.", present: kubectlFound },
  ],
  platform: [
    {
      what: "nginx",
      hint: "Install it with apt-get install nginx-light (or set NGINX_BIN).",
      present: () => findNginx() !== null,
    },
    {
      what: "Python >= 3.11 with venv (npm start)",
      hint: "Install python3 and python3-venv.",
      present: python311Found,
    },
    {
      what: "the project venv (database TLS test)",
      hint: "Run npm run setup.",
      present: () => existsSync(path.join(VENV_BIN, "python")),
    },
    {
      what: "PostgreSQL server binaries (database TLS test)",
      hint: "Install them with apt-get install postgresql.",
      present: () => findPostgresBin() !== null,
    },
    {
      what: "openssl (database TLS test)",
      hint: "Install it with apt-get install openssl.",
      present: () => findOnPath("openssl") !== null,
    },
    { what: "git (pre-commit hook test)", hint: "Install git.", present: () => findOnPath("git") !== null },
  ],
  docs: [],
};

/** Says NOT RUN (exit 3) for the first missing prerequisite, or throws under CI=true. */
export function checkPrerequisites(project: RootTestProject, table = PROJECT_PREREQUISITES): void {
  for (const prerequisite of table[project]) {
    if (!prerequisite.present()) missingPrerequisite(project, prerequisite.what, prerequisite.hint);
  }
}
