/**
 * The "Dev on minikube" steps of k8s/README.md: the throwaway overlay they write gives every
 * container of the dev overlay the build's own tag, and the committed overlay only holds a
 * placeholder that no build produces (so a stale `:dev` image can never be what runs).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderOverlay } from "../../src/manifests/render";
import { workloadsOf } from "../../src/manifests/policy";
import { REPO_ROOT, renderRepo } from "./testing";

const readme = readFileSync(path.join(REPO_ROOT, "k8s/README.md"), "utf8");
const steps = /## Dev on minikube, from zero\n+```sh\n([\s\S]+?)\n```/.exec(readme)?.[1] ?? "";
const imagesOf = (objects: Awaited<ReturnType<typeof renderOverlay>>) =>
  workloadsOf(objects).flatMap((w) =>
    [...(w.spec.initContainers ?? []), ...(w.spec.containers ?? [])].map((c) => c.image ?? ""),
  );

describe("dev on minikube (k8s/README.md)", () => {
  const root = mkdtempSync(path.join(tmpdir(), "minikube-steps-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("tags each build uniquely and applies it through a throwaway overlay", async () => {
    expect(steps).toMatch(/^TAG="dev-\$\(date \+%Y%m%d%H%M%S\)"$/m);
    expect(steps).toContain('minikube image build -t "prestamos-backend:$TAG"');
    expect(steps).toContain('minikube image build -t "prestamos-frontend:$TAG"');
    expect(steps).toContain("kubectl apply -k .cache/minikube");
    // Run the README's lines that write the overlay, in a copy of the repo layout.
    const write = steps
      .split("\n")
      .filter(
        (line, i, all) =>
          line.startsWith("mkdir -p .cache/minikube") ||
          line.startsWith("printf ") ||
          all[i - 1]?.startsWith("printf "),
      );
    expect(write).toHaveLength(3);
    symlinkSync(path.join(REPO_ROOT, "k8s"), path.join(root, "k8s"));
    execFileSync("bash", ["-euc", `TAG=dev-20250101000000\n${write.join("\n")}`], { cwd: root });
    const images = imagesOf(await renderOverlay(path.join(root, ".cache/minikube")));
    expect(images.filter((i) => i.startsWith("prestamos-")).sort()).toEqual([
      ...Array(4).fill("prestamos-backend:dev-20250101000000"), // backend + the Job's three containers
      "prestamos-frontend:dev-20250101000000",
    ]);
  });

  it("commits only a placeholder tag for the app images", async () => {
    const images = imagesOf(await renderRepo("k8s/overlays/dev")).filter((i) => i.startsWith("prestamos-"));
    expect(new Set(images)).toEqual(new Set(["prestamos-backend:set-per-build", "prestamos-frontend:set-per-build"]));
    expect(readme).toContain("`set-per-build`");
  });
});
