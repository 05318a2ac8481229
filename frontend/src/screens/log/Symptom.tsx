import { useState } from "preact/hooks";
import { useAskFirst } from "../../app/askFirst";
import { MultiChoice, NumberField, WhenField } from "../../app/forms";
import { stiffnessCheck } from "../../app/limits";
import type { StoredRecord } from "../../storage/store";
import { Loading, LogLayout, saveAndGoBack, useEditing, useWhen } from "./common";

const PLACES = [
  ["hands", "Hands"], ["wrists", "Wrists"], ["elbows", "Elbows"], ["shoulders", "Shoulders"],
  ["neck", "Neck"], ["back", "Back"], ["hips", "Hips"], ["knees", "Knees"], ["ankles", "Ankles"], ["feet", "Feet"],
] as const;

export function Symptom(props: { id: string | null }) {
  const rec = useEditing("symptoms", props.id);
  if (rec === undefined) return <LogLayout title="Joint symptoms" entity="symptoms" id={props.id}><Loading /></LogLayout>;
  return <SymptomForm rec={rec} id={props.id} />;
}

function SymptomForm(props: { rec: StoredRecord | null; id: string | null }) {
  const f = props.rec?.fields ?? {};
  // A new entry starts with no pain chosen: a 0 already lit was saved as "no pain" by a Save
  // tapped without thinking, and earned the check-in.
  const [pain, setPain] = useState<number | null>(typeof f.worst_pain_0_10 === "number" ? f.worst_pain_0_10 : null);
  const [painError, setPainError] = useState(false);
  const [stiff, setStiff] = useState(typeof f.morning_stiffness_minutes === "number" ? String(f.morning_stiffness_minutes) : "");
  const [where, setWhere] = useState<string[]>((f.locations as string[] | undefined) ?? []);
  const when = useWhen(f.measured_at as string | undefined);
  const ask = useAskFirst();
  const save = (e: Event) => {
    e.preventDefault();
    if (pain === null) {
      // Said by the scale itself, and the focus goes there (on a phone it may be above the fold).
      setPainError(true);
      document.querySelector<HTMLButtonElement>("#pain-scale button")?.focus();
      return;
    }
    const worst = pain;
    const at = when.instant();
    if (!at) return;
    const stiffness = stiff.trim() === "" ? null : Math.round(Number(stiff));
    ask.guard([...(stiffness === null ? [] : [stiffnessCheck(stiffness)]), when.ahead(at)], () => {
      void saveAndGoBack("symptoms", props.id, {
        measured_at: at,
        worst_pain_0_10: worst,
        morning_stiffness_minutes: stiffness,
        locations: where,
      });
    }, "f-stiffness");
  };
  return (
    <LogLayout title="Joint symptoms" entity="symptoms" id={props.id}>
      <form onSubmit={save} noValidate>
        <fieldset class="field">
          <legend>Worst joint pain today: {pain === null ? "choose a number" : <><strong>{pain}</strong> out of 10</>}</legend>
          <div class="scale" id="pain-scale" role="radiogroup" aria-label="Worst pain, 0 (none) to 10 (worst)" aria-invalid={painError ? true : undefined} aria-describedby={painError ? "pain-err" : undefined}>
            {Array.from({ length: 11 }, (_, n) => (
              <button key={n} type="button" role="radio" aria-checked={pain === n} class={pain === n ? "pill pill-on" : "pill"} onClick={() => { setPain(n); setPainError(false); }}>
                {n}
              </button>
            ))}
          </div>
          <p class="hint">0 = no pain, 10 = the worst you can imagine.</p>
          {painError ? <p class="error" id="pain-err" role="alert" data-testid="pain-error">Choose your worst joint pain today, from 0 (no pain) to 10, then tap Save.</p> : null}
        </fieldset>
        <NumberField label="Morning stiffness" unit="minutes" name="stiffness" value={stiff} onInput={setStiff} example="20" />
        <MultiChoice label="Where does it hurt?" values={where} options={PLACES} onChange={setWhere} />
        <WhenField label="When" value={when.value} onInput={when.onInput} error={when.error} />
        {ask.view}
        {ask.asking ? null : <button class="btn btn-primary btn-block" type="submit">Save</button>}
      </form>
    </LogLayout>
  );
}
