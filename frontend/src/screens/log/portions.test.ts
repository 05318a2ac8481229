import { describe, expect, it } from "vitest";
import { litPortion, type Portion } from "./portions";

const YOGURT: Portion[] = [["1 cup", 245], ["1 container", 245], ["1 tbsp", 15]];
const CUP = 0;
const CONTAINER = 1;
const TBSP = 2;

describe("the lit portion chip", () => {
  it("is the tapped one, even when another portion weighs the same", () => {
    expect(litPortion(YOGURT, "245", CONTAINER)).toBe(CONTAINER);
    expect(litPortion(YOGURT, "245", CUP)).toBe(CUP);
  });
  it("is the first portion of that weight before any tap, and one at most", () => {
    expect(litPortion(YOGURT, "245", null)).toBe(CUP);
    expect(litPortion(YOGURT, "15", null)).toBe(TBSP);
  });
  it("follows an amount typed to another portion's weight", () => {
    expect(litPortion(YOGURT, "15", CONTAINER)).toBe(TBSP);
  });
  it("takes an amount typed in ounces (grams with a decimal) as the portion it rounds to", () => {
    // 8.6 oz is 243.8 g: not a cup; 0.5 oz is 14.2 g: not a tablespoon; 245.3 g is a cup.
    expect(litPortion(YOGURT, "243.8", null)).toBeNull();
    expect(litPortion(YOGURT, "14.2", null)).toBeNull();
    expect(litPortion(YOGURT, "245.3", CONTAINER)).toBe(CONTAINER);
  });
  it("is one chip even when two portions share a label", () => {
    const twins: Portion[] = [["1 cup", 245], ["1 cup", 245]];
    expect(litPortion(twins, "245", 1)).toBe(1);
    expect(litPortion(twins, "245", null)).toBe(0);
  });
  it("is none for a custom amount, an empty or a nonsense one", () => {
    expect(litPortion(YOGURT, "100", CUP)).toBeNull();
    expect(litPortion(YOGURT, "", CUP)).toBeNull();
    expect(litPortion(YOGURT, "abc", null)).toBeNull();
    expect(litPortion(YOGURT, "0", null)).toBeNull();
    expect(litPortion([], "100", null)).toBeNull();
  });
});
