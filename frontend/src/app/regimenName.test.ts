import { describe, expect, it } from "vitest";
import { byRegimenOrder, regimenDisplayName } from "./regimenName";

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

describe("byRegimenOrder", () => {
  const item = (id: string, fields: Record<string, unknown>) => ({ id, fields });
  it("lists anastrozole, then medicines, then supplements, each by first dose time then name (newcomer walk)", () => {
    // Added in this order: the list showed them so.
    const items = [
      item("a", { kind: "supplement", form: "vitamin_d3", name: "Vitamin D3", schedule_times: ["08:00"] }),
      item("b", { kind: "supplement", form: "calcium_carbonate", name: "Calcium", schedule_times: ["19:00", "07:30"] }),
      item("c", { kind: "medicine", form: "other", name: "Omeprazole", schedule_times: ["07:00"] }),
      item("d", { kind: "supplement", form: "magnesium_glycinate", name: "Magnesium", schedule_times: [] }),
      item("e", { kind: "medicine", form: "anastrozole", name: "Anastrozole", schedule_times: ["09:00"] }),
      item("f", { kind: "supplement", form: "other", name: "biotin", schedule_times: ["08:00"] }),
    ];
    expect([...items].sort(byRegimenOrder).map((i) => i.id)).toEqual(["e", "c", "b", "f", "a", "d"]);
  });
});
