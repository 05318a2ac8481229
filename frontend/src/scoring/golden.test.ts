/**
 * The golden vectors (tests/golden/scoring/*.json), shared with the Python engine's tests:
 * each file is loaded the way tests/scoring/golden.py loads it (labs converted to canonical
 * units, weights in kg or lb) and the TypeScript engine must give the same scores, credits,
 * exclusions, flags and next best action, and then the WHOLE day report and patterns pinned in
 * the file (`expected.report`, `expected.patterns`), deep-equal: every explanation, total, flag
 * message and adherence figure.
 *
 * The generated vectors (tests/golden/scoring/generated/, drawn from the Hypothesis strategies
 * by tools/gen_golden_vectors.py) carry no hand arithmetic: only the whole pinned output, which
 * this engine must reproduce exactly, as the Python tests do (tests/scoring/test_golden.py).
 */

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { phraseOf } from "./actions";
import { computeDayReport } from "./engine";
import { gather } from "./facts";
import { computePatterns } from "./patterns";
import type {
  DayInput,
  DayReport,
  Dose,
  Lab,
  Meal,
  Measurement,
  Patterns,
  RegimenItem,
  ScoringProfile,
  Symptom,
  Workout,
} from "./types";
import { canonicalLabValue, lbToKg } from "./units";

const GOLDEN_DIR = fileURLToPath(new URL("../../../tests/golden/scoring/", import.meta.url));
const GENERATED_DIR = `${GOLDEN_DIR}generated/`;
const PHRASES_FILE = `${GOLDEN_DIR}phrases/next_best_actions.json`;
const PHRASE_INPUTS_DIR = `${GOLDEN_DIR}phrases/inputs/`;
const MIN_VECTORS = 54; // 40 from protocol v1, 14 more for v1.1 (issue 15)
const MIN_GENERATED = 200; // tools/gen_golden_vectors.py

interface Expected {
  overall: number;
  bone: number;
  heart: number;
  joint: number;
  credits: Record<string, number>;
  excluded: string[];
  flags: string[];
  next_best_action: string | null;
  report: DayReport;
  patterns: Patterns;
}

type Json = Record<string, unknown>;

interface GoldenFile {
  name: string;
  why: string;
  day: string;
  profile: ScoringProfile;
  meals?: Meal[];
  doses?: Dose[];
  regimen?: RegimenItem[];
  workouts?: Workout[];
  symptoms?: Symptom[];
  measurements?: (Json & { id: string; measured_at: string })[];
  labs?: (Json & { id: string; measured_at: string; kind: string; value: number; unit: string })[];
  expected: Expected;
}

/** A vector drawn by tools/gen_golden_vectors.py: the same input, only the whole output pinned. */
type GeneratedFile = Omit<GoldenFile, "why" | "expected"> & {
  expected: Pick<Expected, "report" | "patterns">;
};

function goldenFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .sort();
  } catch {
    return []; // a missing directory fails the count test below, not the whole file
  }
}

function measurementFromJson(m: NonNullable<GoldenFile["measurements"]>[number]): Measurement {
  const kg = m.weight_kg;
  const lb = m.weight_lb;
  const hasKg = typeof kg === "number";
  const hasLb = typeof lb === "number";
  if (hasKg === hasLb) throw new Error("a measurement needs exactly one of weight_kg, weight_lb");
  return {
    id: m.id,
    measured_at: m.measured_at,
    weight_kg: hasKg ? kg : lbToKg(lb as number),
  };
}

function labFromJson(lab: NonNullable<GoldenFile["labs"]>[number]): Lab {
  const { value } = canonicalLabValue(lab.kind, lab.value, lab.unit);
  return { id: lab.id, measured_at: lab.measured_at, kind: lab.kind, value_canonical: value };
}

/** The file's input, as tests/scoring/golden.py builds it. */
function dayInputFromJson(data: Omit<GoldenFile, "expected" | "why">): DayInput {
  return {
    day: data.day,
    profile: { ...data.profile, time_zone: data.profile.time_zone || "UTC" },
    meals: data.meals ?? [],
    doses: data.doses ?? [],
    regimen: data.regimen ?? [],
    workouts: data.workouts ?? [],
    symptoms: data.symptoms ?? [],
    measurements: (data.measurements ?? []).map(measurementFromJson),
    labs: (data.labs ?? []).map(labFromJson),
  };
}

const files = goldenFiles(GOLDEN_DIR);
const generated = goldenFiles(GENERATED_DIR);

describe("golden vectors", () => {
  it(`has at least ${MIN_VECTORS} vectors in tests/golden/scoring`, () => {
    expect(files.length).toBeGreaterThanOrEqual(MIN_VECTORS);
  });

  it.each(files)("%s", (file) => {
    const data = JSON.parse(readFileSync(GOLDEN_DIR + file, "utf-8")) as GoldenFile;
    const expected = data.expected;
    const report = computeDayReport(dayInputFromJson(data));

    expect({
      overall: report.overall,
      bone: report.bone,
      heart: report.heart,
      joint: report.joint,
    }).toEqual({
      overall: expected.overall,
      bone: expected.bone,
      heart: expected.heart,
      joint: expected.joint,
    });

    const credits = Object.fromEntries(report.components.map((c) => [c.key, c.credit]));
    expect(Object.keys(credits).sort()).toEqual(Object.keys(expected.credits).sort());
    for (const [key, credit] of Object.entries(expected.credits)) {
      expect(credits[key], `credit of ${key}`).toBeCloseTo(credit, 3); // |diff| < 5e-4
    }

    const excluded = report.components.filter((c) => c.excluded).map((c) => c.key);
    expect(excluded.sort()).toEqual([...expected.excluded].sort());
    expect(report.flags.map((f) => f.key).sort()).toEqual(expected.flags);
    expect(report.next_best_action?.key ?? null).toBe(expected.next_best_action);

    expect(report).toStrictEqual(expected.report);
    expect(computePatterns(dayInputFromJson(data))).toStrictEqual(expected.patterns);
  });
});

describe("generated golden vectors", () => {
  it(`has at least ${MIN_GENERATED} vectors in tests/golden/scoring/generated`, () => {
    expect(generated.length).toBeGreaterThanOrEqual(MIN_GENERATED);
  });

  it.each(generated)("%s", (file) => {
    const data = JSON.parse(readFileSync(GENERATED_DIR + file, "utf-8")) as GeneratedFile;
    const input = dayInputFromJson(data);
    expect(computeDayReport(input)).toStrictEqual(data.expected.report);
    expect(computePatterns(input)).toStrictEqual(data.expected.patterns);
  });
});

describe("every next-best-action phrase (tests/golden/scoring/phrases/)", () => {
  const pinned = JSON.parse(readFileSync(PHRASES_FILE, "utf-8")) as Record<
    string,
    Record<string, string>
  >;

  it.each(files)("%s", (file) => {
    const data = JSON.parse(readFileSync(GOLDEN_DIR + file, "utf-8")) as GoldenFile;
    const facts = gather(dayInputFromJson(data));
    const said: Record<string, string> = {};
    for (const c of data.expected.report.components) {
      if (c.excluded || c.credit >= 1) continue;
      const phrase = phraseOf(c.key, facts);
      if (phrase !== null) said[c.key] = phrase;
    }
    expect(said).toStrictEqual(pinned[file.replace(/\.json$/, "")]);
  });

  /** Inputs written to reach the phrases no vector reaches; the report is computed here. */
  it.each(goldenFiles(PHRASE_INPUTS_DIR))("inputs/%s", (file) => {
    const data = JSON.parse(readFileSync(PHRASE_INPUTS_DIR + file, "utf-8")) as Omit<
      GoldenFile,
      "expected"
    >;
    const input = dayInputFromJson(data);
    const facts = gather(input);
    const said: Record<string, string> = {};
    for (const c of computeDayReport(input).components) {
      if (c.excluded || c.credit >= 1) continue;
      const phrase = phraseOf(c.key, facts);
      if (phrase !== null) said[c.key] = phrase;
    }
    expect(said).toStrictEqual(pinned[`inputs/${file.replace(/\.json$/, "")}`]);
  });
});
