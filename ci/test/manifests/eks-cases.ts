/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are mutated freely */
/**
 * Bad variants of the good fixture for the EKS rules (ci/src/manifests/eks-rules.ts): each
 * must make its check fire. policy.test.ts runs them with every other check's cases.
 */
import type { PolicyOptions } from "../../src/manifests/policy";
import { FIXTURE_NAMESPACE, ctr, dep, find, pod } from "./fixtures";

type Objs = any[];

export interface EksCase {
  check: string;
  why: string;
  mutate: (objs: Objs) => void;
  options?: Partial<PolicyOptions>;
}

const ingress = (o: Objs) => find(o, "Ingress", "app");

/** The Ingress becomes an ALB one (target-type ip), with extra annotations. */
export function albIngress(objs: Objs, annotations: Record<string, string> = {}): void {
  ingress(objs).spec.ingressClassName = "alb";
  ingress(objs).metadata.annotations = { "alb.ingress.kubernetes.io/target-type": "ip", ...annotations };
}

/** nginx-like proxy settings: TRUSTED_PROXY_CIDR in the app's ConfigMap, ipBlocks admitted. */
export function proxyFrom(objs: Objs, trusted: string, admitted: string[]): void {
  find(objs, "ConfigMap", "app-config").data.TRUSTED_PROXY_CIDR = trusted;
  find(objs, "NetworkPolicy", "app").spec.ingress = [{ from: admitted.map((cidr) => ({ ipBlock: { cidr } })) }];
}

export const DATABASE_URL_ENV = {
  name: "DATABASE_URL",
  valueFrom: { secretKeyRef: { name: "app-secrets", key: "k" } },
};

export const EKS_CASES: EksCase[] = [
  { check: "alb-pod-readiness-gate", why: "ALB ip targets, namespace not labelled", mutate: (o) => albIngress(o) },
  { check: "alb-deregistration-delay", why: "ALB default delay (300 s)", mutate: (o) => albIngress(o) },
  {
    check: "alb-deregistration-delay",
    why: "preStop 5 s shorter than a 30 s delay",
    mutate: (o) =>
      albIngress(o, { "alb.ingress.kubernetes.io/target-group-attributes": "deregistration_delay.timeout_seconds=30" }),
  },
  {
    check: "irsa-role-unused",
    why: "the Deployment's ServiceAccount has an IAM role",
    mutate: (o) =>
      (find(o, "ServiceAccount", "app").metadata.annotations = {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/x",
      }),
  },
  {
    check: "job-own-service-account",
    why: "Job runs as the Deployment's ServiceAccount",
    mutate: (o) => (find(o, "Job", "migrate").spec.template.spec.serviceAccountName = "app"),
  },
  {
    check: "external-secret-sources",
    why: "no ExternalSecret for a cluster Secret",
    mutate: (o) => o.splice(o.indexOf(find(o, "ExternalSecret", "app-secrets")), 1),
  },
  {
    check: "external-secret-sources",
    why: "ExternalSecret lacks a key pods read",
    mutate: (o) => (find(o, "ExternalSecret", "app-secrets").spec.data[0].secretKey = "other"),
  },
  {
    check: "external-secret-sources",
    why: "SecretStore missing",
    mutate: (o) => (find(o, "ExternalSecret", "app-secrets").spec.secretStoreRef.name = "ghost"),
  },
  {
    check: "external-secret-sources",
    why: "store's ServiceAccount has no IAM role",
    mutate: (o) => delete find(o, "ServiceAccount", "secrets-reader").metadata.annotations,
  },
  {
    check: "trusted-proxy-cidr",
    why: "trusts the whole VPC, admits one subnet",
    mutate: (o) => proxyFrom(o, "10.0.0.0/16", ["10.0.0.0/20", "10.0.16.0/20"]),
  },
  {
    check: "trusted-proxy-cidr",
    why: "trusts less than it admits",
    mutate: (o) => proxyFrom(o, "10.0.0.0/20", ["10.0.0.0/20", "10.0.16.0/20"]),
  },
  { check: "trusted-proxy-cidr", why: "not a CIDR", mutate: (o) => proxyFrom(o, "10.0.0.0", ["10.0.0.0/20"]) },
  {
    check: "topology-spread-rollout",
    why: "no matchLabelKeys",
    mutate: (o) => delete pod(o).topologySpreadConstraints[0].matchLabelKeys,
  },
  {
    check: "topology-spread-rollout",
    why: "2 replicas, zone spread only preferred",
    mutate: (o) => (pod(o).topologySpreadConstraints[1].whenUnsatisfiable = "ScheduleAnyway"),
  },
  { check: "hpa-target-replicas-unset", why: "replicas beside an HPA", mutate: (o) => (dep(o).spec.replicas = 2) },
  {
    check: "database-tls-ca",
    why: "prod without PGSSLMODE/PGSSLROOTCERT",
    mutate: (o) => ctr(o).env.push(DATABASE_URL_ENV),
  },
  {
    check: "database-tls-ca",
    why: "PGSSLROOTCERT not mounted",
    mutate: (o) => {
      ctr(o).env.push(DATABASE_URL_ENV);
      Object.assign(find(o, "ConfigMap", "app-config").data, {
        PGSSLMODE: "verify-full",
        PGSSLROOTCERT: "/etc/ssl/rds/global-bundle.pem",
      });
    },
  },
  {
    check: "database-tls-ca",
    why: "dev: PGSSLROOTCERT not mounted either",
    mutate: (o) => {
      ctr(o).env.push(DATABASE_URL_ENV);
      find(o, "ConfigMap", "app-config").data.PGSSLROOTCERT = "/etc/ssl/rds/global-bundle.pem";
      o.push({
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "app-secrets",
          namespace: FIXTURE_NAMESPACE,
          annotations: { "prestamos.dev/local-only": "true" },
        },
      });
    },
    options: { environment: "dev" },
  },
];
