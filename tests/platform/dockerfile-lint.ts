/**
 * Our Dockerfile conventions that Trivy's misconfiguration checks (DS001–DS029, run by
 * test:k8s and the gate's scan-config step) do not cover: base images resolved from ARG
 * defaults, a numeric non-root USER, exec-form commands, no secrets in ARG/ENV, the package
 * index only in the builder, pinned and cache-free package installs, pipefail, and COPY
 * --from naming a stage. Built on dockerfile-ast (the parser behind the VS Code Docker
 * language server), so it runs anywhere Node runs: no Docker, no hadolint binary.
 *
 * Rule ids reuse hadolint's where the rule is the same (DLxxxx); project rules have names.
 *
 *   npx tsx tests/platform/dockerfile-lint.ts [Dockerfile ...]   # default: both root Dockerfiles
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../support/run";
import { fileURLToPath } from "node:url";
import { DockerfileParser, type Instruction, type Arg, type Env, type Flag } from "dockerfile-ast";
import { parseImageReference } from "../../ci/src/image-ref";
import { hasUrlPassword, isSecretName } from "../../ci/src/secret-patterns";

export interface Finding {
  readonly rule: string;
  readonly line: number;
  readonly message: string;
}

export const RULES = {
  DL3006: "FROM is a valid reference with an explicit tag or digest (ARG defaults expanded)",
  "from-unresolved": "FROM uses an ARG without a default declared before the first FROM",
  DL3002: "the final stage must end with a numeric, non-root USER",
  DL3025: "CMD, ENTRYPOINT and HEALTHCHECK CMD use the exec (JSON) form",
  "no-secrets": "no secrets in ENV/ARG names or values",
  "index-url-runtime": "package-index URLs are build-stage ARGs only: never ENV, never in the final stage",
  DL3008: "apt-get install pins package versions (pkg=version)",
  DL3009: "apt lists are removed in the RUN that fetched them",
  DL3042: "pip install uses --no-cache-dir or a cache mount",
  DL3013: "pip install pins package versions",
  DL3022: "COPY --from names an earlier stage",
  DL4006: "RUN with a pipe sets -o pipefail",
} as const;

export type RuleId = keyof typeof RULES;

const INDEX_URL_NAME = /^(PIP_(EXTRA_)?INDEX_URL|UV_(EXTRA_)?INDEX_URL|NPM_CONFIG_REGISTRY)$/i;

const line = (instruction: Instruction): number => instruction.getRange().start.line + 1;

/** Expands $NAME, ${NAME}, ${NAME:-default} and ${NAME-default} with `vars`. */
export function expandArgs(
  text: string,
  vars: ReadonlyMap<string, string | undefined>,
): { value: string; missing: string[] } {
  const missing: string[] = [];
  const value = text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare) as string;
      const known = vars.get(name);
      if (known !== undefined && known !== "") return known;
      if (fallback !== undefined) return fallback;
      missing.push(name);
      return "";
    },
  );
  return { value, missing };
}

function unquote(value: string | null | undefined): string {
  if (!value) return "";
  const trimmed = value.trim();
  if (trimmed.length >= 2 && /^(["']).*\1$/s.test(trimmed)) return trimmed.slice(1, -1);
  return trimmed;
}

/** Shell commands in a RUN (split on && || ; | and newlines), each as a word list. */
function shellCommands(script: string): string[][] {
  return script
    .split(/&&|\|\||;|\||\n/)
    .map((part) => part.trim().replace(/^[({]\s*/, ""))
    .filter(Boolean)
    .map((part) => part.split(/\s+/).filter(Boolean));
}

function hasFlag(flags: readonly Flag[], name: string, valuePattern?: RegExp): boolean {
  return flags.some((flag) => flag.getName() === name && (!valuePattern || valuePattern.test(flag.getValue() ?? "")));
}

function isJsonForm(content: string | null): boolean {
  if (!content) return false;
  const trimmed = content.trim();
  if (!trimmed.startsWith("[")) return false;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === "string");
  } catch {
    return false;
  }
}

function flagsOf(instruction: Instruction): Flag[] {
  const withFlags = instruction as Instruction & { getFlags?: () => Flag[] };
  return typeof withFlags.getFlags === "function" ? withFlags.getFlags() : [];
}

/** Lints one Dockerfile's text; returns the findings in line order. */
export function lintDockerfile(text: string): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: RuleId, at: Instruction | number, detail: string): void => {
    findings.push({ rule, line: typeof at === "number" ? at : line(at), message: `${RULES[rule]}: ${detail}` });
  };

  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();

  // Stages: the instructions after each FROM.
  const stages: { from: Instruction; name?: string; body: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === "FROM") {
      const args = instruction.getArguments().map((a) => a.getValue());
      const asIndex = args.findIndex((a) => a.toUpperCase() === "AS");
      stages.push({ from: instruction, name: asIndex >= 0 ? args[asIndex + 1]?.toLowerCase() : undefined, body: [] });
    } else if (stages.length > 0) {
      stages.at(-1)?.body.push(instruction);
    }
  }

  // --- FROM: explicit, non-latest tags after expanding the global ARG defaults ----------
  const globalArgs = new Map<string, string | undefined>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) globalArgs.set(property.getName(), unquote(property.getValue()) || undefined);
  }
  const stageNames: string[] = [];
  for (const stage of stages) {
    const rawImage =
      stage.from
        .getArguments()
        .map((a) => a.getValue())
        .find((value) => !value.startsWith("--")) ?? "";
    if (stageNames.includes(rawImage.toLowerCase()) || rawImage === "scratch") {
      if (stage.name) stageNames.push(stage.name);
      continue;
    }
    const { value, missing } = expandArgs(rawImage, globalArgs);
    if (missing.length > 0) {
      add("from-unresolved", stage.from, `${rawImage} (no default for ${missing.join(", ")})`);
    }
    const ref = parseImageReference(value);
    if (!ref) add("DL3006", stage.from, `${rawImage} → ${value} is not a valid image reference`);
    else if (!ref.tag && !ref.digest) add("DL3006", stage.from, `${rawImage} → ${value}`);
    if (stage.name) stageNames.push(stage.name);
  }

  // --- per instruction -----------------------------------------------------------------
  const knownStages: string[] = [];
  stages.forEach((stage, index) => {
    const isFinal = index === stages.length - 1;
    for (const instruction of stage.body) {
      const keyword = instruction.getKeyword();
      const content = instruction.getArgumentsContent() ?? "";
      const flags = flagsOf(instruction);

      if (keyword === "CMD" || keyword === "ENTRYPOINT") {
        if (!isJsonForm(content)) add("DL3025", instruction, `${keyword} ${content.slice(0, 60)}`);
      }
      if (keyword === "HEALTHCHECK") {
        const rest = content.trim();
        if (!/^NONE$/i.test(rest)) {
          const cmd = rest.replace(/^CMD\s+/i, "");
          if (!/^CMD\s/i.test(rest) || !isJsonForm(cmd)) add("DL3025", instruction, `HEALTHCHECK ${rest.slice(0, 60)}`);
        }
      }

      if (keyword === "ENV" || keyword === "ARG") {
        const properties = (instruction as Env | Arg).getProperties();
        for (const property of properties) {
          const name = property.getName();
          const value = unquote(property.getValue());
          if (isSecretName(name)) {
            add(
              "no-secrets",
              instruction,
              `${keyword} ${name} (pass secrets with RUN --mount=type=secret or at run time)`,
            );
          } else if (hasUrlPassword(value)) {
            add("no-secrets", instruction, `${keyword} ${name} holds a URL with a password`);
          }
          if (INDEX_URL_NAME.test(name) && (keyword === "ENV" || isFinal)) {
            add("index-url-runtime", instruction, `${keyword} ${name}${isFinal ? " in the final stage" : ""}`);
          }
        }
      }

      if (keyword === "COPY") {
        for (const flag of flags) {
          if (flag.getName() !== "from") continue;
          const from = (flag.getValue() ?? "").toLowerCase();
          const isIndex = /^\d+$/.test(from) && Number(from) < index;
          const isImage = from.includes(":") || from.includes("@") || from.includes("/");
          if (!knownStages.includes(from) && !isIndex && !isImage) {
            add("DL3022", instruction, `COPY --from=${from}`);
          }
        }
      }

      if (keyword === "RUN") {
        lintRun(instruction, content, flags, stage.body, add);
      }
    }
    if (stage.name) knownStages.push(stage.name);
  });

  // --- final stage: USER ------------------------------------------------------------------
  const final = stages.at(-1);
  if (final) {
    const users = final.body.filter((i) => i.getKeyword() === "USER");
    const lastUser = users.at(-1);
    if (!lastUser) {
      add("DL3002", final.from, "no USER in the final stage");
    } else {
      const [uid = "", gid] = unquote(lastUser.getArgumentsContent()).split(":");
      if (!/^\d+$/.test(uid)) add("DL3002", lastUser, `USER ${uid} is not numeric`);
      else if (Number(uid) === 0) add("DL3002", lastUser, "USER 0 is root");
      if (gid !== undefined && !/^\d+$/.test(gid)) add("DL3002", lastUser, `group ${gid} is not numeric`);
    }
  }

  return findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

function lintRun(
  instruction: Instruction,
  script: string,
  flags: readonly Flag[],
  stageBody: readonly Instruction[],
  add: (rule: RuleId, at: Instruction, detail: string) => void,
): void {
  const commands = shellCommands(script);
  const words = (cmd: string[]): string => cmd.join(" ");

  for (const cmd of commands) {
    // apt-get install
    const aptAt = cmd.findIndex((w, i) => (w === "apt-get" || w === "apt") && cmd[i + 1] === "install");
    const aptInstall = aptAt >= 0 ? cmd.slice(aptAt + 2) : undefined;
    if (aptInstall) {
      const packages = aptInstall.filter((w) => !w.startsWith("-") && !w.startsWith("$"));
      const unpinned = packages.filter((p) => !p.includes("=") && !p.endsWith(".deb"));
      if (unpinned.length > 0) add("DL3008", instruction, unpinned.join(", "));
    }

    // pip install
    const pipAt = cmd.findIndex((w, i) => /(^|\/)pip3?$/.test(w) || (w === "-m" && cmd[i + 1] === "pip"));
    if (pipAt >= 0) {
      const rest = cmd.slice(pipAt + 1);
      const installAt = rest.indexOf("install");
      if (installAt >= 0) {
        const args = rest.slice(installAt + 1);
        const cacheMount = hasFlag(
          flags,
          "mount",
          /type=cache.*(target|dst|destination)=[^,]*\.cache\/pip|(target|dst|destination)=[^,]*\.cache\/pip.*type=cache/,
        );
        if (!args.includes("--no-cache-dir") && !cacheMount) add("DL3042", instruction, words(cmd).slice(0, 60));
        const optionsWithValue = new Set([
          "-r",
          "--requirement",
          "-c",
          "--constraint",
          "-i",
          "--index-url",
          "--extra-index-url",
          "-t",
          "--target",
          "--prefix",
          "-f",
          "--find-links",
        ]);
        const packages: string[] = [];
        for (let i = 0; i < args.length; i += 1) {
          const arg = args[i] ?? "";
          if (optionsWithValue.has(arg)) {
            i += 1;
            continue;
          }
          if (arg.startsWith("-") || arg.startsWith("$") || arg === "." || arg.startsWith("./") || arg.startsWith("/"))
            continue;
          packages.push(arg);
        }
        const unpinned = packages.filter((p) => !/(==|===|@)/.test(p) && !p.endsWith(".whl"));
        if (unpinned.length > 0) add("DL3013", instruction, unpinned.join(", "));
      }
    }
  }

  // apt lists cleaned in the same RUN (or kept in a cache mount)
  if (/\bapt(-get)?\s+(update|install)\b/.test(script)) {
    const cleaned = /rm\s+-[a-z]*r[a-z]*f?\s+[^&;|]*\/var\/lib\/apt\/lists/.test(script);
    const cached = hasFlag(flags, "mount", /target=\/var\/lib\/apt/);
    if (!cleaned && !cached) add("DL3009", instruction, "rm -rf /var/lib/apt/lists/* missing");
  }

  // pipefail when the script pipes (| but not ||)
  if (/(^|[^|])\|([^|]|$)/.test(script)) {
    const shells = stageBody.filter((i) => i.getKeyword() === "SHELL" && line(i) < line(instruction));
    const shellPipefail = shells.some((i) => /pipefail/.test(i.getArgumentsContent() ?? ""));
    if (!shellPipefail && !/set\s+-[a-z]*o\s+pipefail|set\s+-o\s+pipefail/.test(script)) {
      add("DL4006", instruction, 'add SHELL ["/bin/bash", "-o", "pipefail", "-c"] or `set -o pipefail`');
    }
  }
}

/** Lints files; returns findings per file. */
export function lintFiles(files: readonly string[]): Map<string, Finding[]> {
  return new Map(files.map((file) => [file, lintDockerfile(readFileSync(file, "utf8"))]));
}

export const PROJECT_DOCKERFILES = ["backend.Dockerfile", "frontend.Dockerfile"].map((f) => path.join(REPO_ROOT, f));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : PROJECT_DOCKERFILES;
  let total = 0;
  for (const [file, findings] of lintFiles(files)) {
    const name = path.relative(process.cwd(), file);
    for (const finding of findings) console.log(`${name}:${finding.line} ${finding.rule} ${finding.message}`);
    if (findings.length === 0) console.log(`${name}: ok`);
    total += findings.length;
  }
  process.exit(total > 0 ? 1 : 0);
}
