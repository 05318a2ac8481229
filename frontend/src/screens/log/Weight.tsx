import { useState } from "preact/hooks";
import { useLive } from "../../app/hooks";
import { useAskFirst } from "../../app/askFirst";
import { NumberField, WhenField } from "../../app/forms";
import { weightCheck } from "../../app/limits";
import { runtime } from "../../app/runtime";
import { kgToLb, weightKgOf } from "../../app/units";
import { readStones, stonesIn } from "../../app/stones";
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
  const ask = useAskFirst();
  // "10st 7lb": read as stones and pounds, the weight in her unit shown under the box before Save.
  const st = readStones(value);
  const stones = st && stonesIn(st, props.us);
  const save = (e: Event) => {
    e.preventDefault();
    const v = stones ? stones.value : value.trim() === "" ? Number.NaN : Number(value);
    const at = when.instant();
    if (!at) return;
    // Impossible weights are refused, unusual ones asked about (app/limits.ts). Saved in the
    // unit she typed: the server keeps that value and unit and works out the kilograms itself,
    // so an export says "180 lb" for 180 lb, never "81.647 kg" entered in kg.
    ask.guard([weightCheck(v, props.us), when.ahead(at)], () => {
      void saveAndGoBack("measurements", props.id, props.us ? { measured_at: at, weight_kg: null, weight_lb: v } : { measured_at: at, weight_kg: v, weight_lb: null });
    }, "f-weight");
  };
  return (
    <LogLayout title="Weight" entity="measurements" id={props.id}>
      <form onSubmit={save} noValidate>
        <NumberField label="Weight" unit={props.us ? "lb" : "kg"} name="weight" value={value} onInput={setValue} required read={!!stones} hint={stones ? stones.words : "Or in stones: 10st 7lb"} />
        <WhenField label="When" value={when.value} onInput={when.onInput} error={when.error} />
        {ask.view}
        {ask.asking ? null : <button class="btn btn-primary btn-block" type="submit">Save</button>}
      </form>
    </LogLayout>
  );
}
