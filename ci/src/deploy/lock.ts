/**
 * One deploy at a time per namespace: a coordination.k8s.io/v1 Lease held for the whole
 * deploy and renewed every third of its duration.
 *
 * Taking the lock follows client-go's leader election: read; create when absent; take it
 * when free or expired with an update carrying the resourceVersion read (a stale one gets
 * 409, so two deploys can never both win); otherwise wait, then fail naming the holder.
 * A lease counts as expired when its renewTime is older than its duration plus 30 s of
 * clock skew, or when we have watched it unchanged for its duration (skew-proof, like
 * client-go). Release writes an empty holder. Lease times are MicroTime: RFC 3339 with
 * exactly six fractional digits (a plain Date's ".123Z" is rejected).
 */
import type { K8sObject } from "../manifests/render";
import { accessError, DeployError } from "./errors";
import { ApiError, isConflict, isNotFound, type KubeClient } from "./kube-client";
import { sleep } from "./timing";

export const LOCK_NAME = "prestamos-deploy-lock";
const SKEW_ALLOWANCE_MS = 30_000;

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = K8sObject & { spec?: LeaseSpec };

export interface LockOptions {
  readonly identity: string;
  readonly leaseDurationSeconds: number;
  readonly waitMs: number;
  readonly pollMs: number;
  readonly log: (line: string) => void;
}

/** 2024-01-02T03:04:05.678000Z */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Whether a lease held by someone else may be taken over (see the file comment). */
export function leaseExpired(spec: LeaseSpec, now: number, unchangedSinceMs?: number): boolean {
  if (!spec.holderIdentity) return true;
  const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? "");
  if (Number.isNaN(renewed) || now - renewed > durationMs + SKEW_ALLOWANCE_MS) return true;
  return unchangedSinceMs !== undefined && now - unchangedSinceMs >= durationMs;
}

function leasePath(namespace: string, name = ""): string {
  return `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases${name ? `/${name}` : ""}`;
}

function leaseBody(namespace: string, spec: LeaseSpec, resourceVersion?: string): Lease {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: LOCK_NAME,
      namespace,
      labels: { "app.kubernetes.io/managed-by": "prestamos-deploy" },
      ...(resourceVersion ? { resourceVersion } : {}),
    },
    spec,
  };
}

/** Throws the clear "namespace does not exist" error for a create answered 404 namespaces. */
export function namespaceMissing(error: unknown, namespace: string): DeployError | undefined {
  if (error instanceof ApiError && error.status === 404 && error.details?.kind === "namespaces") {
    return accessError(
      `namespace ${namespace} does not exist: a cluster admin creates it (k8s/overlays/*/namespace.yaml) and the deployer RBAC (k8s/deployer/)`,
    );
  }
  return undefined;
}

export class DeployLock {
  private timer?: NodeJS.Timeout;
  private acquireTime = "";
  /** Set when a renewal found the lease taken or unwritable; the engine stops at the next phase. */
  lost?: string;

  private constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly options: LockOptions,
  ) {}

  static async acquire(client: KubeClient, namespace: string, options: LockOptions): Promise<DeployLock> {
    const lock = new DeployLock(client, namespace, options);
    await lock.take();
    lock.timer = setInterval(() => void lock.renew(), (options.leaseDurationSeconds * 1000) / 3);
    lock.timer.unref();
    return lock;
  }

  private spec(transitions: number): LeaseSpec {
    const now = microTime(new Date());
    if (!this.acquireTime) this.acquireTime = now;
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.options.leaseDurationSeconds,
      acquireTime: this.acquireTime,
      renewTime: now,
      leaseTransitions: transitions,
    };
  }

  private async take(): Promise<void> {
    const deadline = Date.now() + this.options.waitMs;
    let watched: { resourceVersion?: string; since: number } | undefined;
    let announced = false;
    for (;;) {
      const lease = await this.client.getOptional<Lease>(leasePath(this.namespace, LOCK_NAME));
      try {
        if (!lease) {
          await this.client.json<Lease>("POST", leasePath(this.namespace), {
            body: leaseBody(this.namespace, this.spec(0)),
          });
          return;
        }
        const spec = lease.spec ?? {};
        const rv = lease.metadata.resourceVersion as string | undefined;
        if (watched?.resourceVersion !== rv) watched = { resourceVersion: rv, since: Date.now() };
        const ours = spec.holderIdentity === this.options.identity;
        if (ours || leaseExpired(spec, Date.now(), watched?.since)) {
          if (spec.holderIdentity && !ours) {
            this.options.log(
              `  taking over the expired lock of ${spec.holderIdentity} (last renewed ${spec.renewTime ?? "never"})`,
            );
          }
          const transitions = (spec.leaseTransitions ?? 0) + (ours || !spec.holderIdentity ? 0 : 1);
          await this.client.json<Lease>("PUT", leasePath(this.namespace, LOCK_NAME), {
            body: leaseBody(this.namespace, this.spec(transitions), rv),
          });
          return;
        }
        if (Date.now() >= deadline) {
          throw new DeployError(
            "lock",
            `another deploy holds the lock of ${this.namespace}: ${spec.holderIdentity} since ${spec.acquireTime ?? "?"} ` +
              `(Lease ${LOCK_NAME}, renewed ${spec.renewTime ?? "?"}, expires ${spec.leaseDurationSeconds ?? "?"}s after its last renewal)`,
          );
        }
        if (!announced) this.options.log(`  waiting for the lock held by ${spec.holderIdentity}`);
        announced = true;
      } catch (error) {
        const missing = namespaceMissing(error, this.namespace);
        if (missing) throw missing;
        if (!isConflict(error)) throw error; // 409: someone else wrote first; read again
      }
      await sleep(this.options.pollMs);
    }
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    try {
      const lease = await this.client.json<Lease>("GET", leasePath(this.namespace, LOCK_NAME));
      if (lease.spec?.holderIdentity !== this.options.identity) {
        this.lost = `the lock was taken by ${lease.spec?.holderIdentity ?? "nobody"}`;
        return;
      }
      await this.client.json<Lease>("PUT", leasePath(this.namespace, LOCK_NAME), {
        body: leaseBody(
          this.namespace,
          this.spec(lease.spec.leaseTransitions ?? 0),
          lease.metadata.resourceVersion as string,
        ),
      });
    } catch (error) {
      this.lost = `the lock could not be renewed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Throws when the lock was lost; called between phases. */
  check(): void {
    if (this.lost) throw new DeployError("lock", `stopped: ${this.lost}`);
  }

  /** Frees the lock (empty holder); failures are reported, the lease then simply expires. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    try {
      const lease = await this.client.json<Lease>("GET", leasePath(this.namespace, LOCK_NAME));
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      const now = microTime(new Date());
      await this.client.json("PUT", leasePath(this.namespace, LOCK_NAME), {
        body: leaseBody(
          this.namespace,
          {
            holderIdentity: "",
            leaseDurationSeconds: 1,
            acquireTime: lease.spec.acquireTime,
            renewTime: now,
            leaseTransitions: lease.spec.leaseTransitions ?? 0,
          },
          lease.metadata.resourceVersion as string,
        ),
      });
    } catch (error) {
      if (!isNotFound(error))
        this.options.log(
          `  warning: the lock was not released (${error instanceof Error ? error.message : String(error)}); it expires on its own`,
        );
    }
  }
}
