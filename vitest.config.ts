import { defineConfig } from "vitest/config";

// Root suites, one vitest project each (`vitest run --project <name>`).
// The frontend has its own config in frontend/. Pipeline tests live in ci/test/, outside
// ci/src/, because the Dagger runtime loads every .ts file under ci/src.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "ci", include: ["ci/test/**/*.test.ts"], exclude: ["ci/test/manifests/**"] } },
      { test: { name: "k8s", include: ["ci/test/manifests/**/*.test.ts"] } },
      { test: { name: "platform", include: ["tests/platform/**/*.test.ts"] } },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "containers",
          include: ["tests/containers/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      { test: { name: "docs", include: ["tests/docs/**/*.test.ts"] } },
    ],
  },
});
