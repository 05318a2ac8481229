import { describe, expect, it } from "vitest";
import type { StoredRecord } from "../storage/store";
import { NEW_PROFILE_VERSION, setupStepMissing } from "./setup";

const profile = (fields: Record<string, unknown>, version: number): StoredRecord => ({ key: "profile:p", entity: "profile", id: "p", fields, version, deleted: false, touched: 0 });

describe("setupStepMissing (F23)", () => {
  it("offers step 1 when a synced phone holds no profile: it was never saved, on any device", () => {
    expect(setupStepMissing(undefined, true, false)).toBe(1);
  });

  it("waits for the first sync before saying anything", () => {
    expect(setupStepMissing(undefined, false, false)).toBeNull();
  });

  it("a profile at its first version with no sex was never answered", () => {
    expect(setupStepMissing(profile({ sex: null, time_zone: "UTC" }, NEW_PROFILE_VERSION), true, false)).toBe(1);
  });

  it("a saved profile is answered, Prefer not to say (no sex) included", () => {
    expect(setupStepMissing(profile({ sex: "female" }, NEW_PROFILE_VERSION), true, false)).toBeNull();
    expect(setupStepMissing(profile({ sex: null }, NEW_PROFILE_VERSION + 1), true, false)).toBeNull();
  });

  it("an answer saved on this phone and not yet pulled back counts", () => {
    expect(setupStepMissing(undefined, true, true)).toBeNull();
  });
});
