/**
 * The overlays the pipeline renders and gates, with the options their policy run needs.
 * Paths are relative to the repository root.
 */
import type { PolicyOptions } from "./policy";

export interface OverlaySpec extends PolicyOptions {
  dir: string;
}

/** Secrets the prod cluster provides (External Secrets from AWS Secrets Manager). */
export const PROD_CLUSTER_SECRETS = ["backend-secrets", "backend-database", "backend-staff"] as const;

export const OVERLAYS = {
  dev: { dir: "k8s/overlays/dev", namespace: "challenge-dev", environment: "dev" },
  prod: {
    dir: "k8s/overlays/prod",
    namespace: "challenge-prd",
    environment: "prod",
    externalSecrets: PROD_CLUSTER_SECRETS,
  },
} as const satisfies Record<string, OverlaySpec>;
