/**
 * What a secret looks like, for every check that must not let one through in plain text
 * (manifest env literals, Dockerfile ARG/ENV). Pure: no Dagger, no I/O.
 */

/** Variable names that hold credentials: passwords, tokens, keys, secrets. */
const SECRET_NAME = /(secret|passw(or)?d|pwd|token|api[_-]?key|private[_-]?key|access[_-]?key|credential|(^|_)key($|_))/i;

/** Names that look like secrets but are not: public key ids, `*_FILE` pointers to mounted secrets. */
const NOT_A_SECRET_NAME = /^(GPG_KEYS?|PGP_KEYS?|.*_KEY_(ID|URL|PATH|SERVER)|.*_FILE|.*_KEYRING)$/i;

/** A URL with a password in its userinfo, e.g. `postgres://user:pass@host/db`. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** True when a variable with this name would hold a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_A_SECRET_NAME.test(name);
}

/** True when the value carries a password inside a URL. */
export function hasUrlPassword(value: string): boolean {
  return URL_WITH_PASSWORD.test(value);
}
