/** Profile and targets: edited locally, synced as the `profile` entity (id = the person's id). */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import type { EntityFields } from "../../api/entities";
import { useAskFirst } from "../../app/askFirst";
import { useLive } from "../../app/hooks";
import { targetCheck, worstOf, type AmountCheck } from "../../app/limits";
import { runtime } from "../../app/runtime";
import { effectiveTargets, type ScoringProfile } from "../../scoring";
import type { Fields } from "../../storage/store";
import { DecimalInput } from "../../app/forms";
import { learnHref } from "../learn/topics";
import { draftChanged, draftFrom, overridesFrom, type Overrides } from "./targetDraft";
import { headlineTargets, inputUnit, TARGET_GROUPS, TARGET_NAME, targetAmount, targetLine } from "./targetWords";

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
  await rt.changed();
  return true;
}

/**
 * The targets form. `doneLabel`/`onDone` make its one button save and move on (onboarding's
 * "Next"); without them the button is "Save targets". Either way, leaving the form with unsaved
 * changes (Back, another screen) saves them: a typed target is never thrown away silently.
 */
export function TargetsEditor(props: { doneLabel?: string; onDone?: () => void } = {}) {
  const rt = runtime();
  const profile = useLive(async () => (rt ? (await rt.store.list("profile"))[0] ?? null : null), [rt]);
  if (profile === undefined) return <p>Loading…</p>;
  const fields = profile?.fields ?? {};
  return <TargetsForm key={JSON.stringify(fields.target_overrides ?? {}) + String(fields.sex)} fields={fields} doneLabel={props.doneLabel} onDone={props.onDone} />;
}

/**
 * The targets as a short summary (the few that matter, in plain words) with an "Adjust" list
 * per group behind a disclosure: a number box for each target, "Set by my care team", and a
 * link to why the number is what it is.
 */
function TargetsForm(props: { fields: Fields; doneLabel?: string | undefined; onDone?: (() => void) | undefined }) {
  const p = props.fields;
  const overrides = (p.target_overrides as Overrides | undefined) ?? {};
  const cleared = p.cleared_for_high_impact === true;
  const profile: ScoringProfile = { sex: (p.sex as ScoringProfile["sex"]) ?? null, cleared_for_high_impact: cleared, target_overrides: {} };
  const defaults = effectiveTargets(profile);
  const [draft, setDraft] = useState(() => draftFrom(defaults, overrides));
  const [saved, setSaved] = useState<"no" | "yes" | "failed">("no");
  // What leaving must save: the latest draft while it differs from what is stored.
  const pending = useRef<Overrides | null>(null);
  pending.current = draftChanged(defaults, draft, overrides) ? overridesFrom(defaults, draft) : null;
  // Each changed target against TARGET_LIMITS (app/limits.ts): 99999 mg of calcium is refused.
  const checks = (next: Overrides): AmountCheck[] =>
    Object.entries(next).filter(([k, o]) => o.value !== overrides[k]?.value).map(([k, o]) => targetCheck(k, o.value, (TARGET_NAME as Record<string, string | undefined>)[k] ?? k));
  const ask = useAskFirst();
  const checkRef = useRef(checks);
  checkRef.current = checks;
  useEffect(() => {
    const flush = () => {
      const next = pending.current;
      pending.current = null;
      // Leaving cannot ask: a target the server would refuse stays unsaved (the form said
      // why when she pressed the button); anything else she typed is kept.
      if (next && worstOf(checkRef.current(next)).kind !== "refuse") void saveProfile({ target_overrides: next });
    };
    // Unmount is every way out inside the app (Back, a link, Next); pagehide is closing it.
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, []);
  // The summary follows what is typed, so a change shows in words at once.
  const current = defaults.map((t) => {
    const v = Number(draft[t.key]?.value);
    return { ...t, value: v > 0 ? v : t.value };
  });
  const save = async (e: Event) => {
    e.preventDefault();
    const changed = pending.current !== null;
    // Nothing to save (onboarding's Next with the targets as they were): just move on.
    if (!changed && props.onDone) return props.onDone();
    const next = overridesFrom(defaults, draft);
    // "Change it" goes back to the first target asked about.
    const changedKeys = Object.keys(next).filter((k) => next[k]?.value !== overrides[k]?.value);
    const asked = changedKeys[checks(next).findIndex((c) => c.kind === "ask")];
    ask.guard(checks(next), () => {
      pending.current = null;
      void saveProfile({ target_overrides: next }).then((ok) => {
        setSaved(ok ? "yes" : "failed");
        if (ok) props.onDone?.();
      });
    }, asked ? `t-${asked}` : undefined);
  };
  const byKey = new Map(defaults.map((t) => [t.key, t]));
  return (
    <form onSubmit={save} class="targets" data-testid="targets">
      {TARGET_GROUPS.map((g) => (
        <section key={g.key} class="card target-group" aria-labelledby={`tg-${g.key}`}>
          <h2 id={`tg-${g.key}`}>{g.title}</h2>
          <ul class="target-summary" data-testid={`targets-${g.key}`}>
            {headlineTargets(g, current, cleared).map((t) => (
              <li key={t.key}>{targetLine(t)}</li>
            ))}
          </ul>
          <details class="adjust">
            <summary>Adjust<span class="visually-hidden">: {g.title}</span></summary>
            {g.keys.map((k) => {
              const t = byKey.get(k);
              if (!t) return null;
              const d = draft[k] ?? { value: "", care: false };
              return (
                <div key={k} class="target-row">
                  <label for={`t-${k}`}>{TARGET_NAME[k]}</label>
                  <div class="input-unit">
                    <DecimalInput id={`t-${k}`} value={d.value} onInput={(v) => setDraft({ ...draft, [k]: { ...d, value: v } })} />
                    <span class="unit">{inputUnit(t.unit, Number(d.value))} {/in 7 days$/.test(t.unit) ? "a week" : "a day"}</span>
                  </div>
                  <div class="toggle">
                    <input id={`c-${k}`} type="checkbox" checked={d.care} onChange={(e) => setDraft({ ...draft, [k]: { ...d, care: (e.target as HTMLInputElement).checked } })} />
                    <label for={`c-${k}`}>Set by my care team</label>
                  </div>
                  <p class="hint">
                    Usually {targetAmount(t)}.{k === "high_impact_days" && !cleared ? " Only counted once your doctor has cleared you for high-impact exercise." : ""}{" "}
                    <a class="learn-link" href={learnHref(k)}>Why this number</a>
                  </p>
                </div>
              );
            })}
          </details>
        </section>
      ))}
      {ask.view}
      {ask.asking ? null : <button class="btn btn-primary btn-block" type="submit">{props.doneLabel ?? "Save targets"}</button>}
      {saved === "yes" && !props.onDone ? <p role="status">Targets saved.</p> : null}
      {saved === "failed" ? <p class="error" role="alert">Your targets could not be saved yet. Try again when you are online.</p> : null}
    </form>
  );
}
