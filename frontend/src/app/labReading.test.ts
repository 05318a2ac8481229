import { describe, expect, it } from "vitest";
import * as tables from "../scoring/tables.gen";
import { labReading } from "./labReading";

const status = (kind: string, value: number, unit: string, sex: string | null = "female") => labReading(kind, value, unit, sex)?.status;

describe("labReading (PROTOCOL §7)", () => {
  it("reads a T-score by the WHO bands, the bounds included as the WHO writes them", () => {
    expect(labReading("dxa_t_score", -2.6, "T-score", "female")?.words).toBe(
      "T-score −2.6: in the osteoporosis range (WHO: −2.5 or below). Talk to your care team about it.",
    );
    expect(status("dxa_t_score", tables.T_SCORE_OSTEOPOROSIS_AT_MOST, "T-score")).toBe("out");
    expect(status("dxa_t_score", -2.4, "T-score")).toBe("watch");
    expect(labReading("dxa_t_score", -1.8, "T-score", null)?.words).toContain("osteopenia range");
    expect(status("dxa_t_score", tables.T_SCORE_NORMAL_FROM, "T-score")).toBe("ok");
    expect(labReading("dxa_t_score", 0.5, "T-score", null)?.words).toBe("T-score 0.5: in the normal range (WHO).");
  });

  it("reads LDL in mmol/L through mg/dL, with the bound in her unit", () => {
    expect(labReading("ldl_cholesterol", 4.2, "mmol/L", "female")?.words).toBe(
      "LDL 4.2 mmol/L (162 mg/dL): above the optimal range (under 2.59 mmol/L). Worth raising with your care team.",
    );
    expect(labReading("ldl_cholesterol", 162, "mg/dL", "female")?.words).toBe(
      "LDL 162 mg/dL: above the optimal range (under 100 mg/dL). Worth raising with your care team.",
    );
    // 100 mg/dL is not below 100: above optimal, as the report reads it.
    expect(status("ldl_cholesterol", tables.LDL_OPTIMAL_BELOW_MG_DL, "mg/dL")).toBe("watch");
    expect(status("ldl_cholesterol", 99, "mg/dL")).toBe("ok");
    expect(status("ldl_cholesterol", 2.5, "mmol/L")).toBe("ok");
  });

  it("reads total cholesterol and triglycerides, each in both units", () => {
    expect(status("total_cholesterol", 6.1, "mmol/L")).toBe("watch");
    expect(labReading("total_cholesterol", 6.1, "mmol/L", null)?.words).toContain("(236 mg/dL): above the desirable range");
    expect(status("total_cholesterol", 199, "mg/dL")).toBe("ok");
    expect(status("triglycerides", 150, "mg/dL")).toBe("watch");
    // Triglycerides convert by their own factor: 1.6 mmol/L is 142 mg/dL, normal.
    expect(labReading("triglycerides", 1.6, "mmol/L", null)?.words).toBe("Triglycerides 1.6 mmol/L (142 mg/dL): in the normal range (under 1.69 mmol/L).");
  });

  it("reads HDL against her sex's bound, women's when the profile does not say", () => {
    expect(status("hdl_cholesterol", 45, "mg/dL", "male")).toBe("ok");
    expect(status("hdl_cholesterol", 45, "mg/dL", "female")).toBe("out");
    expect(status("hdl_cholesterol", 45, "mg/dL", null)).toBe("out");
    expect(status("hdl_cholesterol", tables.HDL_LOW_BELOW_MG_DL_WOMEN, "mg/dL", "female")).toBe("ok");
    expect(labReading("hdl_cholesterol", 1.1, "mmol/L", "female")?.words).toBe(
      "HDL 1.1 mmol/L (43 mg/dL): low (for women, under 1.29 mmol/L is low). Worth raising with your care team.",
    );
  });

  it("reads vitamin D against 30-50 ng/mL, said in nmol/L when typed so", () => {
    expect(labReading("vitamin_d_25oh", 62, "nmol/L", null)?.words).toBe(
      "Vitamin D 62 nmol/L (24.8 ng/mL): below the 75–125 nmol/L range. Worth raising with your care team.",
    );
    expect(status("vitamin_d_25oh", 40, "ng/mL")).toBe("ok");
    expect(status("vitamin_d_25oh", 51, "ng/mL")).toBe("watch");
    expect(status("vitamin_d_25oh", 100, "nmol/L")).toBe("ok");
  });

  it("says nothing for a kind or unit it cannot read", () => {
    expect(labReading("ferritin", 40, "ng/mL", null)).toBeNull();
    expect(labReading("ldl_cholesterol", 4.2, "nmol/L", null)).toBeNull();
    expect(labReading("ldl_cholesterol", Number.NaN, "mg/dL", null)).toBeNull();
  });
});
