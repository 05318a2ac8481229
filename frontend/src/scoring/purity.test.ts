/**
 * The scoring engine stays pure (CRAFT.md habit 3), like tests/scoring/test_purity.py checks
 * for the Python engine: no clock, no network, no storage, no DOM, and imports only from its own
 * folder, so the PWA can run it anywhere (page, worker, test) and get the server's numbers.
 */

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DIR = fileURLToPath(new URL("./", import.meta.url));
const FORBIDDEN: readonly [RegExp, string][] = [
  [/Date\.now\s*\(/, "Date.now()"],
  [/new Date\(\s*\)/, "new Date() (the clock)"],
  [/performance\.now/, "performance.now"],
  [/\bfetch\s*\(/, "fetch"],
  [/\b(window|document|navigator|localStorage|indexedDB)\b\s*[.[]/, "browser globals"],
  [/Math\.random/, "Math.random"],
];

const modules = readdirSync(DIR).filter(
  (name) => name.endsWith(".ts") && !name.endsWith(".test.ts"),
);

describe("scoring purity", () => {
  it("finds the engine's modules", () => {
    expect(modules).toContain("engine.ts");
  });

  it.each(modules)("%s uses no clock, network, storage or DOM", (name) => {
    const source = readFileSync(DIR + name, "utf-8");
    for (const [pattern, what] of FORBIDDEN) {
      expect(pattern.test(source), `${name} uses ${what}`).toBe(false);
    }
  });

  it.each(modules)("%s imports only from ./", (name) => {
    const source = readFileSync(DIR + name, "utf-8");
    const specifiers = [...source.matchAll(/\bfrom\s+"([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(specifiers.filter((s) => !s.startsWith("./"))).toEqual([]);
  });
});
