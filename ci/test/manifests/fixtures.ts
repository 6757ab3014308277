/**
 * Test-only: a small, hand-written set of objects that passes every policy check in a
 * prod-like run, so each unit test can break exactly one thing.
 */
import type { K8sObject } from "../../src/manifests/render";

export const FIXTURE_NAMESPACE = "ns-test";

/* eslint-disable @typescript-eslint/no-explicit-any -- tests mutate the fixture freely */
type Objs = any[];
/** An object of the fixture by kind and name (throws when the fixture lacks it). */
export const find = (objs: Objs, kind: string, name: string): any => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`fixture ${kind}/${name} missing`);
  return o;
};
export const dep = (o: Objs) => find(o, "Deployment", "app");
export const pod = (o: Objs) => dep(o).spec.template.spec;
export const ctr = (o: Objs) => pod(o).containers[0];
/* eslint-enable @typescript-eslint/no-explicit-any */
export const FIXTURE_EXTERNAL_SECRETS = ["app-secrets"];

const labels = (name: string, component = "web") => ({
  "app.kubernetes.io/name": name,
  "app.kubernetes.io/part-of": "prestamos",
  "app.kubernetes.io/component": component,
});

const securityContext = () => ({
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
});

const podSecurityContext = () => ({
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  seccompProfile: { type: "RuntimeDefault" },
});

const resources = () => ({
  requests: { cpu: "10m", memory: "16Mi", "ephemeral-storage": "16Mi" },
  limits: { cpu: "100m", memory: "64Mi", "ephemeral-storage": "64Mi" },
});

const probe = (path: string, period: number) => ({ httpGet: { path, port: "http" }, periodSeconds: period });

/** A fresh copy every call (tests mutate it). */
export function goodObjects(): K8sObject[] {
  const meta = (name: string, component = "web") => ({
    name,
    namespace: FIXTURE_NAMESPACE,
    labels: labels(name, component),
  });
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: FIXTURE_NAMESPACE,
        labels: {
          ...labels(FIXTURE_NAMESPACE),
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/audit-version": "latest",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/warn-version": "latest",
        },
      },
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta("app"), automountServiceAccountToken: false },
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: meta("migrate", "migrations"),
      automountServiceAccountToken: false,
    },
    // The cluster-provided Secret, synced by External Secrets through an IRSA identity no pod uses.
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        ...meta("secrets-reader", "secrets"),
        annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/reader" },
      },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: meta("store", "secrets"),
      spec: {
        provider: {
          aws: {
            service: "SecretsManager",
            region: "us-east-1",
            auth: { jwt: { serviceAccountRef: { name: "secrets-reader" } } },
          },
        },
      },
    },
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: meta("app-secrets", "secrets"),
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "SecretStore", name: "store" },
        target: { name: "app-secrets", creationPolicy: "Owner" },
        data: [{ secretKey: "k", remoteRef: { key: "app", property: "k" } }],
      },
    },
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta("app-config"), data: { GUNICORN_GRACEFUL_TIMEOUT: "20" } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta("app"),
      spec: {
        // No replicas: the HPA below owns the count (its minReplicas is 2).
        minReadySeconds: 5,
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        selector: { matchLabels: { "app.kubernetes.io/name": "app" } },
        template: {
          metadata: { labels: labels("app") },
          spec: {
            serviceAccountName: "app",
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 30,
            securityContext: podSecurityContext(),
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: { "app.kubernetes.io/name": "app" } },
                matchLabelKeys: ["pod-template-hash"],
              },
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: { "app.kubernetes.io/name": "app" } },
                matchLabelKeys: ["pod-template-hash"],
              },
            ],
            initContainers: [
              {
                name: "wait",
                image: "registry.example.com/app:1.0.0",
                imagePullPolicy: "IfNotPresent",
                securityContext: securityContext(),
                resources: resources(),
              },
            ],
            containers: [
              {
                name: "app",
                image: "registry.example.com/app:1.0.0",
                imagePullPolicy: "IfNotPresent",
                ports: [{ name: "http", containerPort: 8000 }],
                env: [{ name: "SECRET_KEY", valueFrom: { secretKeyRef: { name: "app-secrets", key: "k" } } }],
                envFrom: [{ configMapRef: { name: "app-config" } }],
                securityContext: securityContext(),
                resources: resources(),
                startupProbe: probe("/healthz", 2),
                readinessProbe: probe("/readyz", 5),
                livenessProbe: probe("/healthz", 10),
                lifecycle: { preStop: { exec: { command: ["sleep", "5"] } } },
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: {} }],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta("app"),
      spec: { selector: { "app.kubernetes.io/name": "app" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: meta("app"),
      spec: {
        ingressClassName: "nginx",
        rules: [
          {
            host: "app.example.com",
            http: {
              paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "app", port: { name: "http" } } } }],
            },
          },
        ],
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta("db", "database"),
      spec: {
        serviceName: "db",
        replicas: 1,
        selector: { matchLabels: { "app.kubernetes.io/name": "db" } },
        template: {
          metadata: { labels: labels("db", "database") },
          spec: {
            serviceAccountName: "app",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext(),
            containers: [
              {
                name: "db",
                image: "postgres@sha256:" + "a".repeat(64),
                imagePullPolicy: "IfNotPresent",
                ports: [{ name: "pg", containerPort: 5432 }],
                securityContext: securityContext(),
                resources: resources(),
                startupProbe: { tcpSocket: { port: 5432 }, periodSeconds: 2 },
                readinessProbe: { exec: { command: ["pg_isready"] }, periodSeconds: 5 },
                livenessProbe: { tcpSocket: { port: "pg" }, periodSeconds: 10 },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta("db", "database"),
      spec: {
        clusterIP: "None",
        selector: { "app.kubernetes.io/name": "db" },
        ports: [{ name: "pg", port: 5432, targetPort: 5432 }],
      },
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: meta("migrate", "migrations"),
      spec: {
        backoffLimit: 1,
        activeDeadlineSeconds: 60,
        ttlSecondsAfterFinished: 60,
        template: {
          metadata: { labels: labels("migrate", "migrations") },
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "migrate",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext(),
            containers: [
              {
                name: "migrate",
                image: "registry.example.com/app:1.0.0",
                imagePullPolicy: "IfNotPresent",
                securityContext: securityContext(),
                resources: resources(),
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("default-deny"),
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    ...["app", "db", "migrate"].map((name): K8sObject => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta(name),
      spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": name } }, policyTypes: ["Ingress"] },
    })),
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: meta("app"),
      spec: {
        maxUnavailable: 1,
        unhealthyPodEvictionPolicy: "AlwaysAllow",
        selector: { matchLabels: { "app.kubernetes.io/name": "app" } },
      },
    },
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: meta("app"),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "app" },
        minReplicas: 2,
        maxReplicas: 4,
      },
    },
  ];
}
