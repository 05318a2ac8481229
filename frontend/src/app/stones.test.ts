import { describe, expect, it } from "vitest";
import { readStones, stonesIn } from "./stones";

describe("readStones", () => {
  it("reads the ways a British woman writes her weight", () => {
    expect(readStones("10st 7lb")).toEqual({ st: 10, lb: 7 });
    expect(readStones("10 st 7")).toEqual({ st: 10, lb: 7 });
    expect(readStones("10st")).toEqual({ st: 10, lb: 0 });
    expect(readStones(" 10 stone 7 pounds ")).toEqual({ st: 10, lb: 7 });
    expect(readStones("9 St 3.5 lbs")).toEqual({ st: 9, lb: 3.5 });
    expect(readStones("9st 3,5")).toEqual({ st: 9, lb: 3.5 });
  });
  it("is no weight in stones for a plain number or other words", () => {
    expect(readStones("70")).toBeNull();
    expect(readStones("10 7")).toBeNull();
    expect(readStones("ten stone")).toBeNull();
    expect(readStones("10kg")).toBeNull();
    expect(readStones("st 7")).toBeNull();
  });
});

describe("stonesIn", () => {
  it("converts to kg to 0.1 kg, or to pounds, and says so", () => {
    expect(stonesIn({ st: 10, lb: 7 }, false)).toEqual({ value: 66.7, words: "10 st 7 lb = 66.7 kg" });
    expect(stonesIn({ st: 10, lb: 7 }, true)).toEqual({ value: 147, words: "10 st 7 lb = 147 lb" });
    expect(stonesIn({ st: 10, lb: 0 }, false).value).toBe(63.5);
  });
});
