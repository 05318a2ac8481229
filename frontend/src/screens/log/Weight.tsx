import { useState } from "preact/hooks";
import { useLive } from "../../app/hooks";
import { NumberField, WhenField } from "../../app/forms";
import { runtime } from "../../app/runtime";
import { kgToLb, weightKgOf } from "../../app/units";
import type { StoredRecord } from "../../storage/store";
import { Loading, LogLayout, saveAndGoBack, useEditing, useWhen } from "./common";

export function Weight(props: { id: string | null }) {
  const rec = useEditing("measurements", props.id);
  const rt = runtime();
  const us = useLive(async () => (rt ? (await rt.store.list("profile"))[0]?.fields?.unit_system === "us" : false), [rt]);
  if (rec === undefined || us === undefined) return <LogLayout title="Weight" entity="measurements" id={props.id}><Loading /></LogLayout>;
  return <WeightForm rec={rec} id={props.id} us={us} />;
}

function WeightForm(props: { rec: StoredRecord | null; id: string | null; us: boolean }) {
  const f = props.rec?.fields ?? {};
  const kg = weightKgOf(f);
  const [value, setValue] = useState(kg === null ? "" : (props.us ? kgToLb(kg) : kg).toFixed(1));
  const when = useWhen(f.measured_at as string | undefined);
  const [error, setError] = useState<string | null>(null);
  const save = (e: Event) => {
    e.preventDefault();
    const v = Number(value);
    const [lo, hi] = props.us ? [66, 550] : [30, 250];
    if (!(v >= lo && v <= hi)) {
      setError(`Enter your weight in ${props.us ? "pounds" : "kilograms"}, between ${lo} and ${hi}.${props.us ? "" : " To use pounds, choose US units in Settings."}`);
      return;
    }
    const at = when.instant();
    if (!at) return;
    // Saved in the unit she typed: the server keeps that value and unit and works out the
    // kilograms itself, so an export says "180 lb" for 180 lb, never "81.647 kg" entered in kg.
    void saveAndGoBack("measurements", props.id, props.us ? { measured_at: at, weight_kg: null, weight_lb: v } : { measured_at: at, weight_kg: v, weight_lb: null });
  };
  return (
    <LogLayout title="Weight" entity="measurements" id={props.id}>
      <form onSubmit={save} noValidate>
        <NumberField label="Weight" unit={props.us ? "lb" : "kg"} name="weight" value={value} onInput={setValue} min={props.us ? 66 : 30} max={props.us ? 550 : 250} required />
        <WhenField label="When" value={when.value} onInput={when.onInput} error={when.error} />
        {error ? <p class="error" role="alert">{error}</p> : null}
        <button class="btn btn-primary btn-block" type="submit">Save</button>
      </form>
    </LogLayout>
  );
}
