import { describe, expect, it } from "vitest";
import { draftChanged, draftFrom, overridesFrom } from "./targetDraft";

const DEFAULTS = [
  { key: "calcium_mg", value: 1200 },
  { key: "vitamin_d_iu", value: 800 },
];

describe("the targets draft", () => {
  it("an untouched draft saves nothing and is not a change", () => {
    const draft = draftFrom(DEFAULTS, {});
    expect(overridesFrom(DEFAULTS, draft)).toEqual({});
    expect(draftChanged(DEFAULTS, draft, {})).toBe(false);
  });

  it("Calcium 1200 → 1000 is an unsaved change until saved, then it is not", () => {
    const draft = { ...draftFrom(DEFAULTS, {}), calcium_mg: { value: "1000", care: false } };
    expect(draftChanged(DEFAULTS, draft, {})).toBe(true);
    const saved = overridesFrom(DEFAULTS, draft);
    expect(saved).toEqual({ calcium_mg: { value: 1000, set_by_care_team: false } });
    expect(draftChanged(DEFAULTS, draft, saved)).toBe(false);
  });

  it("ticking 'Set by my care team' alone is a change; typing the default back is not", () => {
    const saved = { calcium_mg: { value: 1000, set_by_care_team: false } };
    const care = { ...draftFrom(DEFAULTS, saved), calcium_mg: { value: "1000", care: true } };
    expect(draftChanged(DEFAULTS, care, saved)).toBe(true);
    const back = { ...draftFrom(DEFAULTS, {}), calcium_mg: { value: "1200", care: false } };
    expect(draftChanged(DEFAULTS, back, {})).toBe(false);
  });
});
