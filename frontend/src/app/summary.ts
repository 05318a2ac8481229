/** One-line, plain-words summaries of entries for lists (Today, History). */
import { activity } from "../scoring";
import type { StoredRecord } from "../storage/store";
import { formLabel } from "./regimenName";
import { fmtWeight, weightKgOf } from "./units";
import { entryWhen } from "./day";
import { fmtTime } from "./zone";

export const LAB_LABEL: Record<string, string> = {
  vitamin_d_25oh: "Vitamin D blood level (25-hydroxyvitamin D)",
  total_cholesterol: "Total cholesterol",
  ldl_cholesterol: "LDL cholesterol",
  hdl_cholesterol: "HDL cholesterol",
  triglycerides: "Triglycerides",
  dxa_t_score: "Bone density scan (DXA T-score)",
};

// Clock times are in the person's zone (./zone.ts), one cached formatter per zone.
export { fmtTime } from "./zone";

/**
 * The clock time a day's list shows beside an entry ("08:10"), in her zone. A lab result has
 * none: she gives the test's date only, and it is stored at noon of that day (app/testDate.ts),
 * so "12:00" was a time she never entered (newcomer walk); the list it sits in names the day.
 */
export function entryTime(r: StoredRecord, zone: string): string {
  return r.entity === "labs" ? "" : fmtTime(entryWhen(r), zone);
}

export function summary(r: StoredRecord, regimenName: (id: string) => string | undefined, us = false): string {
  const f = r.fields ?? {};
  switch (r.entity) {
    case "meals": {
      const items = (f.items as { nutrients?: Record<string, number | null> }[] | undefined) ?? [];
      const ca = items.reduce((s, i) => s + (i.nutrients?.calcium_mg ?? 0), 0);
      return `${String(f.name ?? "Meal")}: ${items.length} item${items.length === 1 ? "" : "s"}, ${Math.round(ca)} mg calcium`;
    }
    case "doses": {
      const name = typeof f.regimen_item_id === "string" ? regimenName(f.regimen_item_id) : undefined;
      return `${name ?? formLabel(f.form) ?? "Dose"} taken${Number(f.units ?? 1) !== 1 ? ` ×${String(f.units)}` : ""}`;
    }
    case "workouts": {
      const a = activity(String(f.activity));
      return `${a?.label ?? String(f.activity)}: ${String(f.minutes)} min, ${String(f.intensity ?? "moderate")}`;
    }
    case "symptoms": {
      const stiff = typeof f.morning_stiffness_minutes === "number" ? `, stiffness ${f.morning_stiffness_minutes} min` : "";
      // Where it hurts is half of what she logged: "· hands, knees" (the API's names are the words).
      const places = Array.isArray(f.locations) ? f.locations.filter((l): l is string => typeof l === "string").map((l) => l.replace(/_/g, " ")) : [];
      return `Joint pain ${String(f.worst_pain_0_10)}/10${stiff}${places.length ? ` · ${places.join(", ")}` : ""}`;
    }
    case "labs":
      return `${LAB_LABEL[String(f.kind)] ?? String(f.kind)}: ${String(f.value)} ${String(f.unit)}`;
    case "measurements": {
      const kg = weightKgOf(f);
      if (kg === null) return "Weight";
      return `Weight ${fmtWeight(kg, us ? "us" : "metric")}`;
    }
    default:
      return r.entity;
  }
}

export const KIND_PATH: Record<string, string> = {
  meals: "meal",
  doses: "dose",
  workouts: "workout",
  symptoms: "symptom",
  labs: "lab",
  measurements: "weight",
};

/**
 * The edit form's address for an entry (null for a kind with no form), coming back to `back`
 * (the History day it was opened from; screens/log/common.tsx `backPath`) when given.
 */
export function editPath(entity: string, id: string, back?: string): string | null {
  const kind = KIND_PATH[entity];
  if (!kind) return null;
  return `/log/${kind}?id=${encodeURIComponent(id)}${back ? `&back=${encodeURIComponent(back)}` : ""}`;
}
