import { describe, expect, it } from "vitest";
import { decimalText, numberOnlyWords, numberText, readNumber, shownText } from "./decimal";

describe("decimalText", () => {
  it("reads a decimal comma as a decimal point", () => {
    expect(decimalText("82,5")).toBe("82.5");
    expect(Number(decimalText("82,5"))).toBe(82.5);
    expect(decimalText("0,125")).toBe("0.125");
    expect(decimalText("1,25")).toBe("1.25");
    expect(decimalText("82,")).toBe("82.");
  });
  it("drops a comma that plainly groups thousands", () => {
    expect(decimalText("1,200")).toBe("1200");
    expect(decimalText("12,000")).toBe("12000");
    expect(decimalText("1,200.5")).toBe("1200.5");
  });
  it("leaves text with no comma as it was", () => {
    expect(decimalText(" 82.5 ")).toBe("82.5");
    expect(decimalText("")).toBe("");
    expect(decimalText("abc")).toBe("abc");
  });
});

describe("shownText", () => {
  it("keeps her comma on screen while it means the value held", () => {
    expect(shownText("82,5", "82.5")).toBe("82,5");
  });
  it("shows a value set from outside", () => {
    expect(shownText("82,5", "")).toBe("");
    expect(shownText(null, "70")).toBe("70");
  });
});

describe("readNumber (the newcomer walk: F1, F8, F10)", () => {
  it("reads a number followed by the box's own unit", () => {
    expect(readNumber("600mg", { unit: "mg" })).toBe("600");
    expect(readNumber("600 mg", { unit: "mg of calcium, the label's “elemental calcium”" })).toBe("600");
    expect(readNumber("600 MG.", { unit: "mg" })).toBe("600");
    expect(readNumber("1000 IU", { unit: "IU" })).toBe("1000");
    expect(readNumber("30 min", { unit: "minutes" })).toBe("30");
    expect(readNumber("20 mins", { unit: "minutes" })).toBe("20");
    expect(readNumber("82,5 kg", { unit: "kg" })).toBe("82.5");
    expect(readNumber("1,200mg", { unit: "mg" })).toBe("1200");
  });
  it("refuses another unit than the box's, and words around the number", () => {
    expect(readNumber("600 IU", { unit: "mg" })).toBeNull();
    expect(readNumber("600mg", {})).toBeNull();
    expect(readNumber("about 20", { unit: "minutes" })).toBeNull();
    expect(readNumber("mg", { unit: "mg" })).toBeNull();
    expect(readNumber("20 minutes or so", { unit: "minutes" })).toBeNull();
  });
  it("reads simple fractions where an amount is asked, and only there", () => {
    expect(readNumber("1/2", { fractions: true })).toBe("0.5");
    expect(readNumber("½", { fractions: true })).toBe("0.5");
    expect(readNumber("1½", { fractions: true })).toBe("1.5");
    expect(readNumber("1 ½ oz", { unit: "oz", fractions: true })).toBe("1.5");
    expect(readNumber("1 1/2", { fractions: true })).toBe("1.5");
    expect(readNumber("¾", { fractions: true })).toBe("0.75");
    expect(readNumber("¼ oz", { unit: "oz", fractions: true })).toBe("0.25");
    expect(readNumber("1/0", { fractions: true })).toBeNull();
    expect(readNumber("1/2", {})).toBeNull();
  });
  it("keeps what the box read before: plain numbers, decimal commas, empty", () => {
    expect(readNumber("82,5")).toBe("82.5");
    expect(readNumber(" 70 ")).toBe("70");
    expect(readNumber("")).toBe("");
    expect(readNumber("-3")).toBe("-3");
    expect(readNumber("abc")).toBeNull();
  });
  it("passes unreadable text on so the form refuses it, and keeps her text on screen", () => {
    expect(numberText("about 20", { unit: "minutes" })).toBe("about 20");
    expect(Number(numberText("about 20", { unit: "minutes" }))).toBeNaN();
    expect(shownText("600mg", "600", { unit: "mg" })).toBe("600mg");
    expect(numberOnlyWords("600")).toBe("Type the number only, for example 600.");
  });
});
