import { describe, expect, it } from "vitest";
import type { StoredRecord } from "../storage/store";
import { summary } from "./summary";

const symptom = (fields: Record<string, unknown>): StoredRecord => ({ key: "symptoms:s1", entity: "symptoms", id: "s1", fields, version: null, deleted: false, touched: 0 });

describe("summary of a joint-symptom entry", () => {
  it("says where it hurts", () => {
    expect(summary(symptom({ worst_pain_0_10: 5, morning_stiffness_minutes: 30, locations: ["hands", "knees"] }), () => undefined)).toBe(
      "Joint pain 5/10, stiffness 30 min · hands, knees",
    );
  });
  it("says nothing more when no place was chosen", () => {
    expect(summary(symptom({ worst_pain_0_10: 2, locations: [] }), () => undefined)).toBe("Joint pain 2/10");
  });
});
