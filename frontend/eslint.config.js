import { readdirSync } from "node:fs";
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/*
 * Feature boundaries (the zones of bulletproof-react's import/no-restricted-paths, written with
 * ESLint's own no-restricted-imports so that no resolver plugin is needed):
 *   app → features → shared (components, hooks, lib, types, config, testing), never backwards,
 *   and no feature imports another one. Imports that leave a folder go through the "@/" alias
 *   (relative imports may climb one level), so the patterns below see every crossing.
 */
const FEATURES = readdirSync(new URL("./src/features", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const SHARED = ["components", "config", "hooks", "lib", "testing", "types"];

const viaAlias = {
  group: ["../../*"],
  message:
    "Import from another folder through the @/ alias (e.g. @/lib/format): the feature boundaries are checked on it.",
};
const noApp = {
  group: ["@/app", "@/app/*"],
  message: "Only the app shell (src/app, src/main.tsx) imports from src/app.",
};
const sharedOnly = {
  group: ["@/features", "@/features/*", "../features", "../features/*", "../app", "../app/*"],
  message:
    "Shared code must not depend on a feature or on the app shell: move what both need into src/components, src/hooks or src/lib.",
};
const otherFeatures = (name) => ({
  group: ["@/features/*", `!@/features/${name}`],
  message: `The "${name}" feature must not import another feature: move what both need into src/components, src/hooks or src/lib.`,
});
const outOfFeature = (name) => ({
  group: ["../*"],
  message: `This file is at the root of the "${name}" feature: import from outside it through the @/ alias.`,
});

const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

export default tseslint.config(
  { ignores: ["dist", "coverage", "node_modules"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended, reactHooks.configs.flat["recommended-latest"]],
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "smart"],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  // Later blocks replace the rule's options for their files, so each one lists all its patterns.
  { files: ["src/**/*.{ts,tsx}"], rules: restrict(viaAlias) },
  { files: [`src/{${SHARED.join(",")}}/**/*.{ts,tsx}`], rules: restrict(viaAlias, noApp, sharedOnly) },
  ...FEATURES.map((name) => ({
    files: [`src/features/${name}/**/*.{ts,tsx}`],
    rules: restrict(viaAlias, noApp, otherFeatures(name)),
  })),
  ...FEATURES.map((name) => ({
    files: [`src/features/${name}/*.{ts,tsx}`],
    rules: restrict(viaAlias, noApp, otherFeatures(name), outOfFeature(name)),
  })),
  {
    files: ["vite.config.ts", "eslint.config.js", "eslint.config.test.ts"],
    languageOptions: { globals: globals.node },
  },
);
