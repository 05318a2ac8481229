import { describe, expect, it } from "vitest";
import { savedWords } from "./saved";
import { JOINT_PAIN_WORDS, jointPainNote } from "./jointPain";

describe("joint pain of 5/10 or more is acknowledged in words (newcomer walk F11)", () => {
  it("names moderate and severe pain, not mild pain or none", () => {
    for (const pain of [5, 6, 10]) expect(jointPainNote(pain)).toBe(JOINT_PAIN_WORDS);
    for (const pain of [0, 2, 4, null, undefined, "6"]) expect(jointPainNote(pain)).toBeNull();
  });
  it("says it in the toast when she saves the entry, online and offline", () => {
    expect(savedWords("symptoms", { worst_pain_0_10: 6 }, true)).toBe(`Joint symptoms saved. ${JOINT_PAIN_WORDS}`);
    expect(savedWords("symptoms", { worst_pain_0_10: 6 }, false)).toContain(JOINT_PAIN_WORDS);
    expect(savedWords("symptoms", { worst_pain_0_10: 3 }, true)).toBe("Joint symptoms saved.");
    expect(savedWords("workouts", { worst_pain_0_10: 8 }, true)).toBe("Workout saved.");
  });
});
