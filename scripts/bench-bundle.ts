/**
 * Initial JS of the frontend, gzipped: the <script type="module"> entries of dist/index.html,
 * its <link rel="modulepreload"> chunks and any chunk they import statically — what a browser
 * must download before the first page renders. Lazily loaded chunks (the staff area) are
 * listed apart. Builds first unless frontend/dist is newer than the sources.
 *
 * Prints the figures against the 70 kB target; it does not fail on them.
 *   npx tsx scripts/bench-bundle.ts [--build] [--json]
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { REPO_ROOT, projectPath, runInherited } from "../tests/support/run";

export const TARGET_KB = 70;
const FRONTEND = path.join(REPO_ROOT, "frontend");
const DIST = path.join(FRONTEND, "dist");

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function distIsFresh(): boolean {
  const index = path.join(DIST, "index.html");
  if (!existsSync(index)) return false;
  const inputs = ["src", "public", "index.html", "vite.config.ts", "package.json", "tsconfig.app.json"].map((name) =>
    path.join(FRONTEND, name),
  );
  const newestInput = Math.max(...inputs.map(newestMtime));
  return statSync(index).mtimeMs >= newestInput;
}

async function build(): Promise<void> {
  console.log("Building the frontend (npm run build -w frontend)…");
  const code = await runInherited(["npm", "run", "build", "-w", "frontend"], {
    env: { ...process.env, PATH: projectPath() },
  });
  if (code !== 0) {
    console.error(`build failed with exit code ${code}`);
    process.exit(code);
  }
}

/** Asset URLs of the entry scripts and modulepreload links in index.html. */
export function initialScripts(html: string): string[] {
  const urls: string[] = [];
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    if (!/\btype\s*=\s*["']?module/i.test(tag)) continue;
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (src) urls.push(src);
  }
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    if (!/\brel\s*=\s*["']?modulepreload/i.test(tag)) continue;
    const href = /\bhref\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (href) urls.push(href);
  }
  return [...new Set(urls)];
}

/** Relative static imports of a built chunk (`import{x}from"./a.js"`, `import"./b.js"`), not import(). */
export function staticImports(code: string): string[] {
  const found: string[] = [];
  const pattern = /(?:^|[;\s}])import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;
  for (let match = pattern.exec(code); match; match = pattern.exec(code)) {
    if (match[1]) found.push(match[1]);
  }
  return found;
}

interface FileSize {
  file: string;
  raw: number;
  gzip: number;
}

function sizeOf(file: string): FileSize {
  const data = readFileSync(file);
  return { file: path.relative(DIST, file), raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
}

function collectInitial(html: string): string[] {
  const queue = initialScripts(html)
    .filter((url) => !/^https?:\/\//.test(url))
    .map((url) => path.join(DIST, url.replace(/^\//, "")));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift();
    if (!file || seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    for (const spec of staticImports(readFileSync(file, "utf8"))) queue.push(path.resolve(path.dirname(file), spec));
  }
  return [...seen];
}

const kB = (bytes: number): string => (bytes / 1000).toFixed(2);

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  if (args.has("--build") || !distIsFresh()) await build();
  else console.log("Using frontend/dist (newer than the sources).");

  const html = readFileSync(path.join(DIST, "index.html"), "utf8");
  const initial = collectInitial(html).map(sizeOf);
  const assetsDir = path.join(DIST, "assets");
  const allJs = existsSync(assetsDir)
    ? readdirSync(assetsDir)
        .filter((name) => name.endsWith(".js"))
        .map((name) => path.join(assetsDir, name))
    : [];
  const initialSet = new Set(initial.map((entry) => entry.file));
  const lazy = allJs.map(sizeOf).filter((entry) => !initialSet.has(entry.file));

  const totalRaw = initial.reduce((sum, entry) => sum + entry.raw, 0);
  const totalGzip = initial.reduce((sum, entry) => sum + entry.gzip, 0);

  if (args.has("--json")) {
    console.log(
      JSON.stringify(
        {
          targetKB: TARGET_KB,
          initialGzipKB: Number(kB(totalGzip)),
          initialRawKB: Number(kB(totalRaw)),
          initial,
          lazy,
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log("\nInitial JS (entry + modulepreload + static imports), gzip level 9:");
  for (const entry of initial)
    console.log(
      `  ${entry.file.padEnd(40)} ${kB(entry.raw).padStart(9)} kB raw  ${kB(entry.gzip).padStart(8)} kB gzip`,
    );
  if (lazy.length > 0) {
    console.log("Loaded on demand (not counted):");
    for (const entry of lazy)
      console.log(
        `  ${entry.file.padEnd(40)} ${kB(entry.raw).padStart(9)} kB raw  ${kB(entry.gzip).padStart(8)} kB gzip`,
      );
  }
  const verdict = totalGzip <= TARGET_KB * 1000 ? "within" : "OVER";
  console.log(
    `\ninitial JS gzipped: ${kB(totalGzip)} kB (${(totalGzip / 1024).toFixed(2)} KiB) vs target ${TARGET_KB} kB — ${verdict} budget by ${kB(Math.abs(TARGET_KB * 1000 - totalGzip))} kB`,
  );
}

await main();
