/**
 * What a secret looks like: one set of patterns for every check that must not let one
 * through in plain text. Pure: no Dagger, no I/O.
 *
 * - Names (`isSecretName`): variables that hold credentials, for the manifest policy (env
 *   literals) and the Dockerfile lint (ARG/ENV).
 * - Values (`hasUrlPassword`, `TOKEN_PATTERNS`): credential shapes found in text, for the
 *   same checks and for the run report's scrubber (ci/src/report/scrub.ts), which removes
 *   them from anything the run prints or sends after removing the secrets it holds.
 */

/** Words that mark a variable or key as a credential (shared by names and `key=value` text). */
const CREDENTIAL_WORDS = String.raw`secret|passw(?:or)?d|pwd|token|api[_-]?key|private[_-]?key|access[_-]?key|credential`;

/** Variable names that hold credentials: passwords, tokens, keys, secrets. */
const SECRET_NAME = new RegExp(String.raw`(?:${CREDENTIAL_WORDS}|(?:^|_)key(?:$|_))`, "i");

/** Names that look like secrets but are not: public key ids, `*_FILE` pointers to mounted secrets. */
const NOT_A_SECRET_NAME = /^(GPG_KEYS?|PGP_KEYS?|.*_KEY_(ID|URL|PATH|SERVER)|.*_FILE|.*_KEYRING)$/i;

/**
 * A URL with a password in its userinfo, e.g. `postgres://user:pass@host/db`. The first
 * group is everything up to the password, kept by the scrubber as a label.
 */
const URL_CREDENTIALS = String.raw`(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+(?=@)`;

/** True when a variable with this name would hold a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_A_SECRET_NAME.test(name);
}

/** True when the value carries a password inside a URL. */
export function hasUrlPassword(value: string): boolean {
  return new RegExp(URL_CREDENTIALS, "i").test(value);
}

export interface TokenPattern {
  readonly name: string;
  /** Global; its first capture group, when present, is a label kept in front of the redaction. */
  readonly pattern: RegExp;
}

/**
 * Shapes of credentials that must never reach a report, whatever produced them (a tool's
 * output, an error message, a URL). Each pattern's first capture group (when present) is
 * the label in front of the secret (`password=`, `Authorization: Bearer `, `https://user:`),
 * so a reader still sees what was there.
 */
export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  // PEM private keys, including a block cut short by truncation; base64 of "-----BEGIN" (kubeconfig *-data fields).
  {
    name: "PEM private key",
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)/g,
  },
  { name: "base64 PEM block", pattern: /LS0tLS1CRUdJT[A-Za-z0-9+/=]{16,}/g },
  { name: "GitHub token", pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,255}\b/g },
  { name: "GitHub fine-grained token", pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g },
  {
    name: "GitLab token",
    pattern: /\b(?:glpat|gldt|glrt|glcbt|glptt|glft|glimt|glagent|gloas|glsoat|glffct)-[A-Za-z0-9_-]{20,}/g,
  },
  { name: "GitLab runner registration token", pattern: /\bGR1348941[A-Za-z0-9_-]{20,}/g },
  { name: "AWS access key id", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  {
    name: "AWS secret or session key",
    pattern:
      /((?:aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40,}/gi,
  },
  { name: "EKS token", pattern: /\bk8s-aws-v1\.[A-Za-z0-9_-]{20,}/g },
  { name: "Slack webhook", pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]+/g },
  { name: "Slack token", pattern: /\b(?:xox[abposr]|xapp)-[A-Za-z0-9-]{10,}/g },
  { name: "JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { name: "URL credentials", pattern: new RegExp(URL_CREDENTIALS, "gi") },
  { name: "Authorization header", pattern: /(authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+)[^\s"',;]+/gi },
  {
    name: "credential assignment",
    pattern: new RegExp(String.raw`(\b[\w-]*(?:${CREDENTIAL_WORDS})["']?\s*[:=]\s*["']?)[^\s"'&,;]{6,}`, "gi"),
  },
];
