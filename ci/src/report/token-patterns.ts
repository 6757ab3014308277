/**
 * Shapes of credentials that must never reach a report, whatever produced them (a tool's
 * output, an error message, a URL). Pure: no Dagger. Used by scrub.ts after the exact
 * secret values of the run are removed. The integrator may merge this list with the gate's
 * ci/src/secret-patterns.ts.
 *
 * Each pattern's first capture group (when present) is kept: it is the label in front of
 * the secret (`password=`, `Authorization: Bearer `, `https://user:`), so a reader still
 * sees what was there.
 */

export interface TokenPattern {
  readonly name: string;
  readonly pattern: RegExp;
}

export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  // PEM private keys, including a block cut short by truncation; base64 of "-----BEGIN" (kubeconfig *-data fields).
  { name: "PEM private key", pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)/g },
  { name: "base64 PEM block", pattern: /LS0tLS1CRUdJT[A-Za-z0-9+/=]{16,}/g },
  { name: "GitHub token", pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,255}\b/g },
  { name: "GitHub fine-grained token", pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g },
  { name: "GitLab token", pattern: /\b(?:glpat|gldt|glrt|glcbt|glptt|glft|glimt|glagent|gloas|glsoat|glffct)-[A-Za-z0-9_-]{20,}/g },
  { name: "GitLab runner registration token", pattern: /\bGR1348941[A-Za-z0-9_-]{20,}/g },
  { name: "AWS access key id", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  {
    name: "AWS secret or session key",
    pattern: /((?:aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40,}/gi,
  },
  { name: "EKS token", pattern: /\bk8s-aws-v1\.[A-Za-z0-9_-]{20,}/g },
  { name: "Slack webhook", pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]+/g },
  { name: "Slack token", pattern: /\b(?:xox[abposr]|xapp)-[A-Za-z0-9-]{10,}/g },
  { name: "JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { name: "URL credentials", pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+(?=@)/gi },
  { name: "Authorization header", pattern: /(authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+)[^\s"',;]+/gi },
  {
    name: "credential assignment",
    pattern: /(\b[\w-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key)["']?\s*[:=]\s*["']?)[^\s"'&,;]{6,}/gi,
  },
];
