import { describe, expect, it } from "vitest";
import type { StoredRecord } from "../storage/store";
import { daysWords, dueOn, implicitReminderId, itemDays, nameWithStrength, reminderWrites, splitStrength, uuid5, weekdayOf } from "./regimenSchedule";
import { regimenDisplayName } from "./regimenName";
import { regimenProblem, scheduleWords } from "../screens/onboarding/regimen";

const ITEM = "0b9c1f7e-1111-4222-8333-444455556666";

function reminder(id: string, fields: Record<string, unknown>): StoredRecord {
  return { key: `reminders:${id}`, entity: "reminders", id, fields, version: 1, deleted: false, touched: 0 };
}

describe("implicit reminder id", () => {
  it("is the server's uuid5 of the item id", async () => {
    // Python: uuid.uuid5(UUID("6f2b1a8e-2d3c-4f0a-9a51-7c1e0b6d4e21"), ITEM)
    expect(await implicitReminderId(ITEM)).toBe("c2d36246-5d5c-558c-90e6-25fa63b8e8a0");
    // The RFC 4122 example: uuid5(NAMESPACE_DNS, "python.org").
    expect(await uuid5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org")).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
  });
});

describe("days an item is taken on", () => {
  it("counts Monday as 0, whatever the day's zone", () => {
    expect(weekdayOf("2026-12-07")).toBe(0); // a Monday
    expect(weekdayOf("2026-12-10")).toBe(3); // Thursday
    expect(weekdayOf("2026-12-06")).toBe(6); // Sunday
  });

  it("is due every day with no reminder naming it, on its reminder's days otherwise", () => {
    expect(itemDays(ITEM, [])).toBeNull();
    const monThu = [reminder("r1", { kind: "dose", regimen_item_id: ITEM, days_of_week: [3, 0] })];
    expect(itemDays(ITEM, monThu)).toEqual([0, 3]);
    expect(dueOn(ITEM, monThu, "2026-12-07")).toBe(true);
    expect(dueOn(ITEM, monThu, "2026-12-10")).toBe(true);
    for (const day of ["2026-12-08", "2026-12-09", "2026-12-11", "2026-12-12", "2026-12-13"]) expect(dueOn(ITEM, monThu, day)).toBe(false);
    // Another item's reminder says nothing about this one.
    expect(dueOn("other", monThu, "2026-12-08")).toBe(true);
    // A reminder for every day (null) makes it due every day.
    expect(itemDays(ITEM, [...monThu, reminder("r2", { kind: "dose", regimen_item_id: ITEM, days_of_week: null })])).toBeNull();
    // With no reminder naming it, the item's own days (its implicit reminder's on the server).
    expect(itemDays(ITEM, [], [3, 0])).toEqual([0, 3]);
    expect(dueOn(ITEM, [], "2026-12-08", [0, 3])).toBe(false);
    expect(dueOn(ITEM, [], "2026-12-10", [0, 3])).toBe(true);
    expect(itemDays(ITEM, [], [0, 1, 2, 3, 4, 5, 6])).toBeNull();
    expect(itemDays(ITEM, [], null)).toBeNull();
    // A stored reminder's days win over the item's.
    expect(itemDays(ITEM, monThu, [5])).toEqual([0, 3]);
    expect(daysWords([0, 3])).toBe("Mon, Thu");
    expect(daysWords(null)).toBe("every day");
  });
});

describe("reminder writes of a saved item", () => {
  it("makes the implicit reminder with its days when the item is not taken every day", async () => {
    const writes = await reminderWrites(ITEM, "Anastrozole 0.5 mg", true, [3, 0], []);
    expect(writes).toEqual([
      {
        id: "c2d36246-5d5c-558c-90e6-25fa63b8e8a0",
        fields: { kind: "dose", title: "Anastrozole 0.5 mg", regimen_item_id: ITEM, times: null, days_of_week: [0, 3] },
      },
    ]);
  });

  it("writes nothing for an every-day item with no stored reminder (the implicit one stands)", async () => {
    expect(await reminderWrites(ITEM, "Calcium", true, null, [])).toEqual([]);
    expect(await reminderWrites(ITEM, "Calcium", true, [0, 1, 2, 3, 4, 5, 6], [])).toEqual([]);
    expect(await reminderWrites(ITEM, "Calcium", false, [0], [])).toEqual([]);
  });

  it("edits each stored reminder naming it, back to every day too, keeping its switch", async () => {
    const stored = [reminder("r1", { kind: "dose", regimen_item_id: ITEM, days_of_week: [0, 3], enabled: false })];
    expect(await reminderWrites(ITEM, "Anastrozole 1 mg", true, null, stored)).toEqual([{ id: "r1", fields: { title: "Anastrozole 1 mg", days_of_week: null } }]);
    expect(await reminderWrites(ITEM, "Anastrozole 1 mg", true, [4], stored)).toEqual([{ id: "r1", fields: { title: "Anastrozole 1 mg", days_of_week: [4] } }]);
  });
});

describe("anastrozole's strength", () => {
  it("is said once, in the name", () => {
    expect(splitStrength("Anastrozole 0.5 mg")).toEqual({ base: "Anastrozole", mg: 0.5 });
    expect(splitStrength("Arimidex 1mg tablets")).toEqual({ base: "Arimidex tablets", mg: 1 });
    expect(splitStrength("Anastrozole")).toEqual({ base: "Anastrozole", mg: null });
    expect(nameWithStrength("", "Anastrozole", 0.5)).toBe("Anastrozole 0.5 mg");
    expect(nameWithStrength("Anastrozole 0,5 mg", "Anastrozole", 0.5)).toBe("Anastrozole 0.5 mg");
    expect(nameWithStrength("Arimidex", "Anastrozole", 0.25)).toBe("Arimidex 0.25 mg");
    const saved = { name: "Anastrozole 0.5 mg", form: "anastrozole", schedule_times: ["08:00"], prescribed_daily: false };
    expect(regimenDisplayName(saved)).toBe("Anastrozole 0.5 mg");
    // The line under the name never says another strength (it said "Anastrozole, 1 mg").
    expect(scheduleWords(saved, [0, 3])).toBe("Anastrozole · 08:00 · Mon, Thu");
    expect(scheduleWords({ ...saved, prescribed_daily: true }, null)).toBe("Anastrozole · 08:00 · daily");
    expect(scheduleWords({ ...saved, schedule_times: [] }, null)).toBe("Anastrozole · when needed");
  });
});

describe("the form's refusals", () => {
  const ok = { form: "anastrozole", kind: "medicine" as const, name: "", amount: "", strength: "0.5" as const, strengthTyped: "", times: ["08:00"], daily: false, days: [0, 3] };

  it("saves anastrozole 0.5 mg on Monday and Thursday", () => {
    expect(regimenProblem(ok)).toBeNull();
  });

  it("never saves a not-every-day item with times and no days (it would be reminded daily)", () => {
    expect(regimenProblem({ ...ok, days: [] })).toMatch(/Which days/);
    expect(regimenProblem({ ...ok, days: [], daily: true })).toBeNull();
    expect(regimenProblem({ ...ok, days: [], times: [] })).toBeNull();
  });

  it("asks anastrozole's amount, and refuses a name that says another", () => {
    expect(regimenProblem({ ...ok, strength: null })).toMatch(/how much/i);
    expect(regimenProblem({ ...ok, strength: "other", strengthTyped: "" })).toMatch(/mg/);
    expect(regimenProblem({ ...ok, strength: "other", strengthTyped: "0.75" })).toBeNull();
    expect(regimenProblem({ ...ok, name: "Anastrozole 1 mg" })).toMatch(/1 mg.*0.5 mg/);
    expect(regimenProblem({ ...ok, name: "Anastrozole 0.5 mg" })).toBeNull();
    // Other forms have no strength to choose.
    expect(regimenProblem({ ...ok, form: "vitamin_d3", kind: "supplement", amount: "1000", strength: null })).toBeNull();
  });

  it("asks a supplement's amount (it would count 0 at every dose), not a medicine's", () => {
    const calcium = { ...ok, form: "calcium_citrate", kind: "supplement" as const, strength: null, daily: true };
    expect(regimenProblem(calcium)).toBe("Enter the amount in one tablet or dose (mg calcium): without it, the doses you take count as 0.");
    expect(regimenProblem({ ...calcium, amount: "  " })).toMatch(/Enter the amount/);
    expect(regimenProblem({ ...calcium, amount: "0" })).toBe("The amount must be above 0.");
    // Text that is no number is told what to type, not a rule about 0 it did not break (F1).
    expect(regimenProblem({ ...calcium, amount: "600 IU" })).toBe("Type the number only, for example 600.");
    expect(regimenProblem({ ...calcium, amount: "315" })).toBeNull();
    expect(regimenProblem({ ...calcium, amount: "312,5" })).toBeNull();
    expect(regimenProblem({ ...calcium, kind: "medicine" })).toBeNull();
    // Forms that carry no nutrient have no amount to ask.
    expect(regimenProblem({ ...calcium, form: "turmeric" })).toBeNull();
  });
});
