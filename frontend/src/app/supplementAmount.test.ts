import { describe, expect, it } from "vitest";
import { amountNeededHint, calciumDoseNote, calciumSplit, spreadTimes, typedAmount } from "./supplementAmount";

describe("a supplement's amount", () => {
  it("reads a decimal comma and refuses what is not a number", () => {
    expect(typedAmount("312,5")).toBe(312.5);
    expect(typedAmount(" 600 ")).toBe(600);
    expect(typedAmount("")).toBeNull();
    expect(typedAmount("abc")).toBeNull();
  });

  it("is said to be needed for a supplement, not for a medicine", () => {
    expect(amountNeededHint("supplement")).toMatch(/^Needed for a supplement/);
    expect(amountNeededHint("medicine")).toBeUndefined();
  });
});

describe("calcium over 500 mg at one time", () => {
  it("says nothing up to 500 mg", () => {
    expect(calciumDoseNote(500)).toBeNull();
    expect(calciumDoseNote(null)).toBeNull();
    expect(calciumSplit(500)).toBeNull();
  });

  it("says in words that 600 mg at once counts less, and suggests two doses of 300 mg", () => {
    expect(calciumSplit(600)).toEqual({ doses: 2, each: 300 });
    expect(calciumDoseNote(600)).toBe(
      "More than 500 mg of calcium at one time is absorbed less, so it counts less in your bone score (half credit up to 600 mg at once, none above). " +
        "Split it into 2 doses of about 300 mg at different times of day (for example, half a tablet with breakfast and half with dinner).",
    );
  });

  it("splits larger amounts into as many doses as keep each at 500 mg or less", () => {
    expect(calciumSplit(1200)).toEqual({ doses: 3, each: 400 });
    expect(calciumSplit(1000)).toEqual({ doses: 2, each: 500 });
    expect(calciumDoseNote(1200)).toMatch(/3 doses of about 400 mg.*breakfast, lunch and dinner/);
  });

  it("adds dose times at least three hours from the ones she has", () => {
    expect(spreadTimes(["08:00"], 2)).toEqual(["08:00", "18:00"]);
    expect(spreadTimes(["07:30"], 3)).toEqual(["07:30", "13:00", "18:00"]);
    expect(spreadTimes(["08:00", "20:00"], 2)).toEqual(["08:00", "20:00"]);
    expect(spreadTimes([], 2)).toEqual(["08:00", "18:00"]);
  });
});
