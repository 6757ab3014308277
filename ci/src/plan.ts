/**
 * Which steps `ci` runs for which arguments. Pure: no Dagger, no I/O.
 *
 * The gate steps always run, concurrently: lint, test, both image builds, manifests
 * (render + schema + policy), scan-config (Trivy) and smoke (the built images run
 * together). publish runs only with registry credentials and only once the whole gate
 * passed. deploy is decided here (branch → environment) but not implemented yet.
 */
import { environmentForBranch } from "./environments";
import type { ValidCiArgs } from "./validate";

/** Steps of the gate: they run concurrently and must all pass before publish. */
export const GATE_STEPS = ["lint", "test", "build-backend", "build-frontend", "manifests", "scan-config", "smoke"] as const;
export type GateStep = (typeof GATE_STEPS)[number];

export type StepName = GateStep | "publish" | "deploy";

export interface PlannedStep {
  readonly name: StepName;
  /** True when the step is to be run (subject to the gate for publish). */
  readonly run: boolean;
  /** Why the step does not run, shown as `skipped (<reason>)`. */
  readonly skipReason?: string;
  /** Steps that must have passed first. */
  readonly needs: readonly StepName[];
}

export interface Plan {
  readonly steps: readonly PlannedStep[];
  /** Send a Slack notification at the end. */
  readonly notify: boolean;
  /** Environment selected by the branch, whether or not a deploy was requested. */
  readonly environment?: string;
}

/** Reason shown while the deploy function does not exist yet. */
export const DEPLOY_NOT_IMPLEMENTED = "not implemented yet";

export function planCi(args: ValidCiArgs): Plan {
  const gate = GATE_STEPS.map((name): PlannedStep => ({ name, run: true, needs: [] }));
  const publish: PlannedStep = args.publish
    ? { name: "publish", run: true, needs: GATE_STEPS }
    : { name: "publish", run: false, skipReason: "no registry credentials", needs: GATE_STEPS };

  const environment = environmentForBranch(args.branch);
  let deploy: PlannedStep;
  if (args.deploy) {
    deploy = { name: "deploy", run: false, skipReason: DEPLOY_NOT_IMPLEMENTED, needs: ["publish"] };
  } else if (!environment) {
    deploy = {
      name: "deploy",
      run: false,
      skipReason: args.branch ? `branch ${args.branch} does not deploy` : "no --branch",
      needs: ["publish"],
    };
  } else {
    deploy = { name: "deploy", run: false, skipReason: "no --kubeconfig", needs: ["publish"] };
  }
  return {
    steps: [...gate, publish, deploy],
    notify: args.notify,
    environment: environment ? `${environment.name} (${environment.namespace})` : undefined,
  };
}
