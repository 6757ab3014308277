/**
 * The one image-reference parser of the repository (pipeline tags, kustomize images,
 * manifest policy, Dockerfile lint). Pure: no Dagger, no I/O.
 *
 * Grammar of distribution/reference, restricted to what we publish and pull:
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component ( "/" path-component )*
 * A first component is a domain when it holds a "." or a ":" or is `localhost`. Path
 * components are lowercase; the only digest algorithm accepted is sha256.
 */

const DOMAIN_COMPONENT = String.raw`(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`;
const DOMAIN = String.raw`${DOMAIN_COMPONENT}(?:\.${DOMAIN_COMPONENT})*(?::[0-9]{1,5})?`;
const PATH_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const TAG = String.raw`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`;
const DIGEST = String.raw`sha256:[a-f0-9]{64}`;

const REFERENCE = new RegExp(
  `^(?<name>(?:(?<domain>${DOMAIN})/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(?<tag>${TAG}))?(?:@(?<digest>${DIGEST}))?$`,
);

/** An OCI/Docker tag: a word character, then up to 127 of [\w.-]. */
export const TAG_PATTERN = new RegExp(`^${TAG}$`);
/** A sha256 digest as written in references: `sha256:<64 lowercase hex>`. */
export const DIGEST_PATTERN = new RegExp(`^${DIGEST}$`);

export interface ImageReference {
  /** Everything before the tag and digest, e.g. `ghcr.io/org/app`. */
  readonly name: string;
  /** The registry host (with port), when the reference names one. */
  readonly domain?: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** A leading component is a registry host only with a dot, a port or as `localhost`. */
function isDomain(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost";
}

/** Parses `name[:tag][@sha256:<hex>]`; undefined when it is not a valid reference. */
export function parseImageReference(reference: string): ImageReference | undefined {
  const match = REFERENCE.exec(reference);
  const groups = match?.groups;
  if (!groups?.name) return undefined;
  let domain: string | undefined = groups.domain;
  // `library/python` matched `library` as a domain: it is a path component.
  if (domain !== undefined && !isDomain(domain)) {
    if (!new RegExp(`^${PATH_COMPONENT}$`).test(domain)) return undefined;
    domain = undefined;
  }
  return {
    name: groups.name,
    ...(domain !== undefined ? { domain } : {}),
    ...(groups.tag !== undefined ? { tag: groups.tag } : {}),
    ...(groups.digest !== undefined ? { digest: groups.digest } : {}),
  };
}
