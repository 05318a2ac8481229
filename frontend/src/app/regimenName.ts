/**
 * A medicine's name with its strength ("Anastrozole 1 mg"), wherever it is listed. An item
 * saved as plain "Anastrozole" (from the form's list, with no name typed) still shows the
 * strength its catalog form comes in; a name that already carries a number is left alone.
 */

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
