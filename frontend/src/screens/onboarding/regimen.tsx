/** "My medicines and supplements": the list and a form to add one (anastrozole offered first). */
import { useEffect, useState } from "preact/hooks";
import { enablePush, shouldOfferPush } from "../../reminders/push";
import { deleteEntry, saveEntry } from "../../app/entries";
import type { EntityFields } from "../../api/entities";
import { useAskFirst } from "../../app/askFirst";
import { Choice, NumberField, oneOf, SelectField, TextField, Toggle } from "../../app/forms";
import { doseNutrientChecks } from "../../app/limits";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { StateBadge, useStates } from "../../app/ui";
import { keyOf, type Fields } from "../../storage/store";
import { FORM_STRENGTH, regimenDisplayName } from "../../app/regimenName";

/** Supplement forms, with the nutrient one unit carries and its unit. */
export const FORMS: readonly { form: EntityFields["regimen"]["form"]; label: string; nutrient?: string; unit?: string }[] = [
  { form: "anastrozole", label: "Anastrozole" },
  { form: "calcium_carbonate", label: "Calcium carbonate", nutrient: "calcium_mg", unit: "mg of calcium (the label's “elemental calcium”)" },
  { form: "calcium_citrate", label: "Calcium citrate", nutrient: "calcium_mg", unit: "mg of calcium (the label's “elemental calcium”)" },
  { form: "vitamin_d3", label: "Vitamin D3", nutrient: "vitamin_d_iu", unit: "IU" },
  { form: "vitamin_d2", label: "Vitamin D2", nutrient: "vitamin_d_iu", unit: "IU" },
  { form: "vitamin_k2_mk7", label: "Vitamin K2 (MK-7)", nutrient: "vitamin_k_mcg", unit: "mcg" },
  { form: "vitamin_k2_mk4", label: "Vitamin K2 (MK-4)", nutrient: "vitamin_k_mcg", unit: "mcg" },
  { form: "magnesium_glycinate", label: "Magnesium glycinate", nutrient: "magnesium_mg", unit: "mg of magnesium (the label's “elemental magnesium”)" },
  { form: "magnesium_citrate", label: "Magnesium citrate", nutrient: "magnesium_mg", unit: "mg of magnesium (the label's “elemental magnesium”)" },
  { form: "magnesium_oxide", label: "Magnesium oxide", nutrient: "magnesium_mg", unit: "mg of magnesium (the label's “elemental magnesium”)" },
  { form: "fish_oil", label: "Fish oil", nutrient: "epa_mg", unit: "mg omega-3 from fish (EPA and DHA)" },
  { form: "algal_oil", label: "Algal oil", nutrient: "epa_mg", unit: "mg omega-3 from fish (EPA and DHA)" },
  { form: "psyllium", label: "Psyllium", nutrient: "fiber_g", unit: "g fiber" },
  { form: "turmeric", label: "Turmeric" },
  { form: "ginger", label: "Ginger" },
  { form: "other", label: "Other" },
];

export function formLabel(form: unknown): string {
  return FORMS.find((f) => f.form === form)?.label ?? String(form ?? "");
}

function nutrientsFor(form: string, amount: number): { nutrients: Record<string, number>; servings: Record<string, number> } {
  const f = FORMS.find((x) => x.form === form);
  if (!f?.nutrient || !(amount > 0)) return { nutrients: {}, servings: {} };
  if (f.nutrient === "epa_mg") return { nutrients: { epa_mg: amount / 2, dha_mg: amount / 2 }, servings: {} };
  if (form === "psyllium") return { nutrients: { fiber_g: amount }, servings: { soluble_fiber: 1 } };
  return { nutrients: { [f.nutrient]: amount }, servings: {} };
}

export const ANASTROZOLE: EntityFields["regimen"] = {
  name: "Anastrozole 1 mg",
  kind: "medicine",
  form: "anastrozole",
  nutrients_per_unit: {},
  servings_per_unit: {},
  default_units: 1,
  schedule_times: ["08:00"],
  prescribed_daily: true,
  active: true,
  // The server's default, written out because the type asks for every field of a new item.
  set_by_care_team: false,
};

export function RegimenList() {
  const rt = runtime();
  const items = useLive(async () => (rt ? rt.store.list("regimen") : []), [rt]) ?? [];
  const states = useStates();
  const [adding, setAdding] = useState(false);
  const hasAnastrozole = items.some((i) => i.fields?.form === "anastrozole");
  const firstTime = items.flatMap((i) => (i.fields?.active === false ? [] : ((i.fields?.schedule_times as string[] | undefined) ?? []))).sort()[0];
  return (
    <section aria-labelledby="regimen-h">
      <h2 id="regimen-h">My medicines and supplements</h2>
      {items.length === 0 ? <p class="empty">Nothing added yet.</p> : null}
      <ul class="list">
        {items.map((item) => {
          const f = item.fields ?? {};
          const times = (f.schedule_times as string[] | undefined) ?? [];
          return (
            <li key={item.id} class="list-row">
              <div>
                <strong>{regimenDisplayName(f)}</strong>
                <div class="muted">
                  {[formLabel(f.form), amountWords(f) || (typeof f.form === "string" ? FORM_STRENGTH[f.form] : undefined)].filter(Boolean).join(", ")} · {times.length ? times.join(", ") : "when needed"}
                  {f.prescribed_daily ? " · daily" : ""}
                  {f.set_by_care_team ? " · from my care team" : ""}
                </div>
                <StateBadge state={states.get(keyOf("regimen", item.id))} />
              </div>
              <button type="button" class="btn btn-quiet" onClick={() => void deleteEntry("regimen", item.id)} aria-label={`Remove ${regimenDisplayName(f)}`}>
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      {firstTime ? <ReminderOffer time={firstTime} /> : null}
      {!hasAnastrozole ? (
        <button type="button" class="btn btn-primary btn-block" onClick={() => void saveEntry("regimen", null, { ...ANASTROZOLE, started_on: null })}>
          Add anastrozole 1 mg, every morning at 08:00
        </button>
      ) : null}
      {adding ? <RegimenForm onDone={() => setAdding(false)} /> : (
        <button type="button" class="btn btn-block" onClick={() => setAdding(true)}>
          Add a medicine or supplement
        </button>
      )}
    </section>
  );
}

/**
 * Reminders offered in words, with a button she taps: asking the browser for permission the
 * moment a medicine was added (and telling her "blocked" when it refused unasked) read as an
 * error she had caused. Shown while this device can show notifications and she has not been
 * asked yet; what the button came to is said here (on, or why not, with the calendar link).
 */
function ReminderOffer(props: { time: string }) {
  const [offer, setOffer] = useState(false);
  const [busy, setBusy] = useState(false);
  const [told, setTold] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void shouldOfferPush().then((yes) => live && setOffer(yes));
    return () => {
      live = false;
    };
  }, []);
  if (told) return <p class="card" role="status" data-testid="reminder-offer-result">{told}</p>;
  if (!offer) return null;
  return (
    <div class="card" data-testid="reminder-offer">
      <p>Would you like a reminder on this phone when a dose is due (the first at {props.time})? You can change this later in More → Settings → Reminders.</p>
      <button
        type="button"
        class="btn btn-block"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void enablePush().then((r) => {
            setBusy(false);
            setTold(r.message);
          });
        }}
      >
        {busy ? "Turning on reminders…" : "Turn on reminders"}
      </button>
    </div>
  );
}

const SHORT_UNIT: Readonly<Record<string, string>> = {
  calcium_mg: "mg calcium",
  vitamin_d_iu: "IU",
  vitamin_k_mcg: "mcg",
  magnesium_mg: "mg magnesium",
  epa_mg: "mg omega-3 from fish (EPA and DHA)",
  fiber_g: "g fiber",
};

/** "500 mg calcium": what one unit of an item carries, in words; "" when it carries nothing. */
export function amountWords(fields: Fields): string {
  const n = (fields.nutrients_per_unit as Record<string, number> | undefined) ?? {};
  const epaDha = (n.epa_mg ?? 0) + (n.dha_mg ?? 0);
  if (epaDha > 0) return `${Math.round(epaDha)} mg omega-3 from fish (EPA and DHA)`;
  for (const [key, unit] of Object.entries(SHORT_UNIT)) {
    const v = n[key];
    if (typeof v === "number" && v > 0) return `${Math.round(v * 10) / 10} ${unit}`;
  }
  return "";
}

/** Dose times: one time picker per dose, add and remove; never a free-text list. */
export function DoseTimes(props: { times: string[]; onChange: (times: string[]) => void }) {
  const set = (i: number, v: string) => props.onChange(props.times.map((t, j) => (j === i ? v : t)));
  return (
    <fieldset class="field dose-times" data-testid="dose-times">
      <legend>Times of day</legend>
      {props.times.length === 0 ? <p class="hint">No set time: it is listed as “when needed”, with no reminders.</p> : null}
      <ul class="list">
        {props.times.map((t, i) => (
          <li key={i} class="list-row">
            <label class="visually-hidden" for={`f-time-${i}`}>Dose {i + 1} time</label>
            <input id={`f-time-${i}`} class="time-input" type="time" required value={t} onInput={(e) => set(i, (e.target as HTMLInputElement).value)} />
            <button type="button" class="btn btn-quiet" aria-label={`Remove the ${t || "empty"} time`} onClick={() => props.onChange(props.times.filter((_, j) => j !== i))}>Remove</button>
          </li>
        ))}
      </ul>
      <button type="button" class="btn" onClick={() => props.onChange([...props.times, props.times.length ? "20:00" : "08:00"])}>Add a time</button>
    </fieldset>
  );
}

function RegimenForm(props: { onDone: () => void }) {
  const [form, setForm] = useState("calcium_carbonate");
  const [name, setName] = useState("");
  const [amount, setAmount] = useState("");
  const [times, setTimes] = useState<string[]>(["08:00"]);
  const [error, setError] = useState<string | null>(null);
  const [daily, setDaily] = useState(true);
  const [careTeam, setCareTeam] = useState(false);
  const [kind, setKind] = useState<"medicine" | "supplement">("supplement");
  const meta = FORMS.find((f) => f.form === form);
  const ask = useAskFirst();
  const save = (e: Event) => {
    e.preventDefault();
    if (times.some((t) => !/^\d{2}:\d{2}$/.test(t))) {
      setError("Every dose time needs an hour and minutes, or remove it.");
      return;
    }
    if (meta?.nutrient && amount && !(Number(amount) > 0)) {
      setError("The amount must be a number above 0, or left empty.");
      return;
    }
    const { nutrients, servings } = nutrientsFor(form, Number(amount));
    const schedule = [...new Set(times)].sort();
    const unit = meta?.nutrient ? SHORT_UNIT[meta.nutrient] : undefined;
    // One tablet's amount against the table of entry limits: 30 000 IU of vitamin D is asked
    // about once, here, not at every dose (app/limits.ts).
    ask.guard(doseNutrientChecks(nutrients, "in one tablet or dose"), () => void add(nutrients, servings, schedule, unit), "f-amount");
  };
  const add = async (nutrients: Record<string, number>, servings: Record<string, number>, schedule: string[], unit: string | undefined) => {
    await saveEntry("regimen", null, {
      name: name.trim() || `${meta?.label ?? "Supplement"}${amount && unit ? ` ${amount} ${unit}` : FORM_STRENGTH[form] ? ` ${FORM_STRENGTH[form]}` : ""}`,
      kind,
      // The select's options are FORMS, the API's forms.
      form: oneOf(FORMS.map((f) => f.form), form) ?? "other",
      nutrients_per_unit: nutrients,
      servings_per_unit: servings,
      default_units: 1,
      schedule_times: schedule,
      prescribed_daily: daily,
      set_by_care_team: careTeam,
      active: true,
    });
    props.onDone();
  };
  return (
    <form class="card" onSubmit={save}>
      <SelectField label="What is it?" name="form" value={form} onChange={(v) => { setForm(v); setKind(v === "anastrozole" ? "medicine" : "supplement"); }} options={FORMS.map((f) => [f.form, f.label] as const)} />
      <TextField label="Name on the label (optional)" name="regimen_name" value={name} onInput={setName} />
      {meta?.nutrient ? <NumberField label="Amount in one tablet or dose" unit={meta.unit} name="amount" value={amount} onInput={setAmount} min={0} /> : null}
      <Choice label="Kind" value={kind} options={[["medicine", "Medicine"], ["supplement", "Supplement"]]} onChange={setKind} />
      <DoseTimes times={times} onChange={setTimes} />
      <Toggle label="I take it every day" checked={daily} onChange={setDaily} />
      <Toggle
        label="Prescribed or recommended by my care team"
        hint="(a high weekly vitamin D dose, for example: then we do not warn you that it is above the usual limit)"
        name="set_by_care_team"
        checked={careTeam}
        onChange={setCareTeam}
      />
      {error ? <p class="error" role="alert">{error}</p> : null}
      {ask.view}
      {ask.asking ? null : (
        <div class="actions">
          <button class="btn btn-primary" type="submit">Save</button>
          <button class="btn" type="button" onClick={props.onDone}>Cancel</button>
        </div>
      )}
    </form>
  );
}
