import { describe, expect, it } from "vitest";
import { problemText } from "../../api/client";
import { refusedPassword } from "./Auth";

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
