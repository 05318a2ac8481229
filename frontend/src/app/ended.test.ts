/** The ended-session notice names her account without showing her address (a shared phone, issue #14). */
import { describe, expect, it } from "vitest";
import { maskedEmail } from "./ended";

describe("maskedEmail", () => {
  it("keeps the first letter and the domain", () => {
    expect(maskedEmail("anna.smith@example.com")).toBe("a•••@example.com");
    expect(maskedEmail("b@mail.example.org")).toBe("b•••@mail.example.org");
  });

  it("never shows more of the name than its first letter", () => {
    for (const email of ["anna.smith@example.com", "Zoë-Müller+fortify@example.de", "ab@y.z", "a@b@example.com"]) {
      const at = email.lastIndexOf("@");
      const shown = maskedEmail(email);
      expect(shown).toBe(`${email[0]}•••${email.slice(at)}`);
      expect(shown).not.toContain(email.slice(1, at));
    }
  });

  it("keeps a letter outside the basic plane whole", () => {
    expect(maskedEmail("😀smile@example.com")).toBe("😀•••@example.com");
  });

  it("says 'your account' for something that is no address", () => {
    expect(maskedEmail("")).toBe("your account");
    expect(maskedEmail("@example.com")).toBe("your account");
  });
});
