import { describe, expect, it } from "vitest";
import { problemText } from "./client";

describe("problemText", () => {
  it("shows a 429's wait in words, as the forgot-password screen does", () => {
    // The server's answer to a fourth reset request in an hour (tests/accounts/test_lifecycle.py).
    const detail = "Too many sign-up or password-reset requests from here. Try again in 1 hour.";
    const refused = {
      type: "https://fortify.invalid/problems/rate_limited",
      title: "Too many attempts",
      status: 429,
      detail,
      code: "rate_limited",
      instance: "/api/v1/password/forgot",
      errors: [{ field: "request", rule: "rate_limited", detail }],
    };
    expect(problemText(refused)).toBe(detail);
  });

  it("prefers the first field's words, then the detail, then the fallback", () => {
    expect(problemText({ detail: "d", errors: [{ detail: "e" }] })).toBe("e");
    expect(problemText({ detail: "d" })).toBe("d");
    expect(problemText(undefined, "fallback")).toBe("fallback");
  });
});
