/**
 * Image benchmark: for each image, a cold build (`--no-cache`), a warm rebuild with nothing
 * changed, and the size the image adds over its base. Prints; asserts nothing.
 *
 *   npm run bench:images
 *
 * Targets: warm rebuild ≤ 5 % of cold; backend ≤ 60 MB over python:<v>-slim-bookworm;
 * frontend runtime ≤ 2 MB over nginxinc/nginx-unprivileged:<v>-bookworm.
 *
 * "Cold" means no layer cache; BuildKit cache mounts (pip's and npm's download caches) are
 * kept, as they are on any developer machine or CI runner that has built once. Base images
 * must already be present (without a registry: local stand-ins, see
 * docs/adr/0004-no-dagger-engine-on-the-development-machine.md). Build args come from the
 * environment, as in scripts/test-containers.ts.
 */
import {
  IMAGES,
  buildImage,
  dockerUnavailableReason,
  imageSize,
  megabytes,
  seconds,
  type ImageSpec,
} from "../tests/support/docker";
import { missingPrerequisite } from "../tests/support/prerequisites";

interface Row {
  image: ImageSpec;
  coldMs: number;
  warmMs: number;
  base: string;
  baseBytes: number;
  imageBytes: number;
}

const TARGET_OVER_BASE_MB: Record<ImageSpec["name"], number> = { backend: 60, frontend: 2 };

async function main(): Promise<void> {
  const problem = dockerUnavailableReason();
  if (problem) missingPrerequisite("bench:images", "Docker", problem);

  const rows: Row[] = [];
  for (const image of IMAGES) {
    console.log(`\n▶ ${image.tag}: cold build (--no-cache) …`);
    const cold = await buildImage(image, { noCache: true });
    console.log(`  cold ${seconds(cold.ms)}; warm rebuild …`);
    const warm = await buildImage(image);
    console.log(`  warm ${seconds(warm.ms)}`);
    const base = image.base();
    rows.push({
      image,
      coldMs: cold.ms,
      warmMs: warm.ms,
      base,
      baseBytes: await imageSize(base),
      imageBytes: await imageSize(image.tag),
    });
  }

  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(26) : c.padStart(14))).join(" ");
  console.log(`\n${line(["image", "cold build", "warm rebuild", "warm / cold", "image size", "over base", "target"])}`);
  for (const row of rows) {
    const over = row.imageBytes - row.baseBytes;
    const target = TARGET_OVER_BASE_MB[row.image.name];
    const ratio = row.warmMs / row.coldMs;
    console.log(
      line([
        row.image.tag,
        seconds(row.coldMs),
        seconds(row.warmMs),
        `${(ratio * 100).toFixed(1)} %${ratio <= 0.05 ? "" : " (>5 %)"}`,
        megabytes(row.imageBytes),
        megabytes(over),
        `≤ ${target} MB${over / 1e6 <= target ? "" : " MISSED"}`,
      ]),
    );
  }
  console.log("\nbases:");
  for (const row of rows) console.log(`  ${row.image.tag} ← ${row.base} (${megabytes(row.baseBytes)})`);
}

await main();
