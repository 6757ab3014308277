/**
 * Renders every docs/diagrams/*.mmd to a committed .svg with Mermaid's CLI and keeps the
 * inline ```mermaid copies in docs/*.md identical to their .mmd.
 *
 *   npm run docs:render              render all diagrams, sync inline copies
 *   npm run docs:render -- --check   verify only (no browser): exit 1 if anything is stale
 *
 * Each SVG starts with a stamp comment (source file, sha256 of the .mmd and of
 * mermaid.config.json, mermaid-cli version), so `npm run test:docs` can tell a stale
 * picture from a current one without launching a browser. Pixel output depends on the
 * fonts installed; the stamp, not the bytes, is what the check compares.
 *
 * Browser: Mermaid's CLI drives Chromium through puppeteer. Puppeteer's own browser download
 * is off (docs/.puppeteerrc.json); this script points it at the system Chromium, as the
 * browser suite does (docs/adr/0003-native-test-stack.md): PUPPETEER_EXECUTABLE_PATH or
 * CHROMIUM_PATH, else /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inlineDiagramProblems, sha256, staleDiagrams, stampSvg, syncInlineDiagrams } from "./diagrams";
import { DIAGRAMS_DIR, MERMAID_CONFIG, markdownFiles, mermaidCliVersion, readDiagrams } from "./files";
import { REPO_ROOT, exitStatus, runInherited, startProgram } from "../../tests/support/run";

const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Headless, offline, no first-run or background traffic. */
const PUPPETEER_CONFIG = {
  executablePath: CHROMIUM,
  args: [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};

const DOCS_TOOLS = path.join(REPO_ROOT, "docs");
const MMDC = path.join(DOCS_TOOLS, "node_modules", ".bin", "mmdc");

/** Markdown under docs/ with inline diagram copies, read relative to each file. */
function docsMarkdown(): string[] {
  return markdownFiles().filter((file) => file.startsWith("docs/"));
}

function readRelative(markdownFile: string) {
  return (relative: string) => {
    const full = path.resolve(REPO_ROOT, path.dirname(markdownFile), relative);
    return existsSync(full) ? readFileSync(full, "utf8") : undefined;
  };
}

function check(): number {
  const config = readFileSync(MERMAID_CONFIG, "utf8");
  const problems = staleDiagrams(readDiagrams(), config, mermaidCliVersion());
  for (const file of docsMarkdown()) {
    const md = readFileSync(path.join(REPO_ROOT, file), "utf8");
    problems.push(...inlineDiagramProblems(file, md, readRelative(file)));
  }
  for (const problem of problems) console.error(`✖ ${problem}`);
  if (problems.length === 0) console.log("✔ diagrams and inline copies are up to date");
  return problems.length === 0 ? 0 : 1;
}

async function render(only: readonly string[]): Promise<number> {
  if (!existsSync(MMDC)) {
    // The diagram tools have their own lockfile in docs/; puppeteer's browser download is
    // off (docs/.puppeteerrc.json): Debian's Chromium is used instead.
    console.log("installing the diagram tools (npm ci in docs/)…");
    const install = await runInherited(["npm", "ci", "--no-audit", "--no-fund"], { cwd: DOCS_TOOLS });
    if (install !== 0 || !existsSync(MMDC)) {
      console.error("✖ could not install @mermaid-js/mermaid-cli in docs/");
      return 1;
    }
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`✖ Chromium not found at ${CHROMIUM} (set PUPPETEER_EXECUTABLE_PATH)`);
    return 1;
  }
  const config = readFileSync(MERMAID_CONFIG, "utf8");
  const mermaidCli = mermaidCliVersion();
  const tmp = mkdtempSync(path.join(os.tmpdir(), "docs-render-"));
  const puppeteerConfig = path.join(tmp, "puppeteer.json");
  writeFileSync(puppeteerConfig, JSON.stringify(PUPPETEER_CONFIG));
  let failures = 0;
  try {
    for (const { name, mmd } of readDiagrams()) {
      if (mmd === undefined) {
        console.error(`✖ ${name}.svg has no ${name}.mmd: delete the SVG or restore the source`);
        failures += 1;
        continue;
      }
      if (only.length > 0 && !only.includes(name)) continue;
      const input = path.join(DIAGRAMS_DIR, `${name}.mmd`);
      const output = path.join(tmp, `${name}.svg`);
      const result = await startProgram([
        MMDC,
        "--quiet",
        "-p",
        puppeteerConfig,
        "-c",
        MERMAID_CONFIG,
        "-b",
        "white",
        "-i",
        input,
        "-o",
        output,
      ]);
      if (exitStatus(result) !== 0 || !existsSync(output)) {
        console.error(`✖ ${name}.mmd failed to render:\n${result.stdall}`);
        failures += 1;
        continue;
      }
      const svg = stampSvg(readFileSync(output, "utf8"), {
        source: `${name}.mmd`,
        sourceSha256: sha256(mmd),
        configSha256: sha256(config),
        mermaidCli,
      });
      writeFileSync(path.join(DIAGRAMS_DIR, `${name}.svg`), svg.endsWith("\n") ? svg : `${svg}\n`);
      console.log(`✔ docs/diagrams/${name}.svg`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const file of docsMarkdown()) {
    const full = path.join(REPO_ROOT, file);
    const md = readFileSync(full, "utf8");
    const synced = syncInlineDiagrams(md, readRelative(file));
    if (synced !== md) {
      writeFileSync(full, synced);
      console.log(`✔ ${file}: inline diagram copies synced`);
    }
  }
  return failures === 0 ? check() : 1;
}

const args = process.argv.slice(2);
const code = args.includes("--check") ? check() : await render(args.filter((arg) => !arg.startsWith("-")));
process.exitCode = code;
