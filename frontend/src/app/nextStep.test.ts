import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMPONENTS } from "../scoring/components";
import { NOT_RAISABLE } from "../scoring/actions";
import { namedItem, stepAction, type StepItem } from "./nextStep";

const GOLDEN_DIR = fileURLToPath(new URL("../../../tests/golden/scoring/", import.meta.url));
const PHRASES = JSON.parse(readFileSync(`${GOLDEN_DIR}phrases/next_best_actions.json`, "utf-8")) as Record<string, Record<string, string>>;

const citrate: StepItem = { id: "c1", name: "Calcium citrate 400 mg", active: true };
const d3: StepItem = { id: "d1", name: "Vitamin D3", active: true };

/** The regimen of a golden vector (or of a phrase input), as Today hands it over. */
function regimenOf(vector: string): StepItem[] {
  const file = vector.startsWith("inputs/") ? `${GOLDEN_DIR}phrases/${vector}.json` : `${GOLDEN_DIR}${vector}.json`;
  const data = JSON.parse(readFileSync(file, "utf-8")) as { regimen?: { id: string; name: string; active?: boolean }[] };
  return (data.regimen ?? []).map((r) => ({ id: r.id, name: r.name, active: r.active ?? true }));
}

describe("stepAction", () => {
  it("opens the dose form for the calcium supplement the sentence names", () => {
    const text = "Take your evening calcium dose (Calcium citrate 400 mg): 400 mg would bring calcium to 800 of 1200 mg.";
    expect(stepAction("calcium_total", text, [d3, citrate])).toEqual({ href: "/log/dose?item=c1", label: "Log this dose" });
  });

  it("opens the meal form searching for milk when the calcium step suggests milk", () => {
    const text = "Have a glass of milk or fortified soy drink (about 300 mg of calcium): calcium would go from 1100 to 1400 of 1200 mg.";
    expect(stepAction("calcium_total", text, [citrate])).toEqual({ href: "/log/meal?search=milk", label: "Log food" });
  });

  it("opens the dose form for a vitamin D dose, and food when she has no vitamin D", () => {
    expect(stepAction("vitamin_d", "Take a dose of Vitamin D3: 1000 IU would bring …", [d3])?.href).toBe("/log/dose?item=d1");
    expect(stepAction("vitamin_d", "Log vitamin D from a supplement or food: 7000 IU today …", [])?.href).toBe("/log/meal");
  });

  it("does not open a stopped item", () => {
    expect(stepAction("vitamin_d", "Take a dose of Vitamin D3: …", [{ ...d3, active: false }])?.href).toBe("/log/meal");
  });

  it("opens the workout form with a brisk walk of the sentence's minutes", () => {
    const text = "Take a 20-minute brisk walk: weight-bearing minutes this week would go from 130 to 150 of 150.";
    expect(stepAction("weight_bearing", text, [])).toEqual({ href: "/log/workout?activity=brisk_walking&minutes=20", label: "Log a workout" });
  });

  it("opens the workout form with nothing chosen for a swim, bike ride or yoga", () => {
    expect(stepAction("low_impact", "Do a swim, bike ride or yoga session today: …", [])?.href).toBe("/log/workout");
  });

  it("opens the joint symptoms form for a check-in", () => {
    expect(stepAction("symptom_check_in", "Log how your joints feel today.", [])?.href).toBe("/log/symptom");
  });

  it("has no action for a step with no form to open", () => {
    for (const key of NOT_RAISABLE) expect(stepAction(key, "", [citrate])).toBeNull();
    expect(stepAction("something_new", "Do something", [])).toBeNull();
  });

  it("has an action for every component the engine can suggest", () => {
    for (const c of COMPONENTS) {
      if (NOT_RAISABLE.has(c.key)) continue;
      expect(stepAction(c.key, "", []), c.key).not.toBeNull();
    }
  });
});

describe("namedItem", () => {
  it("prefers the longest name in the sentence", () => {
    const plain: StepItem = { id: "c0", name: "Calcium", active: true };
    expect(namedItem("Take your morning calcium dose (Calcium citrate 400 mg): …", [plain, citrate])?.id).toBe("c1");
  });
});

describe("every pinned phrase (tests/golden/scoring/phrases/) has its form", () => {
  const vectors = Object.keys(PHRASES);
  it("reads the pinned phrases", () => {
    expect(vectors.length).toBeGreaterThan(50);
    expect(readdirSync(GOLDEN_DIR).some((f) => f.endsWith(".json"))).toBe(true);
  });

  it.each(vectors)("%s", (vector) => {
    const items = regimenOf(vector);
    for (const [key, text] of Object.entries(PHRASES[vector] ?? {})) {
      const action = stepAction(key, text, items);
      expect(action, `${vector} ${key}`).not.toBeNull();
      // A sentence that names one of her supplements opens the dose form for that one.
      const named = namedItem(text, items);
      if (named && ["calcium_total", "vitamin_d", "vitamin_k", "magnesium"].includes(key)) {
        expect(action?.href).toBe(`/log/dose?item=${named.id}`);
      } else {
        expect(action?.href.startsWith("/log/dose")).toBe(false);
      }
    }
  });
});
