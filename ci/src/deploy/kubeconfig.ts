/**
 * Loads the kubeconfig the deploy runs with and decides how it authenticates.
 *
 * Accepted credentials: a bearer token (token or token-file), a client certificate and key
 * (minikube, kind; inline after `kubectl config view --raw --minify --flatten`), or an EKS
 * exec plugin (`aws eks get-token` / `aws-iam-authenticator token`), which is replaced by
 * tokens minted here from AWS credentials (eks-token.ts) because no AWS CLI runs where the
 * engine runs. Everything else (other exec plugins, auth-providers, basic auth) and
 * `insecure-skip-tls-verify` are refused with a clear message.
 *
 * `apiHost` rewrites only the host of the server URL (port and path stay): in Dagger the
 * host's API server is a bound Service whose alias (e.g. `kubernetes`) must be a name in
 * the API server's certificate, so TLS verification stays on against that name.
 *
 * Uses @kubernetes/client-node's KubeConfig for parsing, TLS options and auth headers.
 */
import { existsSync } from "node:fs";
import path from "node:path";

import { type Cluster, type Context, KubeConfig, type User } from "@kubernetes/client-node";

import { EksTokenSource, awsCredentialsFromEnv, validateClusterName, validateRegion } from "./eks-token";
import { argumentError } from "./errors";

export type AuthMethod = "token" | "client-certificate" | "eks";

export interface KubeconfigOptions {
  /** The kubeconfig YAML. */
  readonly text: string;
  /** Context to use; default: the kubeconfig's current-context. */
  readonly context?: string;
  /** Namespace the deploy targets. */
  readonly namespace: string;
  /** Namespaces of the other environments: a context pinned to one of them is the wrong context. */
  readonly foreignNamespaces?: readonly string[];
  /** Replaces the server URL's host (Dagger service alias, e.g. "kubernetes"). */
  readonly apiHost?: string;
  /** EKS cluster name and region, overriding the exec plugin's arguments. */
  readonly eksCluster?: string;
  readonly awsRegion?: string;
  /** Where AWS credentials are read for EKS (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Folder relative file paths in the kubeconfig are resolved against. */
  readonly baseDir?: string;
}

export interface LoadedKubeconfig {
  readonly kubeConfig: KubeConfig;
  readonly context: string;
  /** Server URL after any host rewrite. */
  readonly server: string;
  readonly auth: AuthMethod;
  /** For EKS: the cluster whose tokens are minted. */
  readonly eksCluster?: string;
}

/** Name the engine's authenticator recognises (a user no built-in authenticator claims). */
const EKS_USER_MARKER = "prestamos-deploy-eks";
const HOST_PATTERN =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$|^\d{1,3}(?:\.\d{1,3}){3}$/;

function flattenHint(what: string): string {
  return `${what}: pass a self-contained kubeconfig, e.g. kubectl config view --raw --minify --flatten`;
}

/** Finds `--flag value` or `--flag=value` in an exec plugin's args. */
function flagValue(args: readonly string[], ...flags: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    for (const flag of flags) {
      if (arg === flag) return args[i + 1];
      if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
    }
  }
  return undefined;
}

interface ExecPlugin {
  command?: unknown;
  args?: unknown;
  env?: unknown;
}

/** Cluster name and region of an EKS exec plugin, or undefined when the plugin is not EKS. */
export function eksExecTarget(exec: ExecPlugin): { cluster?: string; region?: string } | undefined {
  const command = typeof exec.command === "string" ? path.basename(exec.command) : "";
  const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
  const envList = Array.isArray(exec.env) ? (exec.env as Array<{ name?: unknown; value?: unknown }>) : [];
  const envRegion = envList.find((e) => e.name === "AWS_REGION" || e.name === "AWS_DEFAULT_REGION")?.value;
  const region = flagValue(args, "--region") ?? (typeof envRegion === "string" ? envRegion : undefined);
  if (command === "aws" && args.includes("eks") && args.includes("get-token")) {
    return { cluster: flagValue(args, "--cluster-name"), region };
  }
  if (command === "aws-iam-authenticator" && args.includes("token")) {
    return { cluster: flagValue(args, "-i", "--cluster-id"), region };
  }
  return undefined;
}

function parse(text: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (error) {
    // client-node's messages name entries ("users[0].name is missing"), never values.
    throw argumentError(
      `the kubeconfig cannot be loaded: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
  if (kc.getContexts().length === 0) throw argumentError("the kubeconfig has no contexts");
  return kc;
}

function selectContext(kc: KubeConfig, wanted: string | undefined): Context {
  const name = wanted ?? kc.getCurrentContext();
  const names = kc.getContexts().map((c) => c.name);
  if (!name) throw argumentError(`the kubeconfig has no current-context; pass --context (one of: ${names.join(", ")})`);
  const context = kc.getContextObject(name);
  if (!context) throw argumentError(`context "${name}" is not in the kubeconfig (available: ${names.join(", ")})`);
  return context;
}

function rewriteServer(server: string, apiHost: string | undefined): string {
  if (!apiHost) return server;
  if (!HOST_PATTERN.test(apiHost)) throw argumentError(`--api-host "${apiHost}" is not a host name`);
  const url = new URL(server);
  url.hostname = apiHost;
  return url.toString().replace(/\/$/, "");
}

function checkCluster(cluster: Cluster, baseDir: string | undefined): Cluster {
  if (cluster.skipTLSVerify) {
    throw argumentError(
      `cluster "${cluster.name}" sets insecure-skip-tls-verify: the deploy always verifies the API server's certificate`,
    );
  }
  if (!cluster.server.startsWith("https://")) {
    throw argumentError(`cluster "${cluster.name}" server must be an https:// URL`);
  }
  if (cluster.caFile) {
    const caFile = baseDir ? path.resolve(baseDir, cluster.caFile) : cluster.caFile;
    if (!existsSync(caFile))
      throw argumentError(flattenHint(`certificate-authority file ${cluster.caFile} does not exist here`));
    return { ...cluster, caFile };
  }
  return cluster;
}

/** Validates the user's credentials and returns the user client-node should see, plus the method. */
function checkUser(
  user: User,
  options: KubeconfigOptions,
): { user: User; auth: AuthMethod; eks?: { cluster: string; region: string } } {
  if (user.authProvider) {
    throw argumentError(
      `user "${user.name}" uses an auth-provider, which the deploy does not support: use a token, a client certificate or EKS`,
    );
  }
  if (user.username || user.password) {
    throw argumentError(
      `user "${user.name}" uses basic auth, which Kubernetes removed: use a token or a client certificate`,
    );
  }
  if (user.exec) {
    const target = eksExecTarget(user.exec as ExecPlugin);
    if (!target) {
      const command = String((user.exec as ExecPlugin).command ?? "?");
      throw argumentError(
        `user "${user.name}" runs the exec plugin "${command}", which cannot run here: only EKS (aws eks get-token) is handled`,
      );
    }
    const cluster = options.eksCluster ?? target.cluster;
    const region = options.awsRegion ?? target.region ?? options.env?.AWS_REGION ?? options.env?.AWS_DEFAULT_REGION;
    if (!cluster) throw argumentError("the EKS exec plugin names no cluster (--cluster-name): pass --eks-cluster");
    if (!region) throw argumentError("no AWS region for the EKS token: pass --aws-region or set AWS_REGION");
    return {
      user: { name: EKS_USER_MARKER },
      auth: "eks",
      eks: { cluster: validateClusterName(cluster), region: validateRegion(region) },
    };
  }
  if (user.token) return { user, auth: "token" };
  const hasCert = Boolean(user.certData || user.certFile);
  const hasKey = Boolean(user.keyData || user.keyFile);
  if (hasCert !== hasKey)
    throw argumentError(
      `user "${user.name}" has a client certificate without its key (or a key without its certificate)`,
    );
  if (hasCert) {
    const resolve = (file: string | undefined) =>
      file && options.baseDir ? path.resolve(options.baseDir, file) : file;
    const certFile = resolve(user.certFile);
    const keyFile = resolve(user.keyFile);
    for (const file of [certFile, keyFile]) {
      if (file && !existsSync(file))
        throw argumentError(flattenHint(`client certificate file ${file} does not exist here`));
    }
    return { user: { ...user, certFile, keyFile }, auth: "client-certificate" };
  }
  throw argumentError(`user "${user.name}" has no credentials (token, client certificate or EKS exec plugin)`);
}

/** Parses, checks and prepares the kubeconfig for the deploy's API client. */
export function loadKubeconfig(options: KubeconfigOptions): LoadedKubeconfig {
  const source = parse(options.text);
  const context = selectContext(source, options.context);
  if (context.namespace && options.foreignNamespaces?.includes(context.namespace)) {
    throw argumentError(
      `wrong context: "${context.name}" is pinned to namespace ${context.namespace}, but this deploy targets ${options.namespace}`,
    );
  }
  const cluster = source.getCluster(context.cluster);
  if (!cluster)
    throw argumentError(
      `context "${context.name}" refers to cluster "${context.cluster}", which is not in the kubeconfig`,
    );
  const user = source.getUser(context.user);
  if (!user)
    throw argumentError(`context "${context.name}" refers to user "${context.user}", which is not in the kubeconfig`);

  const checkedCluster = checkCluster(cluster, options.baseDir);
  const checked = checkUser(user, options);
  const server = rewriteServer(checkedCluster.server, options.apiHost);

  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ ...checkedCluster, server }],
    users: [checked.user],
    contexts: [
      { name: context.name, cluster: checkedCluster.name, user: checked.user.name, namespace: options.namespace },
    ],
    currentContext: context.name,
  });
  if (checked.eks) {
    const credentials = awsCredentialsFromEnv(options.env ?? process.env);
    const tokens = new EksTokenSource({ clusterName: checked.eks.cluster, region: checked.eks.region, credentials });
    kc.addAuthenticator({
      isAuthProvider: (u: User) => u.name === EKS_USER_MARKER,
      applyAuthentication: async (_u, opts) => {
        opts.headers = { ...(opts.headers ?? {}), Authorization: `Bearer ${await tokens.token()}` };
      },
    });
  }
  return { kubeConfig: kc, context: context.name, server, auth: checked.auth, eksCluster: checked.eks?.cluster };
}
