/**
 * A dose's fields from its regimen item. Shared by Today's one-tap "Taken" and the reminder
 * actions (service worker included), so a dose logged from a notification offline looks
 * exactly like one logged on Today. No DOM: the service worker imports it.
 */
import type { EntityFields } from "../api/entities";
import { fieldsOf, type StoredRecord } from "../storage/store";

/** The per-unit nutrients and servings times the units taken. */
export function doseFields(item: StoredRecord, units: number, takenAt: string): EntityFields["doses"] {
  const f = fieldsOf(item, "regimen");
  const scale = (o: Record<string, number | null | undefined> | undefined) =>
    Object.fromEntries(
      Object.entries(o ?? {})
        .filter((e): e is [string, number] => typeof e[1] === "number")
        .map(([k, v]) => [k, v * units]),
    );
  return {
    regimen_item_id: item.id,
    taken_at: takenAt,
    units,
    kind: f.kind ?? "supplement",
    form: f.form ?? "other",
    nutrients: scale(f.nutrients_per_unit),
    servings: scale(f.servings_per_unit),
  };
}

/** Now as an ISO instant with the device's UTC offset ("2026-11-27T08:00:00+01:00"). */
export function nowWithOffset(date = new Date()): string {
  const off = -date.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const abs = Math.abs(off);
  const pad = (n: number) => String(n).padStart(2, "0");
  const local = new Date(date.getTime() + off * 60_000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
