/**
 * The form for a food of the person's own, shared by the meal screen (create, then add to the
 * meal) and My foods (edit, prefilled), and the amount field the meal screen uses too.
 */
import { ENTRY_LIMITS } from "../../scoring/tables.gen";
import { useState } from "preact/hooks";
import type { CustomFoodInput } from "../../app/foods";
import { Choice, NumberField, TextField } from "../../app/forms";
import { gramsToOz, ozToGrams, type UnitSystem } from "../../app/units";
import { vitaminDIuToMcg, vitaminDMcgToIu } from "../../scoring/units";

/** An amount in grams, typed in grams (metric) or ounces (US, with the grams shown beside). */
export function AmountField(props: { label: string; name: string; grams: string; onGrams: (g: string) => void; units: UnitSystem }) {
  const g = Number(props.grams);
  const [oz, setOz] = useState(props.grams && g > 0 ? (Math.round(gramsToOz(g) * 10) / 10).toString() : "");
  if (props.units === "metric") {
    return <NumberField label={props.label} unit="g" name={props.name} value={props.grams} onInput={props.onGrams} />;
  }
  return (
    <NumberField
      label={props.label}
      unit="oz"
      name={`${props.name}_oz`}
      value={oz}
      onInput={(v) => {
        setOz(v);
        props.onGrams(v === "" ? "" : String(Math.round(ozToGrams(Number(v)) * 10) / 10));
      }}
      fractions
      hint={g > 0 ? `= ${Math.round(g)} g` : undefined}
    />
  );
}

/** Label nutrients the protocol scores, with the units labels print them in. */
export const LABEL_NUTRIENTS = [
  ["calcium_mg", "Calcium", "mg"],
  ["vitamin_d_iu", "Vitamin D", "IU"],
  ["protein_g", "Protein", "g"],
  ["fiber_g", "Fibre", "g"],
  ["magnesium_mg", "Magnesium", "mg"],
  ["vitamin_k_mcg", "Vitamin K", "mcg"],
  ["saturated_fat_g", "Saturated fat", "g"],
  ["energy_kcal", "Energy", "kcal"],
] as const;

/** The units a label prints vitamin D in: mcg (µg) on US and European labels today, IU on older ones. */
export type VitaminDUnit = "mcg" | "iu";

/** Rounded for the eye: "10", "2.5", "0.25" (an amount is stored as typed, converted exactly). */
function short(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** The amount typed in `unit`, in IU (what the API stores); null when nothing usable was typed. */
export function vitaminDIu(raw: string, unit: VitaminDUnit): number | null {
  if (raw.trim() === "") return null;
  const v = Number(raw);
  if (!Number.isFinite(v)) return null;
  return unit === "mcg" ? vitaminDMcgToIu(v) : v;
}

/** The stored IU as the field shows it in `unit` ("" for none). */
export function vitaminDShown(iu: number | undefined, unit: VitaminDUnit): string {
  if (iu === undefined) return "";
  return unit === "mcg" ? short(vitaminDIuToMcg(iu)) : String(iu);
}

/** What the typed amount is in the other unit: "= 400 IU", "= 10 mcg"; "" when nothing is typed. */
export function vitaminDOther(raw: string, unit: VitaminDUnit): string {
  const iu = vitaminDIu(raw, unit);
  if (iu === null || iu < 0) return "";
  return unit === "mcg" ? `= ${short(iu)} IU` : `= ${short(vitaminDIuToMcg(iu))} mcg`;
}

/** mcg, unless the stored IU is no whole hundredth of a mcg (then IU, shown exactly as stored). */
export function initialVitaminDUnit(iu: number | undefined): VitaminDUnit {
  if (iu === undefined) return "mcg";
  const hundredths = (iu / 40) * 100;
  return Math.abs(hundredths - Math.round(hundredths)) < 1e-9 ? "mcg" : "iu";
}

const D_UNITS = [["mcg", "mcg (µg)"], ["iu", "IU"]] as const;

/** Vitamin D as the label prints it: mcg or IU, with what it comes to in the other unit. */
function VitaminDField(props: { value: string; unit: VitaminDUnit; onInput: (v: string) => void; onUnit: (u: VitaminDUnit) => void }) {
  const other = vitaminDOther(props.value, props.unit);
  return (
    <div class="vitamin-d-field">
      <NumberField
        label="Vitamin D"
        unit={props.unit === "mcg" ? "mcg" : "IU"}
        name="custom_vitamin_d_iu"
        value={props.value}
        onInput={props.onInput}
        hint={other ? `${other} (1 mcg = 40 IU)` : "Labels print it in mcg (µg) or in IU: choose the one yours uses. 1 mcg = 40 IU."}
      />
      <Choice label="Vitamin D on the label is in" value={props.unit} options={D_UNITS} onChange={props.onUnit} />
    </div>
  );
}

/**
 * What she ate of her own food, in grams, or null when what she typed is no amount. Per serving,
 * she says how many servings (blank: one; "1/2", "1.5"): a serving is what her label calls one
 * ("1 cup", "2 biscuits"), so "1 cup" is one serving, and the form needs no ounces beside the
 * label's grams (newcomer walk: US units mixed g and oz and refused "1 cup"). Per 100 g, she
 * gives the weight (`eaten` is grams; the amount box reads ounces in US units).
 */
export function eatenGrams(basis: "100g" | "serving", servingGrams: number | null, eaten: string): number | null {
  if (basis === "serving") {
    const servings = eaten.trim() === "" ? 1 : Number(eaten);
    return servingGrams !== null && servings > 0 && Number.isFinite(servings) ? Math.round(servings * servingGrams * 10) / 10 : null;
  }
  const grams = eaten.trim() === "" ? 100 : Number(eaten);
  return grams > 0 && Number.isFinite(grams) ? grams : null;
}

/**
 * Name, label basis (per serving or per 100 g), serving size and the label's nutrients,
 * prefilled from `initial` when editing. With `askEaten` it also asks how much was eaten (blank:
 * one serving, or 100 g) and hands that to `onSave` in grams; otherwise `onSave` gets null.
 */
export function CustomFoodForm(props: {
  units: UnitSystem;
  title: string;
  hint: string;
  submitLabel: string;
  initial?: CustomFoodInput;
  askEaten?: boolean;
  onSave: (input: CustomFoodInput, eatenGrams: number | null) => Promise<void>;
  onCancel: () => void;
}) {
  const init = props.initial;
  const [name, setName] = useState(init?.name ?? "");
  const [basis, setBasisState] = useState<"100g" | "serving">(init && init.servingGrams === null ? "100g" : "serving");
  const [serving, setServing] = useState(init?.servingGrams ? String(init.servingGrams) : "");
  const [eaten, setEaten] = useState("");
  // Servings and a weight are different amounts: a change of basis empties the box.
  const setBasis = (b: "100g" | "serving") => {
    setBasisState(b);
    setEaten("");
  };
  // Vitamin D is typed in the label's unit (mcg by default, as labels print it now) and stored in IU.
  // A stored amount that is no whole hundredth of a mcg (86.1 IU) is shown in IU, so an
  // unchanged edit saves the same number.
  const [dUnit, setDUnit] = useState<VitaminDUnit>(() => initialVitaminDUnit(init?.nutrients.vitamin_d_iu));
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      Object.entries(init?.nutrients ?? {}).map(([k, v]) => [k, k === "vitamin_d_iu" ? vitaminDShown(v, initialVitaminDUnit(v)) : String(v)]),
    ),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const servingGrams = basis === "serving" ? Number(serving) : null;
    if (!name.trim()) return setError("Give the food a name.");
    if (basis === "serving" && !(servingGrams && servingGrams > 0 && servingGrams <= ENTRY_LIMITS.meal_item_grams.hard_max)) return setError("Give the serving size in grams, from the label.");
    let grams: number | null = null;
    if (props.askEaten) {
      grams = eatenGrams(basis, servingGrams, eaten);
      if (grams === null || !(grams <= ENTRY_LIMITS.meal_item_grams.hard_max)) return setError(basis === "serving" ? "Give how many servings you ate: 1, 1/2 or 1.5, for example." : "Give the amount you ate.");
    }
    const nutrients: Record<string, number> = {};
    for (const [key] of LABEL_NUTRIENTS) {
      const raw = values[key];
      if (raw === undefined || raw === "") continue;
      const v = key === "vitamin_d_iu" ? vitaminDIu(raw, dUnit) ?? Number.NaN : Number(raw);
      if (!(v >= 0)) return setError("Nutrient amounts cannot be negative.");
      nutrients[key] = v;
    }
    // Nutrients the form does not show (stored by another app or device) are kept as they are.
    for (const [key, v] of Object.entries(init?.nutrients ?? {})) {
      if (!LABEL_NUTRIENTS.some(([k]) => k === key)) nutrients[key] = v;
    }
    setBusy(true);
    try {
      await props.onSave({ name, servingGrams, nutrients }, grams);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The food could not be saved.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card" data-testid="custom-food">
      <h3>{props.title}</h3>
      <p class="hint">{props.hint}</p>
      <TextField label="Name" name="custom_name" value={name} onInput={setName} />
      <Choice label="The label gives nutrients" value={basis} options={[["serving", "Per serving"], ["100g", "Per 100 g"]]} onChange={setBasis} />
      {basis === "serving" ? (
        <NumberField label="Serving size" unit="g" name="custom_serving" value={serving} onInput={setServing} hint="In grams, as the label prints it beside the serving: “1 cup (240 g)” is 240." />
      ) : null}
      {LABEL_NUTRIENTS.map(([key, label, unit]) =>
        key === "vitamin_d_iu" ? (
          <VitaminDField key={key} value={values[key] ?? ""} unit={dUnit} onInput={(v) => setValues({ ...values, [key]: v })} onUnit={setDUnit} />
        ) : (
          <NumberField key={key} label={label} unit={unit} name={`custom_${key}`} value={values[key] ?? ""} onInput={(v) => setValues({ ...values, [key]: v })} />
        ),
      )}
      {props.askEaten && basis === "serving" ? (
        <NumberField
          key="servings"
          label="Servings eaten, blank for one"
          unit="servings"
          name="custom_servings"
          value={eaten}
          onInput={setEaten}
          fractions
          hint="How many of the label's servings: 1, 1/2, 1.5. One serving is what the label calls one (1 cup, 2 biscuits)."
        />
      ) : props.askEaten ? (
        <AmountField key="weight" label="Amount eaten, blank for 100 g" name="custom_eaten" grams={eaten} onGrams={setEaten} units={props.units} />
      ) : null}
      {error ? <p class="error" role="alert">{error}</p> : null}
      <div class="actions">
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void submit()}>
          {props.submitLabel}
        </button>
        <button type="button" class="btn" onClick={props.onCancel}>Cancel</button>
      </div>
    </div>
  );
}
