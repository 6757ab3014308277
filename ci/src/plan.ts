/**
 * Which steps `ci` runs for which arguments. Pure: no Dagger, no I/O.
 *
 * Three kinds of run:
 * - check (no registry): the gate only. Its steps run concurrently: lint, test, both image
 *   builds, manifests (render + schema + policy), scan-config (Trivy on the manifests and
 *   Dockerfiles), scan-images (Trivy on the built images, SBOMs) and smoke (the images run
 *   together).
 * - release (registry credentials, any branch but main): the gate, then publish (only when
 *   the whole gate passed), optional signing, on dev with a kubeconfig the deploy to
 *   challenge-dev, and the release record (release.json), published as
 *   `<registry>/releases:tree-<hash>` only after dev's deploy and its smoke test passed.
 * - promote (main with registry credentials): nothing is built; the record of the commit's
 *   tree is looked up and, when it allows it, its digests are deployed to challenge-prd.
 */
import { environmentForBranch, RELEASE_BRANCH } from "./environments";
import type { ValidCiArgs } from "./validate";

/** Steps of the gate: they run concurrently and must all pass before publish. */
export const GATE_STEPS = [
  "lint",
  "test",
  "build-backend",
  "build-frontend",
  "manifests",
  "scan-config",
  "scan-images",
  "smoke",
] as const;
export type GateStep = (typeof GATE_STEPS)[number];

export type StepName = GateStep | "publish" | "sign" | "promote" | "deploy" | "record";

export type RunKind = "check" | "release" | "promote";

export interface PlannedStep {
  readonly name: StepName;
  /** True when the step is to be run (subject to the steps it needs having passed). */
  readonly run: boolean;
  /** Why the step does not run, shown as `skipped (<reason>)`. */
  readonly skipReason?: string;
  /** Steps that must have passed first. */
  readonly needs: readonly StepName[];
}

export interface Plan {
  readonly kind: RunKind;
  readonly steps: readonly PlannedStep[];
  /** Send a Slack notification at the end. */
  readonly notify: boolean;
  /** Environment selected by the branch, whether or not a deploy was requested. */
  readonly environment?: string;
  /** Release runs: why the record will not be published whatever happens (undefined: after dev's deploy passes). */
  readonly recordPublication?: string;
}

const run = (name: StepName, needs: readonly StepName[]): PlannedStep => ({ name, run: true, needs });
const skip = (name: StepName, skipReason: string, needs: readonly StepName[] = []): PlannedStep => ({
  name,
  run: false,
  skipReason,
  needs,
});

/** Why a branch's run does not deploy, or undefined when it does. */
function deploySkipReason(args: ValidCiArgs): string | undefined {
  if (args.deploy) return undefined;
  if (!args.branch) return "no --branch";
  if (!environmentForBranch(args.branch)) return `branch ${args.branch} does not deploy`;
  return "no --kubeconfig";
}

export function planCi(args: ValidCiArgs): Plan {
  const environment = environmentForBranch(args.branch);
  const named = environment ? `${environment.name} (${environment.namespace})` : undefined;
  const base = { notify: args.notify, environment: named };
  const noDeploy = deploySkipReason(args);

  if (args.promote) {
    return {
      ...base,
      kind: "promote",
      steps: [run("promote", []), noDeploy ? skip("deploy", noDeploy, ["promote"]) : run("deploy", ["promote"])],
    };
  }
  const gate = GATE_STEPS.map((name) => run(name, []));
  if (!args.publish) {
    return {
      ...base,
      kind: "check",
      steps: [
        ...gate,
        skip("publish", "no registry credentials", GATE_STEPS),
        skip("deploy", noDeploy ?? "no registry credentials", ["publish"]),
      ],
    };
  }
  const sign: PlannedStep[] = args.sign ? [run("sign", ["publish"])] : [];
  const deploy = noDeploy ? skip("deploy", noDeploy, ["publish"]) : run("deploy", ["publish"]);
  // The record is always written (release.json); it is published only after dev's deploy.
  const recordPublication =
    args.branch !== RELEASE_BRANCH
      ? `only ${RELEASE_BRANCH}'s deployed runs publish it`
      : noDeploy
        ? `${RELEASE_BRANCH} is not deployed (${noDeploy})`
        : undefined;
  return {
    ...base,
    kind: "release",
    steps: [...gate, run("publish", GATE_STEPS), ...sign, deploy, run("record", ["publish"])],
    recordPublication,
  };
}

/**
 * Why this run's release record is not published to the registry, or undefined when it is:
 * only dev's runs publish, and only once dev's deploy and its smoke test passed.
 */
export function recordNotPublishedReason(
  plan: Plan,
  deployment: { outcome: string; smokeTest: string } | undefined,
): string | undefined {
  if (plan.kind !== "release") return "not a release run";
  if (plan.recordPublication) return plan.recordPublication;
  if (!deployment) return `${RELEASE_BRANCH} was not deployed`;
  if (deployment.outcome !== "succeeded" || deployment.smokeTest !== "passed")
    return `${RELEASE_BRANCH}'s deploy or smoke test failed`;
  return undefined;
}
