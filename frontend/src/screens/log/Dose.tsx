import { useState } from "preact/hooks";
import { useAskFirst } from "../../app/askFirst";
import { NumberField, SelectField, WhenField } from "../../app/forms";
import { doseChecks } from "../../app/limits";
import { useLive } from "../../app/hooks";
import { navigate } from "../../app/router";
import { runtime } from "../../app/runtime";
import type { StoredRecord } from "../../storage/store";
import { doseFields, takeDose } from "../today/Today";
import { Loading, LogLayout, saveAndGoBack, useEditing, useWhen } from "./common";
import { byRegimenOrder, regimenDisplayName } from "../../app/regimenName";
import { savedWords } from "../../app/saved";
import { showToast } from "../../app/toast";
import { askWhenTaken, firstOpenTime } from "../../app/doseSlots";
import { TakenWhen } from "../../app/takenWhen";
import { doseAgainCheck } from "../../app/doseAgain";
import { dayOf, nowInstant, today } from "../../app/day";
import { useZone } from "../../app/hooks";
import { instantFromWall, wallTime } from "../../app/zone";

/** `item`: the item to preselect (Today's next best step opens the form for one dose of it). */
export function Dose(props: { id: string | null; item?: string | null }) {
  const rec = useEditing("doses", props.id);
  const rt = runtime();
  const items = useLive(async () => (rt ? (await rt.store.list("regimen")).sort(byRegimenOrder) : []), [rt]);
  const doses = useLive(async () => (rt ? rt.store.list("doses") : []), [rt]);
  if (rec === undefined || !items || !doses) return <LogLayout title="Dose" entity="doses" id={props.id}><Loading /></LogLayout>;
  return <DoseForm rec={rec} id={props.id} items={items} doses={doses} preselect={props.item ?? null} />;
}

function DoseForm(props: { rec: StoredRecord | null; id: string | null; items: StoredRecord[]; doses: StoredRecord[]; preselect: string | null }) {
  const f = props.rec?.fields ?? {};
  const chosen = props.items.find((i) => i.id === props.preselect);
  const [itemId, setItemId] = useState(String(f.regimen_item_id ?? chosen?.id ?? props.items[0]?.id ?? ""));
  // A new dose of a chosen item starts at its usual number of tablets.
  const [units, setUnits] = useState(String(f.units ?? chosen?.fields?.default_units ?? 1));
  const when = useWhen(f.taken_at as string | undefined);
  const ask = useAskFirst();
  const zone = useZone();
  // The time "When did you take it?" offers, while it is asked (a new dose, time untouched).
  const [askingWhen, setAskingWhen] = useState<string | null>(null);
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
    // A new dose saved with the time untouched more than an hour after its time today: asked
    // when she took it first, not stamped now (the newcomer walk's F9).
    const day = today(zone);
    const takenToday = props.doses.filter((d) => !d.deleted && d.fields?.regimen_item_id === item.id && dayOf(d.fields.taken_at, zone) === day).length;
    const open = firstOpenTime((item.fields?.schedule_times as string[] | undefined) ?? [], takenToday);
    if (!props.id && !when.touched && open !== null && askWhenTaken(open, wallTime(undefined, zone).slice(11, 16))) {
      setAskingWhen(open);
      return;
    }
    const at = when.instant();
    if (!at) return;
    finish(item, at);
  };
  const finish = (item: StoredRecord, at: string) => {
    const n = units.trim() === "" ? Number.NaN : Number(units);
    const perUnit = (item.fields?.nutrients_per_unit as Record<string, unknown> | undefined) ?? {};
    // Too many tablets, or an amount more tablets made unusual, is asked about first.
    // A dose more than the day's schedule (a second once-daily anastrozole) is asked about first.
    const again = props.id
      ? { kind: "ok" as const }
      : doseAgainCheck(item.id, regimenDisplayName(item.fields), (item.fields?.schedule_times as string[] | undefined) ?? [], props.doses, at, zone, today(zone));
    ask.guard([...doseChecks(n, perUnit), when.ahead(at), again], () => {
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
        <NumberField label="How many tablets or doses" name="units" value={units} onInput={setUnits} fractions example="1" />
        <WhenField label="When" value={when.value} onInput={when.onInput} error={when.error} />
        {askingWhen !== null ? (
          <TakenWhen
            time={askingWhen}
            onPick={(choice) => {
              const item = props.items.find((i) => i.id === itemId);
              const time = askingWhen;
              setAskingWhen(null);
              if (!item) return;
              const at = choice === "due" ? instantFromWall(`${today(zone)}T${time}`, zone) : nowInstant();
              if (choice === "due") when.onInput(`${today(zone)}T${time}`);
              finish(item, at);
            }}
          />
        ) : null}
        {ask.view}
        {ask.asking || askingWhen !== null ? null : <button class="btn btn-primary btn-block" type="submit">Save</button>}
      </form>
    </LogLayout>
  );
}
