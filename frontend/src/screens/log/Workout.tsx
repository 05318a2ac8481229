import { useState } from "preact/hooks";
import { useAskFirst } from "../../app/askFirst";
import { Choice, MultiChoice, NumberField, oneOf, WhenField } from "../../app/forms";
import { workoutMinutesCheck } from "../../app/limits";
import { ENTRY_LIMITS } from "../../scoring/tables.gen";
import { CATALOG, MUSCLE_GROUPS, type Activity } from "../../scoring";
import type { StoredRecord } from "../../storage/store";
import { Loading, LogLayout, saveAndGoBack, useEditing, useWhen } from "./common";

/** The classes an activity counts for, in plain words. */
export function classesOf(a: Activity): string[] {
  const out: string[] = [];
  if (a.flags.aerobic && a.flags.weight_bearing) out.push("weight-bearing");
  if (a.flags.aerobic) out.push("aerobic");
  if (a.flags.resistance) out.push("strength");
  if (a.flags.high_impact) out.push("high-impact");
  if (a.flags.low_impact) out.push("low-impact");
  if (!a.flags.aerobic && a.flags.weight_bearing && !a.flags.high_impact) out.push("weight-bearing");
  return out;
}

const MUSCLES = [...MUSCLE_GROUPS.map((m) => [m, m[0]!.toUpperCase() + m.slice(1)] as const)];

/**
 * `activity` and `minutes`: a new workout's first guess (Today's next best step opens the form
 * with the walk or strength session it suggests); an edited workout keeps its own.
 */
export function Workout(props: { id: string | null; activity?: string | null; minutes?: string | null }) {
  const rec = useEditing("workouts", props.id);
  if (rec === undefined) return <LogLayout title="Workout" entity="workouts" id={props.id}><Loading /></LogLayout>;
  return <WorkoutForm rec={rec} id={props.id} activity={props.activity ?? null} minutes={props.minutes ?? null} />;
}

/** A suggested length, when it is a whole number of minutes the form accepts. */
function suggestedMinutes(raw: string | null): string | null {
  const n = raw === null ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n >= ENTRY_LIMITS.workout_minutes.hard_min && n <= ENTRY_LIMITS.workout_minutes.hard_max ? String(n) : null;
}

function WorkoutForm(props: { rec: StoredRecord | null; id: string | null; activity: string | null; minutes: string | null }) {
  const f = props.rec?.fields ?? {};
  const suggested = props.rec ? undefined : props.activity ? CATALOG.get(props.activity) : undefined;
  const [key, setKey] = useState<string | null>(typeof f.activity === "string" ? f.activity : suggested?.key ?? null);
  const [filter, setFilter] = useState("");
  const [minutes, setMinutes] = useState(typeof f.minutes === "number" ? String(f.minutes) : (props.rec ? null : suggestedMinutes(props.minutes)) ?? "30");
  const [intensity, setIntensity] = useState<"light" | "moderate" | "vigorous">((f.intensity as "moderate") ?? "moderate");
  const [muscles, setMuscles] = useState<string[]>((f.muscle_groups as string[] | undefined) ?? (suggested?.flags.resistance ? [...suggested.muscle_groups] : []));
  const when = useWhen(f.started_at as string | undefined);
  const ask = useAskFirst();
  const chosen = key ? CATALOG.get(key) : undefined;
  const list = [...CATALOG.values()].filter((a) => a.label.toLowerCase().includes(filter.toLowerCase()));

  const pick = (a: Activity) => {
    setKey(a.key);
    if (a.flags.resistance && muscles.length === 0) setMuscles([...a.muscle_groups]);
  };
  const save = (e: Event) => {
    e.preventDefault();
    if (!chosen) return;
    const at = when.instant();
    if (!at) return;
    // Saved as typed (whole minutes): a length outside the usual range is asked about, never
    // clamped (app/limits.ts).
    const mins = minutes.trim() === "" ? Number.NaN : Math.round(Number(minutes));
    ask.guard([workoutMinutesCheck(mins, chosen.label), when.ahead(at)], () => {
      void saveAndGoBack("workouts", props.id, {
        activity: chosen.key,
        started_at: at,
        minutes: mins,
        intensity,
        // The chips' values are the muscle groups the API takes.
        muscle_groups: chosen.flags.resistance ? muscles.flatMap((m) => oneOf(MUSCLE_GROUPS, m) ?? []) : [],
      });
    }, "f-minutes");
  };

  return (
    <LogLayout title="Workout" entity="workouts" id={props.id}>
      <form onSubmit={save} noValidate>
        {chosen ? (
          <div class="card chosen">
            <strong>{chosen.label}</strong>
            <p class="muted">Counts as: {classesOf(chosen).join(", ")}</p>
            <button type="button" class="btn btn-quiet" onClick={() => setKey(null)}>Change activity</button>
          </div>
        ) : (
          <div class="field">
            <label for="activity-filter">Find an activity</label>
            <input id="activity-filter" type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
            <ul class="list picker" aria-label="Activities">
              {list.map((a) => (
                <li key={a.key}>
                  <button type="button" class="pick" onClick={() => pick(a)}>
                    <strong>{a.label}</strong>
                    <span class="muted">{classesOf(a).join(", ")}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <NumberField label="How long" unit="minutes" name="minutes" value={minutes} onInput={setMinutes} required />
        <Choice label="How hard" value={intensity} options={[["light", "Light"], ["moderate", "Moderate"], ["vigorous", "Vigorous"]]} onChange={setIntensity} />
        <p class="hint">Moderate: you can talk but not sing. Vigorous: only a few words at a time. Vigorous minutes count double.</p>
        {chosen?.flags.resistance ? <MultiChoice label="Muscle groups trained" values={muscles} options={MUSCLES} onChange={setMuscles} /> : null}
        <WhenField label="When did you start" value={when.value} onInput={when.onInput} error={when.error} />
        {ask.view}
        {ask.asking ? null : <button class="btn btn-primary btn-block" type="submit" disabled={!chosen}>Save</button>}
      </form>
    </LogLayout>
  );
}
