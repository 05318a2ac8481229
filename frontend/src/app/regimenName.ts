/**
 * A medicine's name with its strength ("Anastrozole 1 mg"), wherever it is listed. An item
 * saved as plain "Anastrozole" (from the form's list, with no name typed) still shows the
 * strength its catalog form comes in; a name that already carries a number is left alone.
 *
 * The forms' labels and an item's amount in words live here too, not in the regimen screen:
 * Today and every entry's summary need them, and importing them from that screen put its
 * form (and the entry limits it checks) into the first download (issue #14).
 */
import type { EntityFields } from "../api/entities";
import type { Fields } from "../storage/store";


/** Strengths of the forms that come in one strength only (anastrozole: 1 mg tablets). */
export const FORM_STRENGTH: Readonly<Record<string, string>> = {
  anastrozole: "1 mg",
};

export function regimenDisplayName(fields: Record<string, unknown> | null | undefined): string {
  const f = fields ?? {};
  const name = typeof f.name === "string" ? f.name.trim() : "";
  const strength = typeof f.form === "string" ? FORM_STRENGTH[f.form] : undefined;
  if (!name) return strength && f.form === "anastrozole" ? `Anastrozole ${strength}` : "";
  if (!strength || /\d/.test(name)) return name;
  return `${name} ${strength}`;
}

/**
 * Supplement forms, with the nutrient one unit carries and its unit. The unit is shown in
 * brackets after the amount field's label, so it has none of its own (no doubled brackets).
 */
export const FORMS: readonly { form: EntityFields["regimen"]["form"]; label: string; nutrient?: string; unit?: string }[] = [
  { form: "anastrozole", label: "Anastrozole" },
  { form: "calcium_carbonate", label: "Calcium carbonate", nutrient: "calcium_mg", unit: "mg of calcium, the label's “elemental calcium”" },
  { form: "calcium_citrate", label: "Calcium citrate", nutrient: "calcium_mg", unit: "mg of calcium, the label's “elemental calcium”" },
  { form: "vitamin_d3", label: "Vitamin D3", nutrient: "vitamin_d_iu", unit: "IU" },
  { form: "vitamin_d2", label: "Vitamin D2", nutrient: "vitamin_d_iu", unit: "IU" },
  { form: "vitamin_k2_mk7", label: "Vitamin K2 (MK-7)", nutrient: "vitamin_k_mcg", unit: "mcg" },
  { form: "vitamin_k2_mk4", label: "Vitamin K2 (MK-4)", nutrient: "vitamin_k_mcg", unit: "mcg" },
  { form: "magnesium_glycinate", label: "Magnesium glycinate", nutrient: "magnesium_mg", unit: "mg of magnesium, the label's “elemental magnesium”" },
  { form: "magnesium_citrate", label: "Magnesium citrate", nutrient: "magnesium_mg", unit: "mg of magnesium, the label's “elemental magnesium”" },
  { form: "magnesium_oxide", label: "Magnesium oxide", nutrient: "magnesium_mg", unit: "mg of magnesium, the label's “elemental magnesium”" },
  { form: "fish_oil", label: "Fish oil", nutrient: "epa_mg", unit: "mg of EPA + DHA" },
  { form: "algal_oil", label: "Algal oil", nutrient: "epa_mg", unit: "mg of EPA + DHA" },
  { form: "psyllium", label: "Psyllium", nutrient: "fiber_g", unit: "g fiber" },
  { form: "turmeric", label: "Turmeric" },
  { form: "ginger", label: "Ginger" },
  { form: "other", label: "Other" },
];

export function formLabel(form: unknown): string {
  return FORMS.find((f) => f.form === form)?.label ?? String(form ?? "");
}

export const SHORT_UNIT: Readonly<Record<string, string>> = {
  calcium_mg: "mg calcium",
  vitamin_d_iu: "IU",
  vitamin_k_mcg: "mcg",
  magnesium_mg: "mg magnesium",
  epa_mg: "mg omega-3 from fish (EPA and DHA)",
  fiber_g: "g fiber",
};

/** "500 mg calcium": what one unit of an item carries, in words; "" when it carries nothing. */
export function amountWords(fields: Fields): string {
  const n = (fields.nutrients_per_unit as Record<string, number> | undefined) ?? {};
  const epaDha = (n.epa_mg ?? 0) + (n.dha_mg ?? 0);
  if (epaDha > 0) return `${Math.round(epaDha)} mg omega-3 from fish (EPA and DHA)`;
  for (const [key, unit] of Object.entries(SHORT_UNIT)) {
    const v = n[key];
    if (typeof v === "number" && v > 0) return `${Math.round(v * 10) / 10} ${unit}`;
  }
  return "";
}

/** The first scheduled time of an item ("08:00"), or null for one taken when needed. */
function firstTime(fields: Record<string, unknown>): string | null {
  const times = Array.isArray(fields.schedule_times) ? fields.schedule_times.filter((t): t is string => typeof t === "string") : [];
  return times.length > 0 ? [...times].sort()[0] ?? null : null;
}

/** 0 for anastrozole, 1 for her other medicines, 2 for supplements. */
function rank(fields: Record<string, unknown>): number {
  if (fields.form === "anastrozole") return 0;
  return fields.kind === "medicine" ? 1 : 2;
}

/**
 * One order for her medicines and supplements on every screen that lists them (the medicines
 * page, the dose form's choice, Today's doses at the same minute): anastrozole first, then her
 * other medicines, then supplements; within each, by first dose time (items with no time last),
 * then by name. They were listed in the order they were added (newcomer walk).
 */
export function byRegimenOrder(a: { id: string; fields?: Fields | null }, b: { id: string; fields?: Fields | null }): number {
  const fa = a.fields ?? {};
  const fb = b.fields ?? {};
  const ta = firstTime(fa);
  const tb = firstTime(fb);
  return (
    rank(fa) - rank(fb) ||
    (ta === tb ? 0 : ta === null ? 1 : tb === null ? -1 : ta < tb ? -1 : 1) ||
    regimenDisplayName(fa).localeCompare(regimenDisplayName(fb), undefined, { sensitivity: "base", numeric: true }) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
