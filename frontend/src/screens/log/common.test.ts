import { afterEach, describe, expect, it } from "vitest";
import { forgetProfileZone, onZoneChange, setProfileZone } from "../../app/zone";
import { backPath, whenInstant, whenValue, type WhenState } from "./common";
import { defaultName } from "./Meal";

afterEach(() => forgetProfileZone());

// 13:23 UTC on a phone whose clock is UTC is 07:23 in Chicago (summer: UTC-5, winter: UTC-6).
const OPENED = "2026-07-14T13:23:00.000Z";

describe("a log form's default time follows her zone, not the phone's (issue #14)", () => {
  it("an untouched new form shows the moment it opened in whichever zone is known now", () => {
    const state: WhenState = { start: OPENED, saved: false, typed: null };
    // Before the profile is read the phone's zone is all the form knows...
    expect(whenValue(state, "UTC")).toBe("2026-07-14T13:23");
    // ...and when her profile arrives the same moment is shown on her clock.
    expect(whenValue(state, "America/Chicago")).toBe("2026-07-14T08:23");
    expect(whenInstant(state, "America/Chicago")).toBe("2026-07-14T08:23:00-05:00");
    expect(Date.parse(whenInstant(state, "America/Chicago"))).toBe(Date.parse(OPENED));
  });

  it("never replaces what she typed, and reads it on her clock", () => {
    const state: WhenState = { start: OPENED, saved: false, typed: "2026-07-14T06:45" };
    expect(whenValue(state, "UTC")).toBe("2026-07-14T06:45");
    expect(whenValue(state, "America/Chicago")).toBe("2026-07-14T06:45");
    expect(whenInstant(state, "America/Chicago")).toBe("2026-07-14T06:45:00-05:00");
  });

  it("an entry being edited keeps its own instant when the time is not touched", () => {
    const saved = "2026-07-14T12:45:30.000Z";
    const state: WhenState = { start: saved, saved: true, typed: null };
    expect(whenValue(state, "America/Chicago")).toBe("2026-07-14T07:45");
    expect(whenInstant(state, "UTC")).toBe(saved);
    expect(whenInstant(state, "America/Chicago")).toBe(saved);
  });

  it("tells the screens when her zone becomes known, once per change", () => {
    const seen: string[] = [];
    const stop = onZoneChange((z) => seen.push(z));
    setProfileZone("America/Chicago");
    setProfileZone("America/Chicago");
    setProfileZone("Not/AZone");
    stop();
    setProfileZone("Europe/Paris");
    expect(seen).toEqual(["America/Chicago"]);
  });

  it("the meal's name is guessed from her clock, not the phone's", () => {
    const ms = Date.parse(OPENED);
    expect(defaultName("UTC", ms)).toBe("Lunch");
    expect(defaultName("America/Chicago", ms)).toBe("Breakfast");
  });
});

describe("a log form goes back where it was opened from", () => {
  it("goes back to the History day it came from", () => {
    expect(backPath("?id=m1&back=%2Fhistory%2F2026-12-02")).toBe("/history/2026-12-02");
  });
  it("goes back to Today otherwise, and never to an address a link chose", () => {
    expect(backPath("?id=m1")).toBe("/today");
    expect(backPath("?back=https%3A%2F%2Fevil.example")).toBe("/today");
    expect(backPath("?back=%2Fsettings")).toBe("/today");
    expect(backPath("?back=%2Fhistory%2F2026-12-02%2F..")).toBe("/today");
  });
});
