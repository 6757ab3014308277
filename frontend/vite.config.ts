/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

const BOOT = "/src/boot.ts";

/**
 * src/boot.ts as its own entry chunk, loaded with <script type="module" async> ahead of the main
 * bundle: on staff pages it starts the staff chunk and GET /api/auth/me/ while main JS still
 * downloads (index.html has no inline script: the CSP allows only 'self').
 */
function bootEntry(): Plugin {
  let build = false;
  return {
    name: "prestamos-boot-entry",
    configResolved(config) {
      build = config.command === "build";
    },
    buildStart() {
      if (build) this.emitFile({ type: "chunk", id: BOOT, name: "boot" });
    },
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const chunk =
          ctx.bundle &&
          Object.values(ctx.bundle).find((output) => output.type === "chunk" && output.facadeModuleId?.endsWith(BOOT));
        if (build && !chunk) throw new Error(`${BOOT} is missing from the bundle`);
        const src = chunk ? `/${chunk.fileName}` : BOOT;
        return [
          { tag: "script", attrs: { type: "module", async: true, fetchpriority: "high", src }, injectTo: "head" },
        ];
      },
    },
  };
}

// The Django dev server (runserver) listens on 8000; see docs/interfaces.md.
const backend = process.env.VITE_BACKEND_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react(), bootEntry()],
  // "@/x" is "src/x" (same mapping as tsconfig.app.json "paths"); vitest reads it from here too.
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/healthz": { target: backend },
      "/readyz": { target: backend },
    },
  },
  preview: {
    port: 4173,
    proxy: {
      "/api": { target: backend },
      "/healthz": { target: backend },
      "/readyz": { target: backend },
    },
  },
  build: {
    target: "es2022",
    sourcemap: false,
    // Every browser this app targets supports <link rel="modulepreload">: skip the polyfill (~0.5 kB gz).
    modulePreload: { polyfill: false },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/testing/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}", "eslint.config.test.ts"],
    css: false,
    restoreMocks: true,
    // The machine is shared: typing-heavy tests get room beyond the default 5 s.
    testTimeout: 15_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.{ts,tsx}"],
      exclude: ["src/**/*.test.{ts,tsx}", "src/testing/**", "src/main.tsx", "src/vite-env.d.ts"],
      reporter: ["text-summary", "html", "cobertura", "lcov"],
      // Like the backend's 90 %: `npm run test:frontend` fails when coverage drops below.
      thresholds: { statements: 90, branches: 90, functions: 90, lines: 90 },
    },
  },
});
