/**
 * EKS tokens: the shape aws-iam-authenticator accepts, and a signature recomputed here
 * from the SigV4 specification (node:crypto, independent of @smithy/signature-v4).
 */
import { createHash, createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { awsCredentialsFromEnv, EksTokenSource, mintEksToken, TOKEN_PREFIX } from "../../src/deploy/eks-token";

const CREDENTIALS = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "session/tok+en=",
};
const NOW = new Date("2024-01-02T03:04:05.678Z");
const ALLOWED = [
  "Action",
  "Version",
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-Security-Token",
  "X-Amz-Signature",
  "X-Amz-SignedHeaders",
];

function decode(token: string): URL {
  expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
  const body = token.slice(TOKEN_PREFIX.length);
  expect(body).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
  return new URL(Buffer.from(body, "base64url").toString("utf8"));
}

/** SigV4 for a presigned GET, from the AWS documentation's steps. */
function expectedSignature(url: URL, cluster: string, secret: string, date: string, region: string): string {
  const rfc3986 = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = [...url.searchParams.entries()]
    .filter(([key]) => key !== "X-Amz-Signature")
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonical = [
    "GET",
    "/",
    query,
    `host:${url.host}\nx-k8s-aws-id:${cluster}\n`,
    "host;x-k8s-aws-id",
    createHash("sha256").update("").digest("hex"),
  ].join("\n");
  const day = date.slice(0, 8);
  const scope = `${day}/${region}/sts/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", date, scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
  const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
  const key = ["sts", "aws4_request"].reduce((k, part) => hmac(k, part), hmac(hmac(`AWS4${secret}`, day), region));
  return createHmac("sha256", key).update(toSign).digest("hex");
}

describe("mintEksToken", () => {
  it("is a presigned STS GetCallerIdentity URL with the cluster as a signed header", async () => {
    const { token, expiresAt } = await mintEksToken({
      clusterName: "prestamos",
      region: "eu-west-1",
      credentials: CREDENTIALS,
      now: NOW,
    });
    const url = decode(token);
    expect(url.origin).toBe("https://sts.eu-west-1.amazonaws.com");
    expect(url.pathname).toBe("/");
    expect([...url.searchParams.keys()].sort()).toEqual([...ALLOWED].sort());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      Action: "GetCallerIdentity",
      Version: "2011-06-15",
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": "AKIDEXAMPLE/20240102/eu-west-1/sts/aws4_request",
      "X-Amz-Date": "20240102T030405Z",
      "X-Amz-Expires": "60",
      "X-Amz-SignedHeaders": "host;x-k8s-aws-id",
      "X-Amz-Security-Token": "session/tok+en=",
    });
    expect(url.searchParams.get("X-Amz-Signature")).toBe(
      expectedSignature(url, "prestamos", CREDENTIALS.secretAccessKey, "20240102T030405Z", "eu-west-1"),
    );
    expect(token.length).toBeLessThan(4096);
    expect(expiresAt.toISOString()).toBe("2024-01-02T03:18:05.678Z");
  });

  it("signs for the cluster it names: another cluster gives another signature", async () => {
    const a = decode(
      (await mintEksToken({ clusterName: "a", region: "us-east-1", credentials: CREDENTIALS, now: NOW })).token,
    );
    const b = decode(
      (await mintEksToken({ clusterName: "b", region: "us-east-1", credentials: CREDENTIALS, now: NOW })).token,
    );
    expect(a.searchParams.get("X-Amz-Signature")).not.toBe(b.searchParams.get("X-Amz-Signature"));
    expect(b.searchParams.get("X-Amz-Signature")).toBe(
      expectedSignature(b, "b", CREDENTIALS.secretAccessKey, "20240102T030405Z", "us-east-1"),
    );
  });

  it("refuses bad regions and cluster names", async () => {
    await expect(mintEksToken({ clusterName: "c", region: "us-east", credentials: CREDENTIALS })).rejects.toThrow(
      /AWS region "us-east" is not a region name/,
    );
    await expect(
      mintEksToken({ clusterName: "bad name", region: "us-east-1", credentials: CREDENTIALS }),
    ).rejects.toThrow(/EKS cluster name "bad name" is not valid/);
  });
});

describe("EksTokenSource", () => {
  it("reuses a token, then mints a new one a minute before its 14 minutes are up", async () => {
    let now = NOW.getTime();
    const source = new EksTokenSource(
      { clusterName: "prestamos", region: "eu-west-1", credentials: CREDENTIALS },
      () => new Date(now),
    );
    const first = await source.token();
    now += 12 * 60_000;
    expect(await source.token()).toBe(first);
    now += 60_000 + 1;
    const second = await source.token();
    expect(second).not.toBe(first);
    expect(decode(second).searchParams.get("X-Amz-Date")).toBe("20240102T031705Z");
  });
});

describe("awsCredentialsFromEnv", () => {
  it("trims values (cmd:// secrets keep a trailing newline) and keeps the session token optional", () => {
    expect(awsCredentialsFromEnv({ AWS_ACCESS_KEY_ID: " AKID\n", AWS_SECRET_ACCESS_KEY: "s\n" })).toEqual({
      accessKeyId: "AKID",
      secretAccessKey: "s",
    });
  });

  it("names the missing variables only", () => {
    expect(() => awsCredentialsFromEnv({ AWS_SESSION_TOKEN: "SECRET-KNOWN" })).toThrow(
      /missing AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
  });
});
