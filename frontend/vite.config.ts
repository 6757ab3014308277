/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Django dev server (runserver) listens on 8000; see docs/interfaces.md.
const backend = process.env.VITE_BACKEND_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
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
