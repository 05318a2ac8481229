import { describe, expect, it } from "vitest";
import { decimalText, shownText } from "./decimal";

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
