// Unit tests of the pure checkers with small fixtures: each check must be able to fail.
import { describe, expect, it } from "vitest";
import {
  brokenLinks,
  diagramWorkloads,
  inlineDiagramProblems,
  manifestWorkloads,
  parseStamp,
  sha256,
  staleDiagrams,
  stampSvg,
  syncInlineDiagrams,
  workloadDrift,
} from "../../docs/tools/diagrams";

const CONFIG = '{"theme":"base"}';
const MMD = "flowchart LR\n  a --> b\n";
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>';
const stamped = (mmd: string, config = CONFIG, cli = "11.17.0") =>
  stampSvg(SVG, { source: "x.mmd", sourceSha256: sha256(mmd), configSha256: sha256(config), mermaidCli: cli });

describe("render stamps", () => {
  it("round-trips and replaces an older stamp", () => {
    const once = stamped("old");
    const twice = stampSvg(once, parseStamp(stamped(MMD))!);
    expect(parseStamp(twice)?.sourceSha256).toBe(sha256(MMD));
    expect(twice.match(/docs-render:/g)).toHaveLength(1);
    expect(twice.endsWith(SVG)).toBe(true);
  });

  it("accepts a current SVG", () => {
    expect(staleDiagrams([{ name: "x", mmd: MMD, svg: stamped(MMD) }], CONFIG, "11.17.0")).toEqual([]);
  });

  it("fails when the .mmd changed after rendering", () => {
    const problems = staleDiagrams([{ name: "x", mmd: `${MMD}  b --> c\n`, svg: stamped(MMD) }], CONFIG, "11.17.0");
    expect(problems).toEqual(["x.svg is stale: x.mmd changed since it was rendered"]);
  });

  it("fails when the SVG is missing, unstamped or orphaned", () => {
    expect(staleDiagrams([{ name: "x", mmd: MMD }], CONFIG, "11.17.0")[0]).toMatch(/missing/);
    expect(staleDiagrams([{ name: "x", mmd: MMD, svg: SVG }], CONFIG, "11.17.0")[0]).toMatch(/no docs-render stamp/);
    expect(staleDiagrams([{ name: "x", svg: stamped(MMD) }], CONFIG, "11.17.0")[0]).toMatch(/has no x.mmd/);
  });

  it("fails when the config or the mermaid-cli version changed", () => {
    expect(staleDiagrams([{ name: "x", mmd: MMD, svg: stamped(MMD) }], "{}", "11.17.0")[0]).toMatch(/config changed/);
    expect(staleDiagrams([{ name: "x", mmd: MMD, svg: stamped(MMD) }], CONFIG, "12.0.0")[0]).toMatch(
      /mermaid-cli 11.17.0/,
    );
  });
});

describe("diagram ↔ manifest drift", () => {
  const diagram = [
    "%% deploy/commented-out is ignored",
    "flowchart LR",
    '  subgraph prd["ns/challenge-prd"]',
    '    be["deploy/backend · svc/backend"]',
    '    subgraph inner["workers"]',
    '      mig["job/backend-migrate"]',
    "    end",
    "  end",
    '  db[("RDS")]',
    "  be --> db",
  ].join("\n");
  const objects = [
    { kind: "Namespace", metadata: { name: "challenge-prd" } },
    { kind: "Deployment", metadata: { name: "backend", namespace: "challenge-prd" } },
    { kind: "Service", metadata: { name: "backend", namespace: "challenge-prd" } },
    { kind: "Job", metadata: { name: "backend-migrate", namespace: "challenge-prd" } },
    { kind: "ConfigMap", metadata: { name: "ignored", namespace: "challenge-prd" } },
  ];

  it("parses namespaces, nested subgraphs and ignores comments", () => {
    const parsed = diagramWorkloads(diagram);
    expect([...(parsed.byNamespace.get("challenge-prd") ?? [])].sort()).toEqual([
      "deploy/backend",
      "job/backend-migrate",
      "svc/backend",
    ]);
    expect(parsed.outside).toEqual([]);
  });

  it("passes when both sides agree", () => {
    expect(workloadDrift(manifestWorkloads(objects), diagramWorkloads(diagram))).toEqual([]);
  });

  it("fails when a manifest object or namespace is not drawn", () => {
    const more = [
      ...objects,
      { kind: "HorizontalPodAutoscaler", metadata: { name: "backend", namespace: "challenge-prd" } },
      { kind: "Namespace", metadata: { name: "challenge-dev" } },
    ];
    expect(workloadDrift(manifestWorkloads(more), diagramWorkloads(diagram))).toEqual([
      "diagram: hpa/backend in ns/challenge-prd exists in the manifests but is not drawn",
      "diagram: namespace ns/challenge-dev from the manifests is not drawn",
    ]);
  });

  it("fails when the diagram draws something no manifest defines, or outside a namespace", () => {
    const extra = diagram
      .replace('db[("RDS")]', 'db[("RDS")]\n  cache["sts/redis"]')
      .replace("svc/backend", "svc/backend · hpa/backend");
    expect(workloadDrift(manifestWorkloads(objects), diagramWorkloads(extra))).toEqual([
      "diagram: sts/redis is not inside an ns/<namespace> subgraph",
      "diagram: hpa/backend is drawn in ns/challenge-prd but no manifest defines it there",
    ]);
  });
});

describe("Markdown links and inline diagram copies", () => {
  const exists = (p: string) => ["docs/diagrams/a.svg", "docs/operations.md", "README.md"].includes(p);

  it("resolves relative image and file links and ignores URLs, anchors and code", () => {
    const md = [
      "![a](diagrams/a.svg) [ops](operations.md#restore) [readme](../README.md)",
      '<img src="diagrams/a.svg" alt="a"> [web](https://example.com/x.png) [top](#top)',
      "`![x](nope.png)`",
      "```",
      "![y](nope.png)",
      "```",
    ].join("\n");
    expect(brokenLinks("docs/x.md", md, exists)).toEqual([]);
  });

  it("fails on a missing image or file", () => {
    const md = "intro\n![shot](images/form.png)\n<img src='diagrams/b.svg'>";
    expect(brokenLinks("docs/x.md", md, exists)).toEqual([
      "docs/x.md:2: image images/form.png → docs/images/form.png does not exist",
      "docs/x.md:3: image diagrams/b.svg → docs/diagrams/b.svg does not exist",
    ]);
  });

  // Blank lines around the fence: the form Prettier gives Markdown, which syncing keeps.
  const block = (code: string) =>
    `<!-- mermaid-source: diagrams/a.mmd -->\n\n\`\`\`mermaid\n${code}\`\`\`\n\n<!-- /mermaid-source -->`;
  const read = (p: string) => (p === "diagrams/a.mmd" ? MMD : undefined);

  it("accepts an inline copy identical to its .mmd and syncs a stale one", () => {
    expect(inlineDiagramProblems("docs/x.md", `# x\n${block(MMD)}\n`, read)).toEqual([]);
    const synced = syncInlineDiagrams(`# x\n${block("flowchart TB\n")}\n`, read);
    expect(synced).toBe(`# x\n${block(MMD)}\n`);
  });

  it("fails on a stale copy, a missing source and an unmarked mermaid block", () => {
    expect(inlineDiagramProblems("docs/x.md", block("flowchart TB\n"), read)[0]).toMatch(/differs/);
    expect(inlineDiagramProblems("docs/x.md", block(MMD).replace("diagrams/a.mmd", "diagrams/b.mmd"), read)[0]).toMatch(
      /does not exist/,
    );
    expect(inlineDiagramProblems("docs/x.md", "```mermaid\nflowchart LR\n```\n", read)).toEqual([
      "docs/x.md: 1 ```mermaid block(s) without a mermaid-source marker",
    ]);
  });
});
