/**
 * Errors of the deploy engine. Each carries a one-line message meant for the person
 * deploying; `details` holds extra lines (findings, events, log lines) printed below it.
 * Pure: no I/O.
 */

/** Which stage refused or failed; the CLI prints it and the summary shows it. */
export type FailureKind =
  | "arguments"
  | "validation"
  | "access"
  | "lock"
  | "secrets"
  | "migration"
  | "rollout"
  | "smoke"
  | "rollback"
  | "prune"
  | "api";

export class DeployError extends Error {
  override readonly name: string = "DeployError";
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }

  /** The message followed by its details, indented. */
  describe(): string {
    return [this.message, ...this.details.map((line) => `  ${line}`)].join("\n");
  }
}

/** Unreachable API, 401, 403, missing namespace, wrong context: raised before anything changes. */
export function accessError(message: string, details: readonly string[] = []): DeployError {
  return new DeployError("access", message, details);
}

/** A bad CLI argument or kubeconfig content. */
export function argumentError(message: string): DeployError {
  return new DeployError("arguments", message);
}

/** The message of any thrown value, without a stack. */
export function messageOf(error: unknown): string {
  if (error instanceof DeployError) return error.describe();
  return error instanceof Error ? error.message : String(error);
}
