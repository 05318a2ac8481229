import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password";

describe("a new password", () => {
  it("too short is refused in the app's own words, with its length", () => {
    expect(passwordProblem("short1")).toMatch(/^This password has 6 characters; it needs at least 10\./);
    expect(passwordProblem("")).toBe("Choose a password of at least 10 characters.");
  });
  it("of 10 characters or more is left to the server (common passwords)", () => {
    expect(passwordProblem("ten chars!")).toBeNull();
  });
});
