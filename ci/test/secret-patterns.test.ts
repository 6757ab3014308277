import { describe, expect, it } from "vitest";
import { hasUrlPassword, isSecretName, TOKEN_PATTERNS } from "../src/secret-patterns";

const matches = (name: string, text: string): boolean => {
  const found = TOKEN_PATTERNS.find((p) => p.name === name);
  if (!found) throw new Error(`no pattern ${name}`);
  return new RegExp(found.pattern.source, found.pattern.flags).test(text);
};

describe("secret names", () => {
  it.each([
    "DJANGO_SECRET_KEY",
    "DB_PASSWORD",
    "POSTGRES_PWD",
    "GITHUB_TOKEN",
    "API_KEY",
    "AWS_ACCESS_KEY",
    "SSH_PRIVATE_KEY",
    "credentials",
    "KEY",
  ])("%s holds a credential", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    "GPG_KEY",
    "SIGNING_KEY_ID",
    "DJANGO_SECRET_KEY_FILE",
    "PATH",
    "KEYBOARD",
    "MONKEY",
    "DJANGO_ALLOWED_HOSTS",
  ])("%s does not", (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe("secret values", () => {
  it("finds a password in a URL's userinfo, not a user alone", () => {
    expect(hasUrlPassword("postgres://app:s3cret@db:5432/app")).toBe(true);
    expect(hasUrlPassword("postgres://app@db:5432/app")).toBe(false);
    expect(hasUrlPassword("https://example.com/a:b@c")).toBe(false);
  });

  it("uses the same credential words for names and for `key=value` text", () => {
    for (const name of ["DB_PASSWORD", "POSTGRES_PWD", "API_KEY", "my_credential"]) {
      expect(isSecretName(name), name).toBe(true);
      expect(matches("credential assignment", `${name}=abcdef123`), name).toBe(true);
    }
    expect(matches("credential assignment", "DJANGO_ALLOWED_HOSTS=example.com")).toBe(false);
  });

  it("the report's URL pattern and the policy's URL check agree", () => {
    for (const text of ["postgres://app:s3cret@db/app", "redis://:pw123456@cache:6379", "https://example.com/x"]) {
      expect(matches("URL credentials", text), text).toBe(hasUrlPassword(text));
    }
  });
});
