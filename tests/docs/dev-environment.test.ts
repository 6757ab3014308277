// (4) One story about where dev runs: challenge-dev is the dev overlay on minikube, and
// challenge-dev on EKS is future work. The overlay cannot run on EKS (ingress-nginx, its
// namespace in the NetworkPolicy, minikube's pod CIDR as trusted proxy, a PVC for the
// default StorageClass), so no page and no diagram may place it there.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DIAGRAMS_DIR, markdownFiles } from "../../docs/tools/files";
import { renderOverlay } from "../../ci/src/manifests/render";
import { REPO_ROOT } from "../support/run";

interface Subgraph {
  id: string;
  title: string;
  parents: string[];
}

/** Subgraphs of a Mermaid flowchart with the ids of the subgraphs around each. */
export function subgraphs(mmd: string): Subgraph[] {
  const out: Subgraph[] = [];
  const stack: Subgraph[] = [];
  for (const raw of mmd.split(/\r?\n/)) {
    const line = raw.trim();
    const open = /^subgraph\s+([\w-]+)(?:\s*\["([^"]*)"\])?/.exec(line);
    if (open?.[1]) {
      const sub = { id: open[1], title: open[2] ?? open[1], parents: stack.map((s) => s.id) };
      out.push(sub);
      stack.push(sub);
    } else if (line === "end") {
      stack.pop();
    }
  }
  return out;
}

/** Text units to judge one at a time: paragraphs, and each table row on its own. */
function units(markdown: string): string[] {
  return markdown
    .split(/\n\s*\n/)
    .flatMap((block) => (block.trimStart().startsWith("|") ? block.split("\n") : [block]));
}

const DOCS = [
  ...markdownFiles(),
  "k8s/components/aws/README.md",
  "k8s/components/external-secrets/README.md",
  "k8s/components/hpa/README.md",
  "k8s/components/network-policies/README.md",
  "k8s/components/pdb/README.md",
  "k8s/components/postgres/README.md",
];
const STORY = /`?challenge-dev`?\s+on\s+EKS\s+is\s+future\s+work/;

describe("where challenge-dev runs", () => {
  it("the dev overlay is built for minikube, not EKS", async () => {
    const objects = await renderOverlay(path.join(REPO_ROOT, "k8s/overlays/dev"));
    const ingress = objects.find((o) => o.kind === "Ingress") as { spec?: { ingressClassName?: string } } | undefined;
    expect(ingress?.spec?.ingressClassName).toBe("nginx");
    expect(objects.some((o) => o.kind === "StatefulSet" && o.metadata.name === "postgres")).toBe(true);
    expect(objects.some((o) => o.apiVersion.startsWith("external-secrets.io/"))).toBe(false);
  }, 60_000);

  it("the architecture diagram draws ns/challenge-dev on minikube, outside the EKS cluster", () => {
    const graphs = subgraphs(readFileSync(path.join(DIAGRAMS_DIR, "architecture.mmd"), "utf8"));
    const byId = new Map(graphs.map((g) => [g.id, g]));
    const dev = graphs.find((g) => g.title.includes("ns/challenge-dev"));
    const prd = graphs.find((g) => g.title.includes("ns/challenge-prd"));
    expect(dev && prd).toBeTruthy();
    const around = (g: Subgraph) => g.parents.map((id) => byId.get(id)?.title ?? "");
    expect(around(prd!).some((title) => /\bEKS\b/.test(title))).toBe(true);
    expect(around(dev!).some((title) => /\bEKS cluster\b|AWS account/.test(title))).toBe(false);
    expect(around(dev!).some((title) => /minikube/.test(title))).toBe(true);
  });

  it("no page places challenge-dev on EKS without saying it is minikube today or future work", () => {
    const problems = DOCS.flatMap((file) =>
      units(readFileSync(path.join(REPO_ROOT, file), "utf8"))
        .filter((unit) => unit.includes("challenge-dev") && /\bEKS\b/.test(unit) && !/minikube|future work/i.test(unit))
        .map((unit) => `${file}: ${unit.trim().slice(0, 160)}`),
    );
    expect(problems).toEqual([]);
  });

  it("the README, k8s/README.md and docs/architecture.md each state it", () => {
    for (const file of ["README.md", "k8s/README.md", "docs/architecture.md"]) {
      expect(readFileSync(path.join(REPO_ROOT, file), "utf8"), file).toMatch(STORY);
    }
  });
});
