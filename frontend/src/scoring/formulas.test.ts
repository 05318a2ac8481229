import { describe, expect, it } from "vitest";
import { lin, roundHalfUp, roundPlaces } from "./formulas";
import { num } from "./wording";

describe("roundHalfUp", () => {
  it("rounds half-way values that binary floating point lands just below the half up", () => {
    // 100 x 0.145 + 0.5 is 14.999999999999998 in binary; a bare floor would give 14.
    expect(Math.floor(100 * 0.145 + 0.5)).toBe(14);
    expect(roundHalfUp(0.145)).toBe(15);
    expect(Math.floor(100 * 0.285 + 0.5)).toBe(28);
    expect(roundHalfUp(0.285)).toBe(29);
  });

  it("still rounds values below the half down", () => {
    expect(roundHalfUp(0.1445)).toBe(14);
    expect(roundHalfUp(0.14499)).toBe(14);
  });

  it("keeps 0 and 1 exact", () => {
    expect(roundHalfUp(0)).toBe(0);
    expect(roundHalfUp(1)).toBe(100);
  });
});

describe("roundPlaces and num", () => {
  it("round half up to the given decimals", () => {
    expect(roundPlaces(0.4666666, 3)).toBe(0.467);
    expect(roundPlaces(2.675, 2)).toBe(2.68);
    expect(num(2.5)).toBe("3");
    expect(num(1.25, 1)).toBe("1.3");
    expect(num(300.0, 1)).toBe("300");
  });
});

describe("lin", () => {
  it("clamps to 0..1 and treats a target of 0 as met", () => {
    expect(lin(900, 1200)).toBe(0.75);
    expect(lin(3000, 1200)).toBe(1);
    expect(lin(-5, 10)).toBe(0);
    expect(lin(0, 0)).toBe(1);
  });
});
