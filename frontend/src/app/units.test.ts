import { describe, expect, it } from "vitest";
import { calciumLine, cmToFtIn, fmtGrams, fmtHeight, fmtLab, fmtWeight, ftInToCm, labFromCanonical, labUnitFor, latestVitaminDUnit, localiseText, ozToGrams, paperFor, portionLabel } from "./units";
import { guessUnitSystem } from "./unitGuess";

describe("display units", () => {
  it("shows ounces beside grams in US units only", () => {
    expect(fmtGrams(250, "metric")).toBe("250 g");
    expect(fmtGrams(250, "us")).toBe("250 g (8.8 oz)");
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

  it("gives a printed weight the pounds of the stored weight it rounds from, as the entry list does", () => {
    const kg = Math.round(150 * 0.45359237 * 1000) / 1000; // 150 lb as stored
    expect(fmtWeight(kg, "us")).toBe("150.0 lb");
    expect(localiseText("BMI 25.0 from your latest weight (68.0 kg).", "us", [kg])).toBe("BMI 25.0 from your latest weight (150.0 lb).");
  });
  it("prints on Letter in the United States only, whatever her units", () => {
    expect(paperFor("Europe/London")).toBe("a4");
    expect(paperFor("America/Chicago")).toBe("letter");
    expect(paperFor("Pacific/Honolulu")).toBe("letter");
    expect(paperFor("UTC")).toBe("a4");
  });
  it("never repeats a portion's grams", () => {
    // One format for every portion: its label, its weight in her units in brackets.
    expect(portionLabel("1 cup", 244, "metric")).toBe("1 cup (244 g)");
    expect(portionLabel("1 cup", 244, "us")).toBe("1 cup (8.6 oz)");
    // A weight the label carries is replaced by hers, never given twice.
    expect(portionLabel("1 container (170 g)", 170, "metric")).toBe("1 container (170 g)");
    expect(portionLabel("1 container (170 g)", 170, "us")).toBe("1 container (6 oz)");
    expect(portionLabel("1 container (6 oz)", 170, "metric")).toBe("1 container (170 g)");
    expect(portionLabel("1 container (6 oz)", 170, "us")).toBe("1 container (6 oz)");
    // A portion that is only a weight is her weight alone, never "3 oz (3 oz)".
    expect(portionLabel("3 oz", 85, "us")).toBe("3 oz");
    expect(portionLabel("3 oz", 85, "metric")).toBe("85 g");
    expect(portionLabel("100 g", 100, "metric")).toBe("100 g");
    // Anything else in its brackets stays, first.
    expect(portionLabel("1 cup (240 ml)", 244, "metric")).toBe("1 cup (240 ml, 244 g)");
    expect(portionLabel("1 cup (240 ml)", 244, "us")).toBe("1 cup (240 ml, 8.6 oz)");
  });
  it("shows lab results in SI units in metric and US units in US, both ways exact enough", () => {
    expect(labUnitFor("vitamin_d_25oh", "metric")).toBe("nmol/L");
    expect(labUnitFor("vitamin_d_25oh", "us")).toBe("ng/mL");
    expect(labUnitFor("ldl_cholesterol", "metric")).toBe("mmol/L");
    expect(labUnitFor("dxa_t_score", "metric")).toBe("T-score");
    expect(fmtLab(labFromCanonical("vitamin_d_25oh", 62 / 2.496, "nmol/L"), "nmol/L")).toBe("62 nmol/L");
    // The engine's "24.8 ng/mL" (62 nmol/L entered) reads as 62 nmol/L in metric.
    expect(localiseText("Your latest vitamin D result is 24.8 ng/mL, below 30.", "metric")).toBe("Your latest vitamin D result is 62 nmol/L, below 75 nmol/L (30 ng/mL).");
    // Typed in nmol/L, said in nmol/L even in US units (as Trends charts it); typed in ng/mL in
    // metric, said in ng/mL.
    const low = "Your latest vitamin D result is 24.8 ng/mL, below 30.";
    expect(localiseText(low, "us", [], "nmol/L")).toBe("Your latest vitamin D result is 62 nmol/L, below 75 nmol/L (30 ng/mL).");
    expect(localiseText(low, "metric", [], "ng/mL")).toBe(low);
    expect(localiseText(low, "us")).toBe(low);
  });
  it("finds the unit of her latest vitamin D result", () => {
    const lab = (at: string, kind: string, unit: string) => ({ key: at, entity: "labs" as const, id: at, version: 1, deleted: false, touched: 0, fields: { measured_at: at, kind, value: 1, unit } });
    expect(latestVitaminDUnit([])).toBeUndefined();
    expect(latestVitaminDUnit([lab("2026-11-01T08:00:00Z", "vitamin_d_25oh", "ng/mL"), lab("2026-12-01T08:00:00Z", "vitamin_d_25oh", "nmol/L"), lab("2026-12-02T08:00:00Z", "ldl_cholesterol", "mmol/L")])).toBe("nmol/L");
  });
  it("offers US units first only in US time zones", () => {
    expect(guessUnitSystem("America/New_York")).toBe("us");
    expect(guessUnitSystem("America/Indiana/Indianapolis")).toBe("us");
    expect(guessUnitSystem("Europe/London")).toBe("metric");
    expect(guessUnitSystem("America/Toronto")).toBe("metric");
    // The phone's language region first: an en-US phone on UTC is offered US units.
    expect(guessUnitSystem("UTC", "en-US")).toBe("us");
    expect(guessUnitSystem("UTC", "en-LR")).toBe("us");
    expect(guessUnitSystem("UTC", "my-MM")).toBe("us");
    expect(guessUnitSystem("America/Chicago", "en-GB")).toBe("metric");
    expect(guessUnitSystem("America/Chicago", "es-419")).toBe("metric");
    // A language with no region leaves it to the time zone.
    expect(guessUnitSystem("America/Chicago", "en")).toBe("us");
    expect(guessUnitSystem("Europe/Paris", "fr")).toBe("metric");
  });
  it("offers metric to a London phone, whatever English it speaks (newcomer walk: it started on US units)", () => {
    expect(guessUnitSystem("Europe/London", "en-GB")).toBe("metric");
    expect(guessUnitSystem("Europe/London", ["en-GB", "en"])).toBe("metric");
    // en-US is the factory English of many phones and browsers: her clock says where she lives.
    expect(guessUnitSystem("Europe/London", "en-US")).toBe("metric");
    expect(guessUnitSystem("Europe/London", ["en-US", "en"])).toBe("metric");
    // The first language that names a region decides: ["en", "en-GB"] is British English.
    expect(guessUnitSystem("UTC", ["en", "en-GB"])).toBe("metric");
    expect(guessUnitSystem("America/New_York", ["en-US", "en-GB"])).toBe("us");
    expect(guessUnitSystem("Etc/UTC", ["en-US"])).toBe("us");
    expect(guessUnitSystem("Africa/Monrovia", "en-LR")).toBe("us");
  });
});

describe("a search result's calcium line (issue 14)", () => {
  it("is per 100 g in metric, per the first household portion in US units", () => {
    const milk: [string, number][] = [["1 cup (240 ml)", 244], ["1 glass (200 ml)", 206]];
    expect(calciumLine(123, milk, "metric")).toBe("123 mg calcium per 100 g");
    expect(calciumLine(123, milk, "us")).toBe("300 mg calcium per 1 cup (240 ml, 8.6 oz)");
  });
  it("is per 3.5 oz (100 g) in US units for a food without a portion, and never 0 mg for an unknown", () => {
    expect(calciumLine(50, [], "us")).toBe("50 mg calcium per 3.5 oz (100 g)");
    expect(calciumLine(undefined, [], "us")).toBe("calcium not known");
  });
});
