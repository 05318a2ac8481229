import { describe, expect, it } from "vitest";
import { calciumSittings, sumIntake } from "./intake";
import { type Dated, dated, zoneOf } from "./timeline";
import type { Dose } from "./types";

function doses(...entries: [string, number][]): Dated<Dose>[] {
  const list: Dose[] = entries.map(([at, calcium], i) => ({
    id: `d${i}`,
    taken_at: at,
    nutrients: { calcium_mg: calcium },
  }));
  return dated(list, (d) => d.taken_at, zoneOf("UTC"), "2026-03-10");
}

describe("calciumSittings", () => {
  it("joins two 400 mg tablets 45 minutes apart into one 800 mg sitting", () => {
    expect(
      calciumSittings(doses(["2026-03-10T08:00:00Z", 400], ["2026-03-10T08:45:00Z", 400])),
    ).toEqual([800]);
  });

  it("anchors on the group's first dose, so a chain 45 minutes apart splits", () => {
    const sittings = calciumSittings(
      doses(
        ["2026-03-10T08:00:00Z", 300],
        ["2026-03-10T08:45:00Z", 300],
        ["2026-03-10T09:30:00Z", 300],
      ),
    );
    expect(sittings).toEqual([600, 300]);
  });

  it("counts exactly 60 minutes as the same sitting, and ignores doses without calcium", () => {
    const sittings = calciumSittings(
      doses(
        ["2026-03-10T08:00:00Z", 500],
        ["2026-03-10T08:30:00Z", 0],
        ["2026-03-10T09:00:00Z", 100],
      ),
    );
    expect(sittings).toEqual([600]);
  });

  it("works in time order whatever order the doses arrive in", () => {
    expect(
      calciumSittings(doses(["2026-03-10T10:00:00+01:00", 200], ["2026-03-10T08:30:00Z", 200])),
    ).toEqual([400]);
  });
});

describe("sumIntake", () => {
  it("reads unknown amounts as nothing and keeps food and supplements apart", () => {
    const intake = sumIntake(
      [
        {
          eaten_at: "2026-03-10T08:00:00Z",
          items: [{ nutrients: { calcium_mg: 300, fiber_g: null } }],
        },
      ],
      [
        {
          taken_at: "2026-03-10T08:00:00Z",
          nutrients: { calcium_mg: 500 },
          servings: { soluble_fiber: 1 },
        },
      ],
    );
    expect(intake.foodAmount("calcium_mg")).toBe(300);
    expect(intake.supplementAmount("calcium_mg")).toBe(500);
    expect(intake.total("fiber_g")).toBe(0);
    expect(Object.fromEntries(intake.servings)).toEqual({
      soluble_fiber: 1,
      polyphenol: 0,
      mufa: 0,
    });
  });
});
