/**
 * Pure checks behind the documentation: diagram staleness, diagram ↔ manifest drift,
 * inline Mermaid copies and local links. No I/O and no browser: callers read the files
 * and pass their contents, so every check can be unit-tested with small fixtures.
 *
 * Used by docs/tools/render.ts (which stamps and syncs) and tests/docs/*.test.ts
 * (which verify).
 */
import { createHash } from "node:crypto";
import path from "node:path";

// ---------------------------------------------------------------------------------
// Render stamps: each committed SVG records the hash of the source it was made from.
// ---------------------------------------------------------------------------------

/** What a rendered SVG was produced from. */
export interface RenderStamp {
  /** File name of the Mermaid source, e.g. `architecture.mmd`. */
  readonly source: string;
  /** sha256 (hex) of the .mmd file's bytes. */
  readonly sourceSha256: string;
  /** sha256 (hex) of the Mermaid config file used for every diagram. */
  readonly configSha256: string;
  /** Version of @mermaid-js/mermaid-cli that rendered it. */
  readonly mermaidCli: string;
}

const STAMP_PREFIX = "docs-render:";
const STAMP_RE =
  /<!--\s*docs-render:\s*source=(\S+)\s+sha256=([0-9a-f]{64})\s+config-sha256=([0-9a-f]{64})\s+mermaid-cli=(\S+)\s*-->/;

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The XML comment written at the top of each SVG. */
export function formatStamp(stamp: RenderStamp): string {
  return (
    `<!-- ${STAMP_PREFIX} source=${stamp.source} sha256=${stamp.sourceSha256} ` +
    `config-sha256=${stamp.configSha256} mermaid-cli=${stamp.mermaidCli} -->`
  );
}

export function parseStamp(svg: string): RenderStamp | undefined {
  const match = STAMP_RE.exec(svg);
  if (!match) return undefined;
  const [, source, sourceSha256, configSha256, mermaidCli] = match;
  if (!source || !sourceSha256 || !configSha256 || !mermaidCli) return undefined;
  return { source, sourceSha256, configSha256, mermaidCli };
}

/** Puts the stamp before the root element (replacing an older stamp, if any). */
export function stampSvg(svg: string, stamp: RenderStamp): string {
  const body = svg.replace(new RegExp(`${STAMP_RE.source}\\s*`, "g"), "").replace(/^\s+/, "");
  const xmlDecl = /^<\?xml[^>]*\?>\s*/.exec(body);
  if (xmlDecl) return `${xmlDecl[0]}${formatStamp(stamp)}\n${body.slice(xmlDecl[0].length)}`;
  return `${formatStamp(stamp)}\n${body}`;
}

/** One diagram as found on disk: the .mmd and its .svg (undefined when missing). */
export interface DiagramFiles {
  /** Base name without extension, e.g. `architecture`. */
  readonly name: string;
  readonly mmd?: string;
  readonly svg?: string;
}

/**
 * Problems that make a committed SVG untrustworthy: missing, unstamped, or rendered
 * from another source, config or mermaid-cli version. Empty when all are current.
 */
export function staleDiagrams(diagrams: readonly DiagramFiles[], config: string, mermaidCli: string): string[] {
  const problems: string[] = [];
  const configSha256 = sha256(config);
  for (const { name, mmd, svg } of diagrams) {
    if (mmd === undefined) {
      problems.push(`${name}.svg has no ${name}.mmd source (delete it or restore the source)`);
      continue;
    }
    if (svg === undefined) {
      problems.push(`${name}.svg is missing: run \`npm run docs:render\``);
      continue;
    }
    const stamp = parseStamp(svg);
    if (!stamp) {
      problems.push(`${name}.svg has no docs-render stamp: run \`npm run docs:render\``);
      continue;
    }
    if (stamp.source !== `${name}.mmd`) {
      problems.push(`${name}.svg was rendered from ${stamp.source}, not ${name}.mmd`);
    }
    if (stamp.sourceSha256 !== sha256(mmd)) {
      problems.push(`${name}.svg is stale: ${name}.mmd changed since it was rendered`);
    }
    if (stamp.configSha256 !== configSha256) {
      problems.push(`${name}.svg is stale: the Mermaid config changed since it was rendered`);
    }
    if (stamp.mermaidCli !== mermaidCli) {
      problems.push(`${name}.svg was rendered with mermaid-cli ${stamp.mermaidCli}, installed is ${mermaidCli}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------
// Drift: Kubernetes objects named in the architecture diagram vs. rendered manifests.
// ---------------------------------------------------------------------------------

/**
 * Kinds the diagram must show, keyed by kind, valued by the `kubectl` short name used
 * in node labels: `deploy/backend`, `svc/backend`, `job/backend-migrate`, `hpa/backend`,
 * `sts/postgres`, and `ns/challenge-dev` in a namespace subgraph's title.
 */
export const KIND_PREFIX: Readonly<Record<string, string>> = {
  Deployment: "deploy",
  StatefulSet: "sts",
  DaemonSet: "ds",
  Job: "job",
  CronJob: "cj",
  Service: "svc",
  HorizontalPodAutoscaler: "hpa",
};

const REF_RE = /(?<![\w/.-])(ns|deploy|sts|ds|job|cj|svc|hpa)\/([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)/g;

/** `deploy/backend`-style references, grouped by the namespace they belong to. */
export interface WorkloadMap {
  /** Every namespace, each with its workloads (possibly none). */
  readonly byNamespace: Map<string, Set<string>>;
}

/** Minimal shape of a Kubernetes object, as parsed from rendered YAML. */
export interface KubeObject {
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown } | null;
}

/** The namespaces and workloads a rendered overlay creates. */
export function manifestWorkloads(objects: readonly (KubeObject | null | undefined)[]): WorkloadMap {
  const byNamespace = new Map<string, Set<string>>();
  const ns = (name: string) => {
    let set = byNamespace.get(name);
    if (!set) byNamespace.set(name, (set = new Set()));
    return set;
  };
  for (const object of objects) {
    if (!object || typeof object.kind !== "string") continue;
    const name = object.metadata?.name;
    const namespace = object.metadata?.namespace;
    if (typeof name !== "string") continue;
    if (object.kind === "Namespace") {
      ns(name);
      continue;
    }
    const prefix = KIND_PREFIX[object.kind];
    if (!prefix) continue;
    ns(typeof namespace === "string" ? namespace : "default").add(`${prefix}/${name}`);
  }
  return { byNamespace };
}

/** Merges the workloads of several overlays (each overlay has its own namespace). */
export function mergeWorkloads(maps: readonly WorkloadMap[]): WorkloadMap {
  const byNamespace = new Map<string, Set<string>>();
  for (const map of maps) {
    for (const [ns, refs] of map.byNamespace) {
      const set = byNamespace.get(ns) ?? new Set<string>();
      for (const ref of refs) set.add(ref);
      byNamespace.set(ns, set);
    }
  }
  return { byNamespace };
}

/** What a Mermaid flowchart says about Kubernetes objects. */
export interface DiagramWorkloads extends WorkloadMap {
  /** Workload references that are not inside any `ns/<name>` subgraph. */
  readonly outside: string[];
}

/** Removes `%%` comment lines and directives, which must not count as references. */
function mermaidLines(mmd: string): string[] {
  return mmd
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => !line.startsWith("%%"));
}

/**
 * Reads the diagram convention: a subgraph whose title contains `ns/<name>` is that
 * namespace; every `deploy/…`, `svc/…`, `job/…`, `hpa/…`, `sts/…` written on a line
 * inside it (nested subgraphs included) belongs to it. Define nodes inside their
 * subgraph and draw edges by node id.
 */
export function diagramWorkloads(mmd: string): DiagramWorkloads {
  const byNamespace = new Map<string, Set<string>>();
  const outside: string[] = [];
  const stack: (string | undefined)[] = [];
  const current = () => [...stack].reverse().find((ns) => ns !== undefined);
  for (const line of mermaidLines(mmd)) {
    if (/^end\b/.test(line) && !/^end\w/.test(line)) {
      stack.pop();
      continue;
    }
    const refs = [...line.matchAll(REF_RE)].map(([, kind, name]) => `${kind}/${name}`);
    if (line.startsWith("subgraph ")) {
      const ns = refs.find((ref) => ref.startsWith("ns/"))?.slice(3);
      if (ns !== undefined && !byNamespace.has(ns)) byNamespace.set(ns, new Set());
      stack.push(ns);
    }
    for (const ref of refs) {
      if (ref.startsWith("ns/")) {
        if (!byNamespace.has(ref.slice(3))) byNamespace.set(ref.slice(3), new Set());
        continue;
      }
      const ns = current();
      if (ns === undefined) outside.push(ref);
      else byNamespace.get(ns)?.add(ref);
    }
  }
  return { byNamespace, outside };
}

/** Differences between the manifests and the diagram, in both directions. */
export function workloadDrift(manifests: WorkloadMap, diagram: DiagramWorkloads): string[] {
  const problems: string[] = [];
  for (const ref of diagram.outside) {
    problems.push(`diagram: ${ref} is not inside an ns/<namespace> subgraph`);
  }
  for (const [ns, refs] of manifests.byNamespace) {
    const drawn = diagram.byNamespace.get(ns);
    if (!drawn) {
      problems.push(`diagram: namespace ns/${ns} from the manifests is not drawn`);
      continue;
    }
    for (const ref of [...refs].sort()) {
      if (!drawn.has(ref)) problems.push(`diagram: ${ref} in ns/${ns} exists in the manifests but is not drawn`);
    }
  }
  for (const [ns, refs] of diagram.byNamespace) {
    const real = manifests.byNamespace.get(ns);
    if (!real) {
      problems.push(`diagram: ns/${ns} is drawn but no overlay creates it`);
      continue;
    }
    for (const ref of [...refs].sort()) {
      if (!real.has(ref)) problems.push(`diagram: ${ref} is drawn in ns/${ns} but no manifest defines it there`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------
// Markdown: local links and inline copies of the .mmd sources.
// ---------------------------------------------------------------------------------

/** A link or image found in Markdown. */
export interface MarkdownLink {
  readonly kind: "image" | "link";
  readonly target: string;
  readonly line: number;
}

/** Fenced code blocks are blanked (lines kept) so their contents are never parsed. */
function withoutCode(md: string): string {
  let fence: string | undefined;
  return md
    .split("\n")
    .map((line) => {
      const open = /^\s*(```+|~~~+)/.exec(line);
      if (fence === undefined && open?.[1]) {
        fence = open[1];
        return "";
      }
      if (fence !== undefined) {
        if (line.trim().startsWith(fence)) fence = undefined;
        return "";
      }
      return line.replace(/`[^`\n]*`/g, (code) => " ".repeat(code.length));
    })
    .join("\n");
}

export function markdownLinks(md: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  withoutCode(md)
    .split("\n")
    .forEach((text, index) => {
      const line = index + 1;
      for (const m of text.matchAll(/(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        if (m[2]) links.push({ kind: m[1] ? "image" : "link", target: m[2], line });
      }
      for (const m of text.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)) {
        if (m[1]) links.push({ kind: "image", target: m[1], line });
      }
    });
  return links;
}

/** True for links that point into the repository (not URLs, mail or page anchors). */
export function isLocalTarget(target: string): boolean {
  return !/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(target);
}

/**
 * Local links and images in one Markdown file that point at nothing. `file` is the
 * repo-relative path of the Markdown file; `exists` answers for repo-relative paths.
 */
export function brokenLinks(file: string, md: string, exists: (repoPath: string) => boolean): string[] {
  const problems: string[] = [];
  for (const link of markdownLinks(md)) {
    if (!isLocalTarget(link.target)) continue;
    const bare = decodeURI(link.target.replace(/[?#].*$/, ""));
    if (bare === "") continue;
    const resolved = bare.startsWith("/")
      ? path.posix.normalize(bare.slice(1))
      : path.posix.normalize(path.posix.join(path.posix.dirname(file), bare));
    if (resolved.startsWith("../") || !exists(resolved)) {
      problems.push(`${file}:${link.line}: ${link.kind} ${link.target} → ${resolved} does not exist`);
    }
  }
  return problems;
}

/**
 * An inline copy of a diagram source in Markdown:
 *
 *     <!-- mermaid-source: diagrams/architecture.mmd -->
 *     ```mermaid
 *     …exact contents of the .mmd…
 *     ```
 *     <!-- /mermaid-source -->
 */
export interface InlineDiagram {
  /** Path as written, relative to the Markdown file. */
  readonly source: string;
  /** The fenced block's contents, without the fences. */
  readonly code: string | undefined;
  readonly line: number;
}

const INLINE_RE = /<!--\s*mermaid-source:\s*(\S+)\s*-->\n([\s\S]*?)<!--\s*\/mermaid-source\s*-->/g;

export function inlineDiagrams(md: string): InlineDiagram[] {
  return [...md.matchAll(INLINE_RE)].map((m) => {
    const body = m[2] ?? "";
    const fenced = /^```mermaid\n([\s\S]*?)^```\s*$/m.exec(body);
    return {
      source: m[1] ?? "",
      code: fenced?.[1],
      line: md.slice(0, m.index).split("\n").length,
    };
  });
}

/** Number of ```mermaid fences in the Markdown, marked or not. */
export function countMermaidFences(md: string): number {
  return (md.match(/^```mermaid\s*$/gm) ?? []).length;
}

/** Normalises a source for embedding: exactly one trailing newline. */
function asBlock(source: string): string {
  return `${source.replace(/\s+$/, "")}\n`;
}

/**
 * Inline copies that differ from their .mmd, point at a missing .mmd, or ```mermaid
 * fences that are not marked as a copy (a second, unchecked source of truth).
 * `read` gets the path relative to the Markdown file and returns undefined if missing.
 */
export function inlineDiagramProblems(
  file: string,
  md: string,
  read: (relative: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  const inline = inlineDiagrams(md);
  for (const block of inline) {
    const source = read(block.source);
    if (source === undefined) {
      problems.push(`${file}:${block.line}: inline diagram source ${block.source} does not exist`);
    } else if (block.code === undefined) {
      problems.push(`${file}:${block.line}: marker for ${block.source} has no \`\`\`mermaid block`);
    } else if (block.code !== asBlock(source)) {
      problems.push(`${file}:${block.line}: inline copy of ${block.source} differs: run \`npm run docs:render\``);
    }
  }
  const fences = countMermaidFences(md);
  if (fences > inline.length) {
    problems.push(`${file}: ${fences - inline.length} \`\`\`mermaid block(s) without a mermaid-source marker`);
  }
  return problems;
}

/** Rewrites every marked inline copy from its .mmd (used by `npm run docs:render`). */
export function syncInlineDiagrams(md: string, read: (relative: string) => string | undefined): string {
  return md.replace(INLINE_RE, (whole, source: string) => {
    const text = read(source);
    if (text === undefined) return whole;
    // Blank lines around the fence, as Prettier writes Markdown: formatting and syncing agree.
    return `<!-- mermaid-source: ${source} -->\n\n\`\`\`mermaid\n${asBlock(text)}\`\`\`\n\n<!-- /mermaid-source -->`;
  });
}
