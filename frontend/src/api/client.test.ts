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
    expect(problemText({ detail: "d.", errors: [{ detail: "e." }] })).toBe("E.");
    expect(problemText({ detail: "d" })).toBe("D.");
    expect(problemText(undefined, "fallback")).toBe("fallback");
  });

  it("makes every field error a sentence naming the field in plain words (issue #14)", () => {
    // The server's answers (backend/fortify/accounts/passwords.py, core/errors.py).
    const weak = { status: 422, detail: "new_password: is one of the most common passwords; choose something less guessable", errors: [{ field: "new_password", rule: "not_common", detail: "is one of the most common passwords; choose something less guessable" }] };
    expect(problemText(weak)).toBe("The new password is one of the most common passwords; choose something less guessable.");
    const short = { status: 422, errors: [{ field: "password", rule: "string_too_short", detail: "String should have at least 10 characters" }] };
    expect(problemText(short)).toBe("The password was not accepted: string should have at least 10 characters.");
    const named = { status: 422, errors: [{ field: "password", rule: "matches", detail: "The password is wrong." }] };
    expect(problemText(named)).toBe("The password is wrong.");
    const nested = { status: 422, errors: [{ field: "items[0].display_name", rule: "no_control", detail: "contains a control character" }] };
    expect(problemText(nested)).toBe("The name contains a control character.");
    const whole = { status: 401, errors: [{ field: "authorization", rule: "expired", detail: "The session has expired. Please sign in again." }] };
    expect(problemText(whole)).toBe("The session has expired. Please sign in again.");
  });
});
