// Pre-commit checks on the staged files only: the fast formatters and linters. husky runs this
// from .husky/pre-commit (installed by `npm ci`/`npm install`, the "prepare" script). The full
// checks are `npm run lint` and `npm test`; `git commit --no-verify` skips these.
import path from "node:path";

const ROOT = import.meta.dirname;
const quoted = (files) => files.map((file) => JSON.stringify(file)).join(" ");
const inFolder = (folder) => (file) => path.relative(ROOT, file).split(path.sep)[0] === folder;

export default {
  // Formatting first, then ESLint on the frontend's sources (one task list, run in order).
  "*.{ts,tsx,mts,mjs,js,json,yaml,yml,md}": (files) => {
    const commands = [`prettier --write ${quoted(files)}`];
    const frontend = files.filter((file) => inFolder("frontend")(file) && /\.tsx?$/.test(file));
    if (frontend.length > 0) {
      // The frontend's own ESLint config (frontend/eslint.config.js) applies from its folder.
      commands.push(`npm exec --workspace frontend -- eslint --max-warnings 0 --no-warn-ignored ${quoted(frontend)}`);
    }
    return commands;
  },
  // ruff from the project venv (`npm run setup`), with the backend's pyproject.toml settings.
  "*.py": (files) => {
    const ruff = JSON.stringify(path.join(ROOT, ".venv", "bin", "ruff"));
    return [`${ruff} check --fix ${quoted(files)}`, `${ruff} format ${quoted(files)}`];
  },
};
