/**
 * Pin the app images in a kustomization, like `kustomize edit set image`, as a pure
 * string -> string function the pipeline applies to the overlay before rendering.
 */
import { isMap, isSeq, parseDocument, YAMLMap } from "yaml";
import { parseImageReference } from "../image-ref";

/** Image names used in k8s/base (the `name` of the kustomization `images:` entries). */
export const BASE_IMAGE_NAMES = {
  backend: "prestamos-backend",
  frontend: "prestamos-frontend",
} as const;

export type AppImage = keyof typeof BASE_IMAGE_NAMES;

export interface ImageEntry {
  name: string;
  newName: string;
  newTag?: string;
  digest?: string;
}

/**
 * Turn `repo[:tag][@sha256:<hex>]` into a kustomize images entry. A digest wins over a
 * tag (kustomize would otherwise emit `repo:tag@digest`, which is valid but misleading).
 */
export function imageEntry(baseName: string, ref: string): ImageEntry {
  const parsed = parseImageReference(ref);
  if (!parsed) throw new Error(`invalid image reference "${ref}"`);
  const { name: repo, tag, digest } = parsed;
  if (!tag && !digest) throw new Error(`image reference "${ref}" needs a tag or an @sha256: digest`);
  if (tag === "latest" && !digest) throw new Error(`image reference "${ref}" uses the latest tag`);
  return digest ? { name: baseName, newName: repo, digest } : { name: baseName, newName: repo, newTag: tag };
}

/**
 * Return the kustomization YAML with the `images:` entries of the given app images set
 * to `ref` (replacing any newName/newTag/digest), adding entries that are missing.
 * Other entries, keys and comments are kept.
 */
export function withImages(kustomizationYaml: string, refs: Partial<Record<AppImage, string>>): string {
  const doc = parseDocument(kustomizationYaml);
  if (doc.errors.length > 0)
    throw new Error(`invalid kustomization YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
  if (!isMap(doc.contents)) throw new Error("kustomization is not a YAML mapping");
  let images = doc.get("images");
  if (images === undefined || images === null) {
    doc.set("images", doc.createNode([]));
    images = doc.get("images");
  }
  if (!isSeq(images)) throw new Error("kustomization `images` is not a list");

  for (const [app, ref] of Object.entries(refs) as [AppImage, string | undefined][]) {
    if (ref === undefined) continue;
    const entry = imageEntry(BASE_IMAGE_NAMES[app], ref);
    let item = images.items.find((i) => isMap(i) && i.get("name") === entry.name);
    if (!isMap(item)) {
      item = new YAMLMap();
      (item as YAMLMap).set("name", entry.name);
      images.items.push(item);
    }
    const map = item as YAMLMap;
    for (const key of ["newName", "newTag", "digest"] as const) map.delete(key);
    map.set("newName", entry.newName);
    if (entry.digest) map.set("digest", entry.digest);
    else if (entry.newTag) map.set("newTag", entry.newTag);
  }
  return doc.toString();
}
