/**
 * The `ci` run, step by step, as planned by ci/src/plan.ts: the gate (concurrently), then
 * for a release publish → sign → deploy dev → release record, or for main the promotion of
 * dev's record → deploy prod; then one summary, one Slack message and the artifacts. Every
 * step is timed and never throws (steps.ts), so the summary always lists all of them.
 * Engine calls live in the other stages; the decisions in plain modules.
 */
import {
  dag,
  ExecError,
  type Container,
  type Directory,
  type GitRepository,
  type Secret,
  type Service,
} from "@dagger.io/dagger";

import { deployOutcome } from "../deploy/outcome";
import type { Environment } from "../environments";
import { checkGitFacts, type GitFacts } from "../git/facts";
import { GATE_STEPS, recordNotPublishedReason, type GateStep, type Plan, type StepName } from "../plan";
import type { Approval } from "../release/promotion";
import {
  buildReleaseRecord,
  imageRelease,
  serializeRecord,
  type Deployment,
  type ReleaseRecord,
} from "../release/record";
import type { Scrubber } from "../report/scrub";
import { deployBadge } from "../report/shields";
import { allPassed, runConcurrently, runStep, skipped, type StepOutput, type StepResult } from "../steps";
import { collectDigests, formatSummary } from "../summary";
import type { ValidCiArgs } from "../validate";
import { buildImage } from "./build";
import {
  deployContainer,
  deployTarget,
  manifestsFile,
  renderOverlay,
  type Credentials,
  type ReleaseImages,
} from "./deploy";
import { readGitFacts } from "./git";
import { lint } from "./lint";
import { manifests } from "./manifests";
import { publish } from "./publish";
import { promotionFor, refusalMessage } from "./promote";
import { publishRecord, signImages, type RegistryAuth } from "./release";
import { notifySlack, scrubberFor } from "./report";
import { requireCleanScans, scanImages, type ScanResult } from "./scan";
import { scanConfig } from "./scan-config";
import { smoke } from "./smoke";
import { junitReports, test } from "./test";

/** Every credential `ci` may be given. */
export interface CiSecrets {
  readonly registryPassword?: Secret;
  readonly kubeconfig?: Secret;
  readonly slackWebhook?: Secret;
  readonly awsAccessKeyId?: Secret;
  readonly awsSecretAccessKey?: Secret;
  readonly awsSessionToken?: Secret;
  readonly cosignKey?: Secret;
  readonly cosignPassword?: Secret;
}

export interface CiRun {
  readonly source: Directory;
  readonly args: ValidCiArgs;
  readonly plan: Plan;
  readonly secrets: CiSecrets;
  /** The repository (contextual argument): commit, tree and author of a release or promotion. */
  readonly git?: GitRepository;
  /** A host API server (minikube), bound into the deployer. */
  readonly kubeApi?: Service;
}

export interface CiOutcome {
  readonly passed: boolean;
  readonly summary: string;
  /** summary.txt; release.json, scan/ and the deploy log and badge when the run made them. */
  readonly artifacts: Directory;
}

/** What the steps of one run leave behind for the ones after them and for the report. */
interface RunState {
  readonly startedAt: Date;
  results: StepResult[];
  artifacts: Directory;
  notes: string[];
  facts?: GitFacts;
  record?: ReleaseRecord;
  gateWallMs?: number;
  /** The run's scrubber, built once, when first needed (it reads the secrets' values). */
  readonly scrub: () => Promise<Scrubber>;
}

function planned(plan: Plan, name: StepName) {
  return plan.steps.find((s) => s.name === name);
}

function passed(results: readonly StepResult[], name: string): boolean {
  return results.some((r) => r.name === name && r.status === "passed");
}

function registryAuth(args: ValidCiArgs, secrets: CiSecrets): RegistryAuth {
  if (!args.publish || !secrets.registryPassword)
    throw new Error("internal: registry credentials missing after validation");
  return { registry: args.publish.registry, username: args.publish.username, password: secrets.registryPassword };
}

function credentials(secrets: CiSecrets): Credentials {
  if (!secrets.kubeconfig) throw new Error("internal: kubeconfig missing after validation");
  return {
    kubeconfig: secrets.kubeconfig,
    awsAccessKeyId: secrets.awsAccessKeyId,
    awsSecretAccessKey: secrets.awsSecretAccessKey,
    awsSessionToken: secrets.awsSessionToken,
  };
}

/**
 * Deploys `images` with the deploy engine; the step's detail is the engine's last line. A
 * failed deploy fails the step with the engine's own failure line (not the exec's command
 * line), its output kept for the reports.
 */
async function deployStep(
  run: CiRun,
  environment: Environment,
  commit: string,
  images: ReleaseImages,
  yaml: string,
): Promise<StepOutput & { log: string }> {
  const target = deployTarget(environment.overlay, commit, images, run.args.cluster);
  const deployer = deployContainer(run.source, manifestsFile(yaml), credentials(run.secrets), target, run.kubeApi);
  let log: string;
  try {
    log = await deployer.stdout();
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    const line = deployOutcome(`${error.stdout}\n${error.stderr}`, false).line;
    throw Object.assign(new Error(line ?? error.message), { stdout: error.stdout, stderr: error.stderr });
  }
  return { detail: deployOutcome(log, true).line, log };
}

/** The deploy step's result as the release record and the badge keep it. */
function deploymentOf(result: StepResult, environment: Environment): Deployment {
  const outcome = deployOutcome(result.output ?? result.detail ?? "", result.status === "passed");
  return {
    environment: environment.overlay,
    namespace: environment.namespace,
    outcome: outcome.outcome,
    smokeTest: outcome.smokeTest,
    finishedAt: new Date().toISOString(),
    detail: result.status === "passed" ? null : (outcome.line ?? result.detail ?? null),
  };
}

function withBadge(artifacts: Directory, deployment: Deployment, commit: string): Directory {
  const badge = deployBadge(deployment.namespace, {
    commit,
    outcome: deployment.outcome,
    finishedAt: deployment.finishedAt,
  });
  return artifacts.withNewFile(`badge-${deployment.namespace}.json`, `${JSON.stringify(badge)}\n`);
}

/** The gate's steps, concurrently (images built from the run's labels); reports and scans are kept for the record. */
async function runGate(run: CiRun, state: RunState) {
  const { args, source } = run;
  const labels = { sha: args.sha, version: args.version, sourceUrl: args.sourceUrl, buildDate: args.buildDate };
  const images: Record<"backend" | "frontend", Container> = {
    backend: buildImage(source, "backend", labels),
    frontend: buildImage(source, "frontend", labels),
  };
  let reports: Directory | undefined;
  let scans: ScanResult | undefined;
  const day = new Date().toISOString().slice(0, 10);
  const bodies: Record<GateStep, () => Promise<StepOutput | void>> = {
    lint: async () => {
      await lint(run.source);
    },
    test: async () => {
      reports = await test(run.source);
      await reports.sync();
    },
    "build-backend": async () => {
      await images.backend.sync();
    },
    "build-frontend": async () => {
      await images.frontend.sync();
    },
    manifests: async () => {
      await manifests(run.source);
    },
    "scan-config": async () => {
      await scanConfig(run.source);
    },
    "scan-images": async () => {
      const result = await scanImages(images, day);
      const lines = requireCleanScans(result);
      scans = result;
      return { detail: lines.join("; ") };
    },
    smoke: async () => {
      await smoke(run.source, images.backend, images.frontend);
    },
  };
  const gate = await runConcurrently(GATE_STEPS.map((name) => [name, bodies[name]] as const));
  state.results.push(...gate.results);
  state.gateWallMs = gate.wallMs;
  if (scans) state.artifacts = state.artifacts.withDirectory("scan", scans.artifacts);
  return { passed: allPassed(gate.results), images, reports: () => reports, scans: () => scans };
}

/** A release: the gate, publish, optional signing, dev's deploy, the release record. */
async function release(run: CiRun, state: RunState): Promise<void> {
  const { args, plan, source, secrets } = run;
  const gate = await runGate(run, state);
  const scanned = gate.scans();

  const auth = registryAuth(args, secrets);
  const commit = args.sha ?? "";
  let published: string[] | undefined;
  if (!gate.passed) state.results.push(skipped("publish", "gate failed"));
  else {
    const target = {
      registry: auth.registry,
      username: auth.username,
      password: auth.password,
      sha: commit,
      branch: args.branch ?? "",
    };
    state.results.push(
      await runStep("publish", async () => {
        published = await publish(target, gate.images);
        return { digests: published };
      }),
    );
  }
  const refs = published;
  const byImage = (name: string) => (refs ?? []).filter((ref) => ref.startsWith(`${auth.registry}/${name}:`));

  if (planned(plan, "sign")) {
    const key = secrets.cosignKey;
    state.results.push(
      refs && key
        ? await runStep("sign", async () => {
            await signImages(refs, auth, { key, password: secrets.cosignPassword });
            return { detail: "both images signed by digest (cosign)" };
          })
        : skipped("sign", "publish did not pass"),
    );
  }
  if (!refs) {
    for (const name of ["deploy", "record"] as const)
      if (planned(plan, name)) state.results.push(skipped(name, "publish did not pass"));
    return;
  }
  const images = {
    backend: imageRelease("backend", byImage("backend")).reference,
    frontend: imageRelease("frontend", byImage("frontend")).reference,
  };
  const rendered = Promise.all([renderOverlay(source, "dev", images), renderOverlay(source, "prod", images)]).then(
    ([dev, prod]) => ({ dev, prod }),
  );
  rendered.catch(() => undefined); // awaited by the steps below; a failure is reported there

  const deployPlan = planned(plan, "deploy");
  const environment = args.deploy;
  let deployment: Deployment | undefined;
  if (!deployPlan?.run || !environment) state.results.push(skipped("deploy", deployPlan?.skipReason ?? "not planned"));
  else if (planned(plan, "sign") && !passed(state.results, "sign"))
    state.results.push(skipped("deploy", "sign failed"));
  else {
    const result = await runStep("deploy", async () => {
      const out = await deployStep(run, environment, commit, images, (await rendered)[environment.overlay]);
      state.artifacts = state.artifacts.withNewFile(`deploy-${environment.namespace}.log`, out.log);
      return { detail: out.detail };
    });
    state.results.push(result);
    deployment = deploymentOf(result, environment);
    state.artifacts = withBadge(state.artifacts, deployment, commit);
  }

  state.results.push(
    await runStep("record", async () => {
      const facts = state.facts;
      const reportsDir = gate.reports();
      if (!facts || !reportsDir || !scanned)
        throw new Error("internal: the record needs the git facts, the test reports and the scans");
      const junit = await Promise.all(
        junitReports().map(async (file) => ({ file, xml: await reportsDir.file(file).contents() })),
      );
      const record = buildReleaseRecord(
        {
          git: { commit: facts.commit, tree: facts.tree, branch: args.branch ?? "", author: facts.author },
          startedAt: state.startedAt,
          finishedAt: new Date(),
          runUrl: args.runUrl,
          images: { backend: byImage("backend"), frontend: byImage("frontend") },
          junit,
          scans: scanned.scans,
          overlays: await rendered,
          steps: state.results,
          deployment,
        },
        await state.scrub(),
      );
      state.record = record;
      state.artifacts = state.artifacts.withNewFile("release.json", serializeRecord(record));
      const notPublished = recordNotPublishedReason(plan, deployment);
      if (notPublished) return { detail: `release.json written, not published: ${notPublished}` };
      return { detail: `published ${await publishRecord(record, auth)}` };
    }),
  );
}

/** main: production gets the digests of dev's record for this tree, or a refusal; nothing is built. */
async function promote(run: CiRun, state: RunState): Promise<void> {
  const { args, plan, secrets } = run;
  const auth = registryAuth(args, secrets);
  let approval: Approval | undefined;
  state.results.push(
    await runStep("promote", async () => {
      const decision = await promotionFor(auth, state.facts?.tree ?? "");
      if (!decision.promote) throw new Error(refusalMessage(decision));
      approval = decision;
      state.record = decision.record;
      state.artifacts = state.artifacts.withNewFile("release.json", serializeRecord(decision.record));
      return { detail: decision.reason, digests: [decision.backend, decision.frontend] };
    }),
  );
  const deployPlan = planned(plan, "deploy");
  const environment = args.deploy;
  const promoted = approval;
  if (!promoted) state.results.push(skipped("deploy", "promotion refused"));
  else if (!deployPlan?.run || !environment)
    state.results.push(skipped("deploy", deployPlan?.skipReason ?? "not planned"));
  else {
    const images = { backend: promoted.backend, frontend: promoted.frontend };
    const commit = promoted.record.git.commit;
    const result = await runStep("deploy", async () => {
      const out = await deployStep(
        run,
        environment,
        commit,
        images,
        await renderOverlay(run.source, environment.overlay, images),
      );
      state.artifacts = state.artifacts.withNewFile(`deploy-${environment.namespace}.log`, out.log);
      return { detail: out.detail };
    });
    state.results.push(result);
    state.artifacts = withBadge(state.artifacts, deploymentOf(result, environment), commit);
  }
}

/** Runs `ci` as planned and reports it once. Throws only for refusals before any step (git facts). */
export async function runCi(run: CiRun): Promise<CiOutcome> {
  const { args, plan, secrets } = run;
  let scrubber: Promise<Scrubber> | undefined;
  const state: RunState = {
    results: [],
    artifacts: dag.directory(),
    notes: [],
    startedAt: new Date(),
    scrub: () => (scrubber ??= scrubberFor(Object.values(secrets))),
  };
  if (plan.kind !== "check") {
    if (!run.git)
      throw new Error(
        "this run needs the repository (--git, by default the checkout) to read its commit, tree and author",
      );
    state.facts = await readGitFacts(run.git, "HEAD", plan.kind === "release" ? run.source : undefined);
    checkGitFacts(state.facts, { sha: args.sha, building: plan.kind === "release" });
  }
  if (plan.kind === "promote") await promote(run, state);
  else if (plan.kind === "release") await release(run, state);
  else {
    await runGate(run, state);
    for (const step of plan.steps)
      if (!step.run) state.results.push(skipped(step.name, step.skipReason ?? "not requested"));
  }

  const scrub = await state.scrub();
  const commit = state.facts?.commit ?? args.sha;
  if (secrets.slackWebhook) {
    const failedStep = state.results.find((r) => r.status === "failed");
    const line = await notifySlack(
      secrets.slackWebhook,
      {
        branch: args.branch,
        commit,
        author: state.facts?.author,
        environment: plan.environment,
        steps: state.results,
        digests: collectDigests(state.results),
        runUrl: args.runUrl,
        notes: state.notes,
        failure: failedStep
          ? { step: failedStep.name, output: failedStep.output ?? failedStep.detail ?? "" }
          : undefined,
      },
      scrub,
    );
    state.notes.push(line);
  }
  const summary = scrub(
    formatSummary(state.results, {
      branch: args.branch,
      sha: commit,
      environment: plan.environment,
      gateWallMs: state.gateWallMs,
      gateSteps: plan.kind === "promote" ? undefined : GATE_STEPS,
      notes: state.notes,
    }),
  );
  return {
    passed: allPassed(state.results),
    summary,
    artifacts: state.artifacts.withNewFile("summary.txt", `${summary}\n`),
  };
}
