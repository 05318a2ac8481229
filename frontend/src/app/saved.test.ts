import { describe, expect, it } from "vitest";
import { savedWords } from "./saved";

describe("savedWords", () => {
  it("names a meal by the name she gave it", () => {
    expect(savedWords("meals", { name: "Breakfast" }, true)).toBe("Breakfast saved.");
  });
  it("names other entries by their kind", () => {
    expect(savedWords("measurements", { weight_lb: 150 }, true)).toBe("Weight saved.");
    expect(savedWords("symptoms", {}, true)).toBe("Joint symptoms saved.");
  });
  it("says where it is, and what happens next, when the phone is offline", () => {
    expect(savedWords("meals", { name: " " }, false)).toBe("Meal saved on this phone; will sync when online.");
  });
});
