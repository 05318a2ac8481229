import { describe, expect, it } from "vitest";
import { problemText } from "../../api/client";
import { isDeadLink, refusedPassword, SIGN_UP_LINK_DEAD, SIGN_UP_LINK_INCOMPLETE } from "./Auth";

// The answers of POST /api/v1/accounts/verify the sign-up link's page shows.
const wrongPassword = {
  status: 422,
  detail: "The request was not accepted.",
  errors: [
    {
      field: "password",
      rule: "matches",
      detail: "This isn't the password chosen when this sign-up was made. If you didn't sign up, ignore the mail; otherwise sign up again.",
    },
  ],
};
const deadLink = {
  status: 422,
  errors: [{ field: "token", rule: "valid_link", detail: "This link has expired or was used already. Ask for a new one." }],
};

describe("the sign-up link's page", () => {
  it("says a wrong password next to the password field, in the server's words", () => {
    expect(refusedPassword(wrongPassword)).toBe(true);
    expect(problemText(wrongPassword)).toBe(wrongPassword.errors[0]!.detail);
  });

  it("says a used, expired or voided link above the way to sign up again", () => {
    expect(refusedPassword(deadLink)).toBe(false);
    expect(problemText(deadLink)).toBe(deadLink.errors[0]!.detail);
  });

  it("says no connection there too", () => {
    expect(refusedPassword(new TypeError("Failed to fetch"))).toBe(false);
    expect(refusedPassword(undefined)).toBe(false);
  });
});

describe("a sign-up link that cannot confirm (the newcomer walk, issue #14)", () => {
  it("tells a dead link from a wrong password or no connection", () => {
    expect(isDeadLink(deadLink)).toBe(true);
    expect(isDeadLink(wrongPassword)).toBe(false);
    expect(isDeadLink(new TypeError("Failed to fetch"))).toBe(false);
    expect(isDeadLink(undefined)).toBe(false);
  });

  it("says it in plain words, with the way forward, never the API's terms", () => {
    for (const words of [SIGN_UP_LINK_INCOMPLETE, SIGN_UP_LINK_DEAD]) {
      expect(words).toMatch(/newest mail from Fortify/);
      expect(words).not.toMatch(/token|valid_link|string|field|422/i);
    }
    expect(SIGN_UP_LINK_INCOMPLETE).toMatch(/incomplete/);
    expect(SIGN_UP_LINK_DEAD).toMatch(/no longer works/);
    expect(SIGN_UP_LINK_DEAD).toMatch(/sign up again/);
  });
});
