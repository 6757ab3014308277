/**
 * The README and package.json promise Node >= 20.19: every package the lockfile installs must
 * accept that version, or `npm ci` and `npm start` open with a screen of EBADENGINE warnings.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./module-signature";

type Version = [number, number, number];

/** `20.19` → [20, 19, 0]; wildcard parts (x, *, missing) become undefined. */
function parts(text: string): (number | undefined)[] {
  const given = text.replace(/^v/, "").split(".").slice(0, 3);
  return [0, 1, 2].map((i) => (/^\d+$/.test(given[i] ?? "") ? Number(given[i]) : undefined));
}

function compare(a: Version, b: (number | undefined)[]): number {
  for (let i = 0; i < 3; i++) {
    const d = a[i] as number;
    const e = b[i] ?? 0;
    if (d !== e) return d - e;
  }
  return 0;
}

/** One comparator of a semver range (the forms found in package-lock.json). */
function satisfiesComparator(version: Version, comparator: string): boolean {
  const match = /^(>=|<=|>|<|\^|~)?\s*(.+)$/.exec(comparator.trim());
  const [, op = "", rest = ""] = match ?? [];
  const want = parts(rest);
  if (rest === "*" || rest === "") return true;
  switch (op) {
    case ">=":
      return compare(version, want) >= 0;
    case ">":
      return compare(version, want) > 0;
    case "<=":
      return compare(version, want) <= 0;
    case "<":
      return compare(version, want) < 0;
    case "^":
      return compare(version, want) >= 0 && version[0] === want[0] && (want[0] !== 0 || version[1] === want[1]);
    case "~":
      return compare(version, want) >= 0 && version[0] === want[0] && version[1] === (want[1] ?? version[1]);
    default:
      // A bare version is a prefix: `20`, `4.x`, `10.*`.
      return want.every((p, i) => p === undefined || p === version[i]);
  }
}

function satisfies(version: Version, range: string): boolean {
  return range.split("||").some((set) => {
    const comparators = set
      .trim()
      .replace(/(>=|<=|>|<|\^|~)\s+/g, "$1")
      .split(/\s+/)
      .filter(Boolean);
    return comparators.every((c) => satisfiesComparator(version, c));
  });
}

const root = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe("the Node engines promise", () => {
  const minimum = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(root.engines.node)?.[1];

  it("is a minimum version", () => expect(minimum, root.engines.node).toBeDefined());

  it("is accepted by every installed package", () => {
    const version = parts(minimum ?? "0").map((p) => p ?? 0) as Version;
    const refusing = Object.entries(lock.packages)
      .filter(
        ([name, entry]) =>
          name !== "" &&
          !Array.isArray(entry.engines) &&
          entry.engines?.node &&
          !satisfies(version, entry.engines.node),
      )
      .map(([name, entry]) => `${name}@${entry.version} wants node ${(entry.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });

  it("reads ranges the way npm does", () => {
    const v20: Version = [20, 19, 0];
    expect(satisfies(v20, ">=22")).toBe(false);
    expect(satisfies(v20, "^20.19.0 || >=22.12.0")).toBe(true);
    expect(satisfies(v20, "^20.0.0 || ^22.0.0 || >=24.0.0")).toBe(true);
    expect(satisfies(v20, "^18.18.0 || ^20.9.0 || >=21.1.0")).toBe(true);
    expect(satisfies(v20, "^12.20 || >= 14.13")).toBe(true);
    expect(satisfies(v20, "18 || 20 || >=22")).toBe(true);
    expect(satisfies(v20, "^20.20.0 || >=22")).toBe(false);
    expect(satisfies(v20, ">= 20.16.0")).toBe(true);
    expect(satisfies(v20, ">=16 || 14 >=14.17")).toBe(true);
    expect(satisfies(v20, "4.x || >=6.0.0")).toBe(true);
    expect(satisfies(v20, "10.* || >= 12.*")).toBe(true);
  });
});
