import { useState } from "preact/hooks";
import { useAskFirst } from "../../app/askFirst";
import { NumberField, SelectField, WhenField } from "../../app/forms";
import { doseChecks } from "../../app/limits";
import { ENTRY_LIMITS } from "../../scoring/tables.gen";
import { useLive } from "../../app/hooks";
import { navigate } from "../../app/router";
import { runtime } from "../../app/runtime";
import type { StoredRecord } from "../../storage/store";
import { doseFields, takeDose } from "../today/Today";
import { Loading, LogLayout, saveAndGoBack, useEditing, useWhen } from "./common";
import { regimenDisplayName } from "../../app/regimenName";
import { savedWords } from "../../app/saved";
import { showToast } from "../../app/toast";

/** `item`: the item to preselect (Today's next best step opens the form for one dose of it). */
export function Dose(props: { id: string | null; item?: string | null }) {
  const rec = useEditing("doses", props.id);
  const rt = runtime();
  const items = useLive(async () => (rt ? rt.store.list("regimen") : []), [rt]);
  if (rec === undefined || !items) return <LogLayout title="Dose" entity="doses" id={props.id}><Loading /></LogLayout>;
  return <DoseForm rec={rec} id={props.id} items={items} preselect={props.item ?? null} />;
}

function DoseForm(props: { rec: StoredRecord | null; id: string | null; items: StoredRecord[]; preselect: string | null }) {
  const f = props.rec?.fields ?? {};
  const chosen = props.items.find((i) => i.id === props.preselect);
  const [itemId, setItemId] = useState(String(f.regimen_item_id ?? chosen?.id ?? props.items[0]?.id ?? ""));
  // A new dose of a chosen item starts at its usual number of tablets.
  const [units, setUnits] = useState(String(f.units ?? chosen?.fields?.default_units ?? 1));
  const when = useWhen(f.taken_at as string | undefined);
  const ask = useAskFirst();
  if (props.items.length === 0) {
    return (
      <LogLayout title="Dose" entity="doses" id={props.id}>
        <p class="empty">Add your medicines and supplements first.</p>
        <a class="btn btn-primary btn-block" href="/more/regimen">My medicines and supplements</a>
      </LogLayout>
    );
  }
  const save = (e: Event) => {
    e.preventDefault();
    const item = props.items.find((i) => i.id === itemId);
    if (!item) return;
    const at = when.instant();
    if (!at) return;
    const n = units.trim() === "" ? Number.NaN : Number(units);
    const perUnit = (item.fields?.nutrients_per_unit as Record<string, unknown> | undefined) ?? {};
    // Too many tablets, or an amount more tablets made unusual, is asked about first.
    ask.guard([...doseChecks(n, perUnit), when.ahead(at)], () => {
      if (props.id) {
        void saveAndGoBack("doses", props.id, doseFields(item, n, at));
      } else {
        void takeDose(item, n, at).then(() => {
          navigate("/today");
          showToast(savedWords("doses", {}, navigator.onLine));
        });
      }
    }, "f-units");
  };
  return (
    <LogLayout title="Dose" entity="doses" id={props.id}>
      <form onSubmit={save} noValidate>
        <SelectField label="Which one" name="item" value={itemId} onChange={setItemId} options={props.items.map((i) => [i.id, regimenDisplayName(i.fields)] as const)} />
        <NumberField label="How many tablets or doses" name="units" value={units} onInput={setUnits} fractions example="1" min={ENTRY_LIMITS.dose_units.usual_min} max={ENTRY_LIMITS.dose_units.hard_max} />
        <WhenField label="When" value={when.value} onInput={when.onInput} error={when.error} />
        {ask.view}
        {ask.asking ? null : <button class="btn btn-primary btn-block" type="submit">Save</button>}
      </form>
    </LogLayout>
  );
}
