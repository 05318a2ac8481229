import { describe, expect, it } from "vitest";
import { deleteWhyNot, offlineWhyNot } from "./whyNot";

describe("deleteWhyNot", () => {
  it("names both the password and the confirmation when neither is given", () => {
    expect(deleteWhyNot({ password: "", sure: false, online: true })).toBe("To delete your account, first type your password and tick the box “I understand…”.");
  });

  it("names only what is still missing", () => {
    expect(deleteWhyNot({ password: "secret", sure: false, online: true })).toBe("To delete your account, first tick the box “I understand…”.");
    expect(deleteWhyNot({ password: "", sure: true, online: true })).toBe("To delete your account, first type your password.");
  });

  it("says nothing when all is given", () => {
    expect(deleteWhyNot({ password: "secret", sure: true, online: true })).toBeNull();
  });

  it("says a connection is needed when offline", () => {
    expect(deleteWhyNot({ password: "secret", sure: true, online: false })).toMatch(/needs a connection/);
  });
});

describe("offlineWhyNot", () => {
  it("says a connection is needed offline, and nothing online", () => {
    expect(offlineWhyNot("Changing your password", false)).toBe("Changing your password needs a connection. You are offline now: try again when you are online.");
    expect(offlineWhyNot("Changing your password", true)).toBeNull();
  });
});
