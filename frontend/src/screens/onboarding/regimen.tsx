/** "My medicines and supplements": the list, a form to add one (anastrozole offered first) or change one. */
import { useEffect, useState } from "preact/hooks";
import { BLOCKED_TEXT, CALENDAR_HINT, enablePush, pushState, shouldOfferPush } from "../../reminders/push";
import { deleteEntry, saveEntry } from "../../app/entries";
import type { EntityFields } from "../../api/entities";
import { useAskFirst } from "../../app/askFirst";
import { Choice, NumberField, oneOf, SelectField, TextField, Toggle } from "../../app/forms";
import { doseNutrientChecks } from "../../app/limits";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { StateBadge, useStates } from "../../app/ui";
import { keyOf, type Fields, type StoredRecord } from "../../storage/store";
import { amountWords, byRegimenOrder, FORM_STRENGTH, formLabel, FORMS, regimenDisplayName, SHORT_UNIT } from "../../app/regimenName";
import { amountNeededHint, amountProblem, calciumDoseNote, calciumSplit, spreadTimes, typedAmount } from "../../app/supplementAmount";
import { daysWords, itemDays, nameWithStrength, reminderWrites, splitStrength, WEEKDAYS } from "../../app/regimenSchedule";

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
  const items = useLive(async () => (rt ? (await rt.store.list("regimen")).sort(byRegimenOrder) : []), [rt]) ?? [];
  // Each item's days are its dose reminder's (app/regimenSchedule.ts).
  const reminders = useLive(async () => (rt ? rt.store.list("reminders") : []), [rt]) ?? [];
  const states = useStates();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const hasAnastrozole = items.some((i) => i.fields?.form === "anastrozole");
  const firstTime = items.flatMap((i) => (i.fields?.active === false ? [] : ((i.fields?.schedule_times as string[] | undefined) ?? []))).sort()[0];
  return (
    <section aria-labelledby="regimen-h">
      <h2 id="regimen-h">My medicines and supplements</h2>
      {items.length === 0 ? <p class="empty">Nothing added yet.</p> : null}
      <ul class="list">
        {items.map((item) => {
          const f = item.fields ?? {};
          const name = regimenDisplayName(f);
          if (editing === item.id) {
            return (
              <li key={item.id}>
                <RegimenForm item={item} reminders={reminders} onDone={() => setEditing(null)} />
              </li>
            );
          }
          return (
            <li key={item.id} class="list-row">
              <div>
                <strong>{name}</strong>
                <div class="muted" data-testid="regimen-schedule">{scheduleWords(f, itemDays(item.id, reminders, f.schedule_days))}</div>
                <StateBadge state={states.get(keyOf("regimen", item.id))} />
              </div>
              <div class="actions">
                <button type="button" class="btn btn-quiet" onClick={() => { setAdding(false); setEditing(item.id); }} aria-label={`Change ${name}`}>
                  Change
                </button>
                <button type="button" class="btn btn-quiet" onClick={() => void deleteEntry("regimen", item.id)} aria-label={`Remove ${name}`}>
                  Remove
                </button>
              </div>
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
      {adding ? <RegimenForm reminders={reminders} onDone={() => setAdding(false)} /> : (
        <button type="button" class="btn btn-block" onClick={() => { setEditing(null); setAdding(true); }}>
          Add a medicine or supplement
        </button>
      )}
    </section>
  );
}

/**
 * The line under an item's name: what it is, its amount, its times and days ("Anastrozole ·
 * 08:00 · Mon, Thu"). The strength is in the name above (regimenDisplayName), said once.
 */
export function scheduleWords(f: Fields, days: readonly number[] | null): string {
  const times = (f.schedule_times as string[] | undefined) ?? [];
  const what = [formLabel(f.form), amountWords(f)].filter(Boolean).join(", ");
  const when = times.length ? times.join(", ") : "when needed";
  // Named whenever it has times: an item not taken every day is reminded on these days only.
  const on = times.length ? (days ? daysWords(days) : f.prescribed_daily ? "daily" : "every day") : "";
  return [what, when, on, f.set_by_care_team ? "from my care team" : ""].filter(Boolean).join(" · ");
}

/**
 * Reminders offered in words, with a button she taps: asking the browser for permission the
 * moment a medicine was added (and telling her "blocked" when it refused unasked) read as an
 * error she had caused. Shown while this device can show notifications and she has not been
 * asked yet; what the button came to is said here (on, or why not, with the calendar link).
 */
function ReminderOffer(props: { time: string }) {
  // "offer": ask; "blocked": the browser blocks them, so how to allow them, never the button
  // again (it was offered on every visit, to be refused again without a word: newcomer walk).
  const [offer, setOffer] = useState<"offer" | "blocked" | null>(null);
  const [busy, setBusy] = useState(false);
  const [told, setTold] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void Promise.all([shouldOfferPush(), pushState()]).then(([yes, state]) => live && setOffer(yes ? "offer" : state === "denied" ? "blocked" : null));
    return () => {
      live = false;
    };
  }, []);
  if (told) return <p class="card" role="status" data-testid="reminder-offer-result">{told}</p>;
  if (offer === "blocked") {
    return (
      <p class="card hint" data-testid="reminder-blocked">
        {BLOCKED_TEXT} {CALENDAR_HINT}
      </p>
    );
  }
  if (offer !== "offer") return null;
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

/** Anastrozole's usual strengths: 1 mg (women, PROTOCOL §4a), 0.25-0.5 mg (men on testosterone). */
const STRENGTHS = [["0.25", "0.25 mg"], ["0.5", "0.5 mg"], ["1", "1 mg"], ["other", "Another amount"]] as const;
type StrengthChoice = (typeof STRENGTHS)[number][0];

/**
 * Where on the label the amount is. A fish oil capsule's front says "1000 mg" of oil; what
 * counts is the EPA and DHA in it, printed on the back (often about 300 mg together). Vitamin D
 * is asked in IU, which the label may print in mcg.
 */
export const AMOUNT_HINT: Readonly<Record<string, string>> = {
  epa_mg: "Add up EPA and DHA from the “Supplement Facts” on the back of the label (for example 180 mg EPA + 120 mg DHA = 300). Not the “1000 mg” of fish oil on the front.",
  vitamin_d_iu: "A label in mcg (µg): 1 mcg = 40 IU, so 25 mcg is 1000 IU.",
  // One item carries one nutrient: the vitamin D of a calcium + D tablet counts only as an item of its own.
  calcium_mg: "A calcium + D tablet? Add its vitamin D as its own item (Vitamin D3, same times).",
};

/** What the amount field says under itself: why it is needed, and where on the label it is. */
export function amountHint(kind: "medicine" | "supplement", nutrient: string): string {
  return [amountNeededHint(kind), AMOUNT_HINT[nutrient]].filter(Boolean).join(" ");
}

/**
 * The example beside "Prescribed or recommended by my care team". Its example is vitamin D's
 * (a high weekly dose): said on the vitamin D forms only, as the units are (the newcomer walk
 * found vitamin D's words on the calcium and fish-oil forms); on the medicine's form, nothing.
 */
export function careTeamHint(form: string): string | undefined {
  if (form === "anastrozole") return undefined;
  const nutrient = FORMS.find((f) => f.form === form)?.nutrient;
  return nutrient === "vitamin_d_iu"
    ? "(a high weekly vitamin D dose, for example: then we do not warn you that it is above the usual limit)"
    : "(a dose above the usual limit, for example: then we do not warn you about it)";
}

/** The refusal under the form: none before a Save was refused, then whatever is still wrong. */
export function shownRegimenProblem(tried: boolean, v: Parameters<typeof regimenProblem>[0]): string | null {
  return tried ? regimenProblem(v) : null;
}

/** The nutrient amount one unit of an item carries, as the form's amount field shows it. */
function amountOf(fields: Fields): string {
  const f = FORMS.find((x) => x.form === fields.form);
  const n = (fields.nutrients_per_unit as Record<string, number> | undefined) ?? {};
  if (!f?.nutrient) return "";
  const v = f.nutrient === "epa_mg" ? (n.epa_mg ?? 0) + (n.dha_mg ?? 0) : n[f.nutrient] ?? 0;
  return v > 0 ? String(Math.round(v * 100) / 100) : "";
}

/** The strength an anastrozole item's name carries (a plain "Anastrozole" is a 1 mg tablet). */
function strengthOf(fields: Fields): { choice: StrengthChoice | null; typed: string } {
  const name = typeof fields.name === "string" ? fields.name : "";
  const mg = splitStrength(name).mg ?? (name.trim() ? 1 : null);
  if (mg === null) return { choice: null, typed: "" };
  const listed = STRENGTHS.find(([v]) => v !== "other" && Number(v) === mg);
  return listed ? { choice: listed[0], typed: "" } : { choice: "other", typed: String(mg) };
}

/** Which days: one real button per weekday, pressed or not (each at least 44 px). */
export function WeekdayPicker(props: { days: readonly number[]; onChange: (days: number[]) => void }) {
  const flip = (d: number) => props.onChange(props.days.includes(d) ? props.days.filter((x) => x !== d) : [...props.days, d].sort((a, b) => a - b));
  return (
    <fieldset class="field choice" data-testid="which-days">
      <legend>Which days?</legend>
      <div class="choice-row">
        {WEEKDAYS.map(([short, long], d) => (
          <button key={d} type="button" aria-pressed={props.days.includes(d)} class={props.days.includes(d) ? "pill pill-on" : "pill"} onClick={() => flip(d)}>
            {/* "Mon" shown, "Monday" said (an aria-label would not contain the visible text). */}
            <span aria-hidden="true">{short}</span>
            <span class="visually-hidden">{long}</span>
          </button>
        ))}
      </div>
      <p class="hint">Reminders come at the times above on these days only, and Today lists it only then.</p>
    </fieldset>
  );
}

/** Adds an item, or changes one (`item`): its name, amount, times and days. */
function RegimenForm(props: { item?: StoredRecord; reminders: readonly StoredRecord[]; onDone: () => void }) {
  const f0: Fields = props.item?.fields ?? {};
  const editing = props.item !== undefined;
  const form0 = typeof f0.form === "string" ? f0.form : "calcium_carbonate";
  const times0 = (f0.schedule_times as string[] | undefined) ?? ["08:00"];
  const days0 = props.item ? itemDays(props.item.id, props.reminders, f0.schedule_days) : null;
  const [form, setForm] = useState(form0);
  const [name, setName] = useState(() => (typeof f0.name === "string" ? (form0 === "anastrozole" ? splitStrength(f0.name).base : f0.name) : ""));
  const [amount, setAmount] = useState(() => amountOf(f0));
  const [strength, setStrength] = useState<StrengthChoice | null>(() => (editing ? strengthOf(f0).choice : null));
  const [strengthTyped, setStrengthTyped] = useState(() => (editing ? strengthOf(f0).typed : ""));
  const [times, setTimes] = useState<string[]>(times0);
  // Set by a refused Save: from then on the refusal follows what she types, so it clears the
  // moment the value is valid (the newcomer walk found "Enter the amount…" still there after
  // she had typed one) and names the next problem if one is left.
  const [tried, setTried] = useState(false);
  const [daily, setDaily] = useState(editing ? f0.prescribed_daily === true : true);
  // An item not taken daily whose reminder has no days fires every day now: shown as such.
  const [days, setDays] = useState<number[]>(days0 ?? (editing && times0.length ? [0, 1, 2, 3, 4, 5, 6] : []));
  const [careTeam, setCareTeam] = useState(f0.set_by_care_team === true);
  const [kind, setKind] = useState<"medicine" | "supplement">(f0.kind === "medicine" ? "medicine" : "supplement");
  const meta = FORMS.find((f) => f.form === form);
  const ask = useAskFirst();
  const values = { form, kind, name, amount, strength, strengthTyped, times, daily, days };
  const error = shownRegimenProblem(tried, values);
  const save = (e: Event) => {
    e.preventDefault();
    const problem = regimenProblem(values);
    if (problem) {
      setTried(true);
      // The amount's refusal takes her to the amount, beside its "Needed for a supplement".
      if (meta?.nutrient && problem === amountProblem(kind, amount, SHORT_UNIT[meta.nutrient] ?? "")) document.getElementById("f-amount")?.focus();
      return;
    }
    const { nutrients, servings } = nutrientsFor(form, typedAmount(amount) ?? 0);
    const schedule = [...new Set(times)].sort();
    const unit = meta?.nutrient ? SHORT_UNIT[meta.nutrient] : undefined;
    // One tablet's amount against the table of entry limits: 30 000 IU of vitamin D is asked
    // about once, here, not at every dose (app/limits.ts).
    ask.guard(doseNutrientChecks(nutrients, "in one tablet or dose"), () => void add(nutrients, servings, schedule, unit), "f-amount");
  };
  const add = async (nutrients: Record<string, number>, servings: Record<string, number>, schedule: string[], unit: string | undefined) => {
    const label = meta?.label ?? "Supplement";
    const mg = strengthMg(strength, strengthTyped);
    const fullName = form === "anastrozole" && mg !== null
      ? nameWithStrength(name, label, mg)
      : name.trim() || `${label}${amount && unit ? ` ${amount} ${unit}` : FORM_STRENGTH[form] ? ` ${FORM_STRENGTH[form]}` : ""}`;
    const onDays = daily ? null : days;
    const rt = runtime();
    await saveEntry(
      "regimen",
      props.item?.id ?? null,
      {
        name: fullName,
        kind,
        // The select's options are FORMS, the API's forms.
        form: oneOf(FORMS.map((f) => f.form), form) ?? "other",
        nutrients_per_unit: nutrients,
        servings_per_unit: servings,
        default_units: typeof f0.default_units === "number" ? f0.default_units : 1,
        schedule_times: schedule,
        // The days on the item too: its reminder on the server follows them even before (or
        // without) the reminder written below.
        schedule_days: onDays === null || onDays.length >= 7 ? null : [...new Set(onDays)].sort((a, b) => a - b),
        prescribed_daily: daily,
        set_by_care_team: careTeam,
        active: f0.active !== false,
      },
      async (id) => {
        for (const w of await reminderWrites(id, fullName, schedule.length > 0, onDays, props.reminders)) await rt?.store.save("reminders", w.id, w.fields);
      },
    );
    props.onDone();
  };
  return (
    <form class="card" onSubmit={save} aria-label={editing ? `Change ${regimenDisplayName(f0)}` : "Add a medicine or supplement"}>
      <SelectField label="What is it?" name="form" value={form} onChange={(v) => { setForm(v); setKind(v === "anastrozole" ? "medicine" : "supplement"); }} options={FORMS.map((f) => [f.form, f.label] as const)} />
      <TextField label="Name on the label (optional)" name="regimen_name" value={name} onInput={setName} />
      {meta?.nutrient ? <NumberField label="Amount in one tablet or dose" unit={meta.unit} name="amount" value={amount} onInput={setAmount} hint={amountHint(kind, meta.nutrient)} /> : null}
      {meta?.nutrient === "calcium_mg" ? <CalciumNote amount={amount} times={times} onSplit={(each, spread) => { setAmount(String(each)); setTimes(spread); }} /> : null}
      {form === "anastrozole" ? (
        <>
          <Choice label="How much each time" value={strength} options={STRENGTHS} onChange={setStrength} />
          {strength === "other" ? <NumberField label="Amount each time" unit="mg" name="strength_mg" value={strengthTyped} onInput={setStrengthTyped} /> : null}
        </>
      ) : null}
      <Choice label="Kind" value={kind} options={[["medicine", "Medicine"], ["supplement", "Supplement"]]} onChange={setKind} />
      <DoseTimes times={times} onChange={setTimes} />
      <Toggle label="I take it every day" checked={daily} onChange={setDaily} />
      {!daily ? <WeekdayPicker days={days} onChange={setDays} /> : null}
      <Toggle
        label="Prescribed or recommended by my care team"
        hint={careTeamHint(form)}
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

/** Beside a calcium amount over 500 mg: that it counts less at once, and a button to split it. */
function CalciumNote(props: { amount: string; times: readonly string[]; onSplit: (each: number, times: string[]) => void }) {
  const mg = typedAmount(props.amount);
  const note = calciumDoseNote(mg);
  const split = mg === null ? null : calciumSplit(mg);
  if (!note || !split) return null;
  return (
    <div class="warn" role="status" data-testid="calcium-split">
      <p>{note}</p>
      <button type="button" class="btn btn-small" onClick={() => props.onSplit(split.each, spreadTimes(props.times, split.doses))}>
        Make it {split.doses} doses of {split.each} mg
      </button>
    </div>
  );
}

function strengthMg(choice: StrengthChoice | null, typed: string): number | null {
  if (choice === null) return null;
  const mg = Number(choice === "other" ? typed.replace(",", ".") : choice);
  return mg > 0 ? mg : null;
}

/** Why the form cannot be saved as it is, in words; null when it can. */
export function regimenProblem(v: {
  form: string;
  kind: "medicine" | "supplement";
  name: string;
  amount: string;
  strength: StrengthChoice | null;
  strengthTyped: string;
  times: readonly string[];
  daily: boolean;
  days: readonly number[];
}): string | null {
  if (v.times.some((t) => !/^\d{2}:\d{2}$/.test(t))) return "Every dose time needs an hour and minutes, or remove it.";
  const meta = FORMS.find((f) => f.form === v.form);
  const amountWrong = meta?.nutrient ? amountProblem(v.kind, v.amount, SHORT_UNIT[meta.nutrient] ?? "") : null;
  if (amountWrong) return amountWrong;
  if (v.form === "anastrozole") {
    const mg = strengthMg(v.strength, v.strengthTyped);
    if (mg === null) return v.strength === "other" ? "Type how many mg you take each time (a number above 0)." : "Choose how much you take each time (0.25, 0.5 or 1 mg, or another amount).";
    const named = splitStrength(v.name).mg;
    if (named !== null && named !== mg) return `The name says ${named} mg but “How much each time” says ${mg} mg: make them agree.`;
  }
  // Never an every-day reminder for something not taken every day.
  if (!v.daily && v.times.length > 0 && v.days.length === 0) return "Choose the days you take it (Which days?), or tick “I take it every day”.";
  return null;
}
