import { describe, expect, it } from "vitest";
import { regimenDisplayName } from "./regimenName";

describe("regimenDisplayName", () => {
  it("adds the strength a medicine comes in when its name lacks it", () => {
    expect(regimenDisplayName({ name: "Anastrozole", form: "anastrozole" })).toBe("Anastrozole 1 mg");
    expect(regimenDisplayName({ name: "Arimidex", form: "anastrozole" })).toBe("Arimidex 1 mg");
    expect(regimenDisplayName({ name: "", form: "anastrozole" })).toBe("Anastrozole 1 mg");
  });

  it("leaves a name that already says a strength, and forms with no single strength", () => {
    expect(regimenDisplayName({ name: "Anastrozole 1 mg", form: "anastrozole" })).toBe("Anastrozole 1 mg");
    expect(regimenDisplayName({ name: "Calcium citrate 500 mg calcium", form: "calcium_citrate" })).toBe("Calcium citrate 500 mg calcium");
    expect(regimenDisplayName({ name: "Turmeric", form: "turmeric" })).toBe("Turmeric");
    expect(regimenDisplayName(null)).toBe("");
  });
});
