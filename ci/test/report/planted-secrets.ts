/**
 * Secrets planted in test reports: the values a run holds (passed to the scrubber) and
 * token shapes it never held (found by pattern). Every one must vanish from what we send.
 */

/** Values the run holds as Secrets. */
export const HELD = {
  registryPassword: "reg-PASSWORD-held-7f3a9c",
  slackWebhook: "https://hooks.slack.example/services/T0HELD/B0HELD/held-webhook-path-91",
  kubeconfig: [
    "apiVersion: v1",
    "kind: Config",
    "users:",
    "- name: deployer",
    "  user:",
    "    token: kube-held-token-0c4e2d9a8b",
    "    client-key-data: a2V5LWRhdGEtaGVsZC1zZWNyZXQ=",
  ].join("\n"),
  cosignPassword: "cosign-pw-held-55d1",
} as const;

/** Values as they would appear in output the run did not expect: credentials by shape. */
export const SHAPES = {
  githubToken: "ghp_1234567890abcdefghijABCDEFGHIJ123456",
  githubFineGrained: "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRS",
  gitlabToken: "glpat-AbCdEfGhIjKlMnOpQrSt",
  gitlabRunnerRegistration: "GR1348941AbCdEfGhIjKlMnOpQrStUv",
  awsAccessKeyId: "AKIAIOSFODNN7EXAMPLE",
  awsSecretKey: "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  slackWebhook: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
  slackToken: "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
  jwt: "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXBhcnQ",
  pem: "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAplanted0key0body\nabcdefghijklmnop\n-----END RSA PRIVATE KEY-----",
  base64Pem:
    "client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSXBsYW50ZWRrZXltYXRlcmlhbAotLS0tLUVORCBFQyBQUklWQVRFIEtFWS0tLS0tCg==",
  basicAuthUrl: "postgres://prestamos:db-pass-planted-31@db.internal:5432/prestamos",
  bearer: "Authorization: Bearer opaque-bearer-planted-8842",
  eksToken: "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_QWN0aW9uPUdldENhbGxlcklkZW50aXR5",
  passwordAssignment: "DB_PASSWORD=plain-assigned-pw-77",
} as const;

/** The part of each planted value that must never be visible. */
export const MUST_VANISH: readonly string[] = [
  HELD.registryPassword,
  HELD.slackWebhook,
  "kube-held-token-0c4e2d9a8b",
  "a2V5LWRhdGEtaGVsZC1zZWNyZXQ=",
  HELD.cosignPassword,
  SHAPES.githubToken,
  SHAPES.githubFineGrained,
  SHAPES.gitlabToken,
  SHAPES.gitlabRunnerRegistration,
  SHAPES.awsAccessKeyId,
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "XXXXXXXXXXXXXXXXXXXXXXXX",
  SHAPES.slackToken,
  SHAPES.jwt,
  "MIIEowIBAAKCAQEAplanted0key0body",
  "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSXBsYW50ZWRrZXltYXRlcmlhbAotLS0tLUVORCBFQyBQUklWQVRFIEtFWS0tLS0tCg",
  "db-pass-planted-31",
  "opaque-bearer-planted-8842",
  SHAPES.eksToken,
  "plain-assigned-pw-77",
];

/** One line holding every planted value, held and shaped. */
export const EVERYTHING = [...Object.values(HELD), ...Object.values(SHAPES)].join(" | ");
