/** The targets form's draft (what is typed) and the overrides it saves, as plain functions. */

export type Overrides = Record<string, { value: number; set_by_care_team: boolean }>;
export type TargetDraft = Record<string, { value: string; care: boolean }>;

/** The draft a form opens with: each target's override, else its default. */
export function draftFrom(defaults: readonly { key: string; value: number }[], overrides: Overrides): TargetDraft {
  return Object.fromEntries(defaults.map((t) => [t.key, { value: String(overrides[t.key]?.value ?? t.value), care: overrides[t.key]?.set_by_care_team ?? false }]));
}

/** The overrides a draft saves: only targets that differ from the default or are set by the care team. */
export function overridesFrom(defaults: readonly { key: string; value: number }[], draft: TargetDraft): Overrides {
  const next: Overrides = {};
  for (const t of defaults) {
    const d = draft[t.key];
    if (!d) continue;
    const v = Number(d.value);
    if (d.care || (v > 0 && Math.abs(v - t.value) > 1e-9)) next[t.key] = { value: v > 0 ? v : t.value, set_by_care_team: d.care };
  }
  return next;
}

/** True when saving the draft would change the saved overrides (so leaving must not drop it). */
export function draftChanged(defaults: readonly { key: string; value: number }[], draft: TargetDraft, saved: Overrides): boolean {
  const a = overridesFrom(defaults, draft);
  const b = overridesFrom(defaults, draftFrom(defaults, saved));
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].some((k) => a[k]?.value !== b[k]?.value || a[k]?.set_by_care_team !== b[k]?.set_by_care_team);
}
