/**
 * Which steps `ci` runs for which arguments. Pure: no Dagger, no I/O.
 *
 * lint, test and both image builds always run (concurrently). publish runs only with
 * registry credentials and only once the gate (lint, test, builds) passed. deploy is
 * decided here (branch → environment) but not implemented yet.
 */
import { environmentForBranch } from "./environments";
import type { ValidCiArgs } from "./validate";

export type StepName = "lint" | "test" | "build-backend" | "build-frontend" | "publish" | "deploy";

/** Steps of the gate: they run concurrently and must all pass before publish. */
export const GATE_STEPS: readonly StepName[] = ["lint", "test", "build-backend", "build-frontend"];

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
