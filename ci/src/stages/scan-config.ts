/**
 * The scan-config stage: Trivy's misconfiguration scan (pinned image, the checks built into
 * it, .trivyignore) of both rendered overlays and both Dockerfiles. Any finding fails it.
 */
import type { Directory } from "@dagger.io/dagger";
import { TRIVY_IGNORE_FILE, trivyConfigCommand } from "../commands";
import { IMAGES } from "./build";
import { SRC } from "./exec";
import { renderOverlays } from "./manifests";
import { trivy } from "./toolchains";

/** Where the files to scan are gathered. */
const SCAN_DIR = "/scan";

/** The table Trivy prints; throws (Trivy exits 1) on any finding. */
export async function scanConfig(source: Directory): Promise<string> {
  let targets = renderOverlays(source);
  for (const { dockerfile } of Object.values(IMAGES)) targets = targets.withFile(dockerfile, source.file(dockerfile));
  const spec = trivyConfigCommand(SCAN_DIR);
  return trivy()
    .withDirectory(SCAN_DIR, targets)
    .withFile(`${SRC}/${TRIVY_IGNORE_FILE}`, source.file(TRIVY_IGNORE_FILE))
    .withWorkdir(SRC)
    .withExec([...spec.argv])
    .stdout();
}
