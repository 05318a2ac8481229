import { describe, expect, it } from "vitest";
import { cmToFtIn, fmtGrams, fmtGramsShort, fmtHeight, ftInToCm, localiseText, ozToGrams } from "./units";

describe("display units", () => {
  it("shows ounces beside grams in US units only", () => {
    expect(fmtGrams(250, "metric")).toBe("250 g");
    expect(fmtGrams(250, "us")).toBe("250 g (8.8 oz)");
    expect(fmtGramsShort(170, "us")).toBe("170 g · 6 oz");
    expect(fmtGramsShort(170, "metric")).toBe("170 g");
    expect(Math.round(ozToGrams(6))).toBe(170);
  });
  it("turns heights into feet and inches and back", () => {
    expect(cmToFtIn(165)).toEqual({ ft: 5, inches: 5 });
    expect(fmtHeight(165, "us")).toBe("5 ft 5 in");
    expect(fmtHeight(165, "metric")).toBe("165 cm");
    expect(ftInToCm(5, 5)).toBe(165.1);
    expect(cmToFtIn(ftInToCm(6, 0))).toEqual({ ft: 6, inches: 0 });
  });
  it("rewrites the engine's kilograms as pounds", () => {
    const text = "BMI 23.7 from your latest weight (64.5 kg).";
    expect(localiseText(text, "us")).toBe("BMI 23.7 from your latest weight (142.2 lb).");
    expect(localiseText(text, "metric")).toBe(text);
  });
});
