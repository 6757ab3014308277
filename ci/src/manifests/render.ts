/**
 * Render a kustomize overlay with `kubectl kustomize` and parse the result.
 *
 * No top-level side effects: the pipeline imports these functions. `parseManifests`
 * and the object helpers are pure; only `renderOverlay` spawns a process.
 */
import { spawn } from "node:child_process";
import { parseAllDocuments } from "yaml";
import { kustomizeCommand } from "../commands";

/** The common shape of every rendered Kubernetes object. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface RenderOptions {
  /** kubectl binary; defaults to $KUBECTL or `kubectl` on PATH. */
  kubectl?: string;
  /** Abort the render after this many milliseconds (default 60 s). */
  timeoutMs?: number;
}

/** Error raised when kubectl is missing or kustomize fails. */
export class RenderError extends Error {
  override name = "RenderError";
}

/** Run `kubectl kustomize <dir>` and return its stdout (the multi-document YAML). */
export function kustomizeBuild(dir: string, options: RenderOptions = {}): Promise<string> {
  const kubectl = options.kubectl ?? process.env.KUBECTL ?? "kubectl";
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const [, ...args] = kustomizeCommand(dir).argv;
    const child = spawn(kubectl, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === "ENOENT") {
        reject(
          new RenderError(
            `kubectl not found (tried "${kubectl}"): install kubectl >= 1.32 (it embeds ` +
              "kustomize) or set KUBECTL to its path",
          ),
        );
      } else {
        reject(new RenderError(`could not run ${kubectl}: ${error.message}`));
      }
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(Buffer.concat(out).toString("utf8"));
      } else {
        const stderr = Buffer.concat(err).toString("utf8").trim();
        const why = signal ? `killed by ${signal} (timeout ${timeoutMs} ms?)` : `exit code ${code}`;
        reject(new RenderError(`kubectl kustomize ${dir} failed (${why}): ${stderr}`));
      }
    });
  });
}

/** Render an overlay directory into parsed objects. */
export async function renderOverlay(dir: string, options: RenderOptions = {}): Promise<K8sObject[]> {
  return parseManifests(await kustomizeBuild(dir, options));
}

/**
 * Parse multi-document YAML into Kubernetes objects. Empty documents are skipped;
 * YAML errors and documents that are not objects with apiVersion/kind/metadata.name
 * throw, naming the document index.
 */
export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length > 0) {
      throw new RenderError(`YAML document ${index}: ${doc.errors.map((e) => e.message).join("; ")}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (!isK8sObject(value)) {
      throw new RenderError(`YAML document ${index} is not a Kubernetes object (apiVersion, kind, metadata.name)`);
    }
    objects.push(value);
  });
  return objects;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isK8sObject(value: unknown): value is K8sObject {
  return (
    isRecord(value) &&
    typeof value.apiVersion === "string" &&
    typeof value.kind === "string" &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === "string"
  );
}

/** "Kind/name", the id used in findings and diffs (an overlay renders one namespace). */
export function objectId(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}
