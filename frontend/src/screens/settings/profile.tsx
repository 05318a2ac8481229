/** Profile and targets: edited locally, synced as the `profile` entity (id = the person's id). */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import type { EntityFields } from "../../api/entities";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { effectiveTargets, type ScoringProfile } from "../../scoring";
import type { Fields } from "../../storage/store";
import { TARGET_LABEL } from "../onboarding/labels";
import { TOPICS } from "../learn/content";
import { learnHref } from "../learn/topics";

/** Where each default comes from, in the words Learn uses (never the protocol's shorthand). */
const TOPIC_SOURCE = new Map(TOPICS.map((t) => [t.key, t.source]));

/** Saves profile fields; false when the profile record has not reached this phone yet. */
export async function saveProfile(fields: EntityFields["profile"]): Promise<boolean> {
  const rt = runtime();
  if (!rt) return false;
  const profile = (await rt.store.list("profile"))[0];
  const id = profile?.id ?? rt.session.userId;
  if (!id) {
    // This device has never seen the profile record (it was never edited): write it through
    // the REST API once, then the pull brings the record and its id.
    const r = await api.PATCH("/api/v1/profile", { body: fields }).catch(() => null);
    if (!r?.response.ok) return false;
    await rt.engine.syncNow();
    return true;
  }
  await rt.store.save("profile", id, fields);
  rt.changed();
  return true;
}

type Overrides = Record<string, { value: number; set_by_care_team: boolean }>;

export function TargetsEditor() {
  const rt = runtime();
  const profile = useLive(async () => (rt ? (await rt.store.list("profile"))[0] ?? null : null), [rt]);
  if (profile === undefined) return <p>Loading…</p>;
  const fields = profile?.fields ?? {};
  return <TargetsForm key={JSON.stringify(fields.target_overrides ?? {}) + String(fields.sex)} fields={fields} />;
}

function TargetsForm(props: { fields: Fields }) {
  const p = props.fields;
  const overrides = (p.target_overrides as Overrides | undefined) ?? {};
  const targets = effectiveTargets({ sex: (p.sex as ScoringProfile["sex"]) ?? null, cleared_for_high_impact: p.cleared_for_high_impact === true, target_overrides: {} });
  const [draft, setDraft] = useState<Record<string, { value: string; care: boolean }>>(() =>
    Object.fromEntries(targets.map((t) => [t.key, { value: String(overrides[t.key]?.value ?? t.value), care: overrides[t.key]?.set_by_care_team ?? false }])),
  );
  const [saved, setSaved] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    const next: Overrides = {};
    for (const t of targets) {
      const d = draft[t.key];
      if (!d) continue;
      const v = Number(d.value);
      if (d.care || (v > 0 && Math.abs(v - t.value) > 1e-9)) next[t.key] = { value: v > 0 ? v : t.value, set_by_care_team: d.care };
    }
    await saveProfile({ target_overrides: next });
    setSaved(true);
  };
  return (
    <form onSubmit={save} class="targets">
      {targets.map((t) => {
        const d = draft[t.key] ?? { value: "", care: false };
        return (
          <div key={t.key} class="target-row card">
            <label for={`t-${t.key}`}>
              {TARGET_LABEL[t.key] ?? t.key} <span class="unit">({t.unit.replace(/ \(.*\)$/, "")})</span>
            </label>
            <input id={`t-${t.key}`} type="number" inputMode="decimal" min={0} step="any" value={d.value} onInput={(e) => setDraft({ ...draft, [t.key]: { ...d, value: (e.target as HTMLInputElement).value } })} />
            <div class="toggle">
              <input id={`c-${t.key}`} type="checkbox" checked={d.care} onChange={(e) => setDraft({ ...draft, [t.key]: { ...d, care: (e.target as HTMLInputElement).checked } })} />
              <label for={`c-${t.key}`}>Set by my care team</label>
            </div>
            <p class="hint">
              Default {t.value} {t.unit.replace(/ \(.*\)$/, "")}. {TOPIC_SOURCE.get(t.key) ? `Source: ${TOPIC_SOURCE.get(t.key)}` : ""}{" "}
              <a class="learn-link" href={learnHref(t.key)}>Why this number</a>
            </p>
          </div>
        );
      })}
      <button class="btn btn-primary btn-block" type="submit">Save targets</button>
      {saved ? <p role="status">Targets saved.</p> : null}
    </form>
  );
}
