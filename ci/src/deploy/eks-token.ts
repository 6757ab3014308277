/**
 * EKS bearer tokens minted from AWS credentials, the way `aws eks get-token` does it:
 * `k8s-aws-v1.` + base64url (no padding) of a presigned STS GetCallerIdentity URL whose
 * signed headers include `x-k8s-aws-id: <cluster name>` (kubernetes-sigs/aws-iam-authenticator
 * pkg/token). The API server accepts a token for 15 minutes after its X-Amz-Date, whatever
 * X-Amz-Expires says, so a cached token is replaced one minute before 14 minutes are up.
 *
 * Signing uses @smithy/signature-v4 (the AWS SDK's signer); the SDK itself has no
 * get-token. No I/O: the credentials come from the caller (environment variables fed by
 * Dagger Secrets, themselves from GitHub OIDC / GitLab id_tokens via STS).
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

import { argumentError } from "./errors";

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface EksTokenRequest {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** Signing time (default now). */
  readonly now?: Date;
}

export interface EksToken {
  readonly token: string;
  /** When callers should stop using it (14 minutes after signing, as the AWS CLI reports). */
  readonly expiresAt: Date;
}

export const TOKEN_PREFIX = "k8s-aws-v1.";
/** Legacy value used by the AWS CLI and aws-iam-authenticator; the server accepts 0–900. */
const PRESIGN_EXPIRES_SECONDS = 60;
const TOKEN_LIFETIME_MS = 14 * 60_000;
const REFRESH_MARGIN_MS = 60_000;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** EKS cluster names: 1-100 characters, alphanumerics, hyphens and underscores, starting alphanumeric. */
const CLUSTER_PATTERN = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** RFC 3986 encoding, as SigV4 canonical requests use (encodeURIComponent leaves !'()* alone). */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Reads AWS credentials from the environment (names only in errors, never values).
 * Whitespace is trimmed: `cmd://` secrets keep the command's trailing newline.
 */
export function awsCredentialsFromEnv(env: NodeJS.ProcessEnv): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  const sessionToken = env.AWS_SESSION_TOKEN?.trim();
  const missing = [
    accessKeyId ? undefined : "AWS_ACCESS_KEY_ID",
    secretAccessKey ? undefined : "AWS_SECRET_ACCESS_KEY",
  ].filter((name): name is string => name !== undefined);
  if (!accessKeyId || !secretAccessKey) {
    throw argumentError(
      `the kubeconfig authenticates with an EKS exec plugin, which cannot run here, so the token is minted ` +
        `from AWS credentials; missing ${missing.join(" and ")} (short-lived, e.g. from GitHub OIDC)`,
    );
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

export function validateRegion(region: string): string {
  if (!REGION_PATTERN.test(region))
    throw argumentError(`AWS region "${region}" is not a region name such as us-east-1`);
  return region;
}

export function validateClusterName(name: string): string {
  if (!CLUSTER_PATTERN.test(name))
    throw argumentError(`EKS cluster name "${name}" is not valid (1-100 letters, digits, - or _)`);
  return name;
}

/** Presigns STS GetCallerIdentity for the cluster and wraps it as an EKS token. */
export async function mintEksToken(request: EksTokenRequest): Promise<EksToken> {
  const region = validateRegion(request.region);
  const clusterName = validateClusterName(request.clusterName);
  const now = request.now ?? new Date();
  const hostname = `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({ service: "sts", region, sha256: Sha256, credentials: request.credentials });
  const signed = await signer.presign(
    {
      method: "GET",
      protocol: "https:",
      hostname,
      path: "/",
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host: hostname, "x-k8s-aws-id": clusterName },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: now },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([key, value]) => `${rfc3986(key)}=${rfc3986(String(value))}`)
    .join("&");
  const url = `https://${hostname}/?${query}`;
  return {
    token: `${TOKEN_PREFIX}${Buffer.from(url, "utf8").toString("base64url")}`,
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS),
  };
}

/** Mints a token on first use and again shortly before it expires. */
export class EksTokenSource {
  private current?: EksToken;

  constructor(
    private readonly request: Omit<EksTokenRequest, "now">,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async token(): Promise<string> {
    const now = this.clock();
    if (!this.current || this.current.expiresAt.getTime() - now.getTime() < REFRESH_MARGIN_MS) {
      this.current = await mintEksToken({ ...this.request, now });
    }
    return this.current.token;
  }
}
