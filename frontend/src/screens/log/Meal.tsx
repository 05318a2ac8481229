/**
 * Log a meal: favourites and recent foods first, search over the offline food pack, a portion
 * picker, and foods of the person's own (saved for next time, usable in this meal at once).
 */
import { useState } from "preact/hooks";
import { itemFor, recentFoodIds, saveCustomFood, searchFoods, setFavourite, type PackFood } from "../../app/foods";
import { Choice, NumberField, TextField, toLocalInput, WhenField } from "../../app/forms";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { fmtGrams, fmtGramsShort, gramsToOz, ozToGrams, useUnitSystem, type UnitSystem } from "../../app/units";
import type { StoredRecord } from "../../storage/store";
import { fromLocalInput, Loading, LogLayout, saveAndGoBack, useEditing } from "./common";

type Item = Record<string, unknown> & { food_name: string; grams: number; nutrients?: Record<string, number> };

function defaultName(): string {
  const h = new Date().getHours();
  return h < 11 ? "Breakfast" : h < 15 ? "Lunch" : h < 21 ? "Dinner" : "Snack";
}

export function Meal(props: { id: string | null }) {
  const rec = useEditing("meals", props.id);
  const rt = runtime();
  const foods = useLive(async () => (rt ? ((await rt.store.db.foods.toArray()) as PackFood[]) : []), [rt]);
  const meals = useLive(async () => (rt ? rt.store.list("meals") : []), [rt]);
  const units = useUnitSystem();
  if (rec === undefined || !foods || !meals || !units) return <LogLayout title="Meal" entity="meals" id={props.id}><Loading /></LogLayout>;
  return <MealForm rec={rec} id={props.id} foods={foods} meals={meals} units={units} />;
}

function MealForm(props: { rec: StoredRecord | null; id: string | null; foods: PackFood[]; meals: StoredRecord[]; units: UnitSystem }) {
  const f = props.rec?.fields ?? {};
  const [name, setName] = useState(String(f.name ?? defaultName()));
  const [items, setItems] = useState<Item[]>((f.items as Item[] | undefined) ?? []);
  const [query, setQuery] = useState("");
  const [pickedId, setPickedId] = useState<string | null>(null);
  const [custom, setCustom] = useState(false);
  const [when, setWhen] = useState(toLocalInput(f.eaten_at as string | undefined));

  const byId = new Map(props.foods.map((x) => [x.id, x]));
  // Looked up by id on every render so a star toggled in the picker shows at once.
  const picked = pickedId ? byId.get(pickedId) ?? null : null;
  const favourites = props.foods.filter((x) => x.favourite).sort((a, b) => a.name.localeCompare(b.name)).slice(0, 12);
  const recent = recentFoodIds(props.meals)
    .map((id) => byId.get(id))
    .filter((x): x is PackFood => !!x && !x.favourite);
  const results = searchFoods(props.foods, query);
  const add = (item: Item) => {
    setItems([...items, item]);
    setPickedId(null);
    setQuery("");
    setCustom(false);
  };
  const save = (e: Event) => {
    e.preventDefault();
    void saveAndGoBack("meals", props.id, { name: name.trim() || "Meal", eaten_at: fromLocalInput(when), items });
  };
  const calcium = items.reduce((s, i) => s + (i.nutrients?.calcium_mg ?? 0), 0);

  return (
    <LogLayout title="Meal" entity="meals" id={props.id}>
      <form onSubmit={save}>
        <Choice label="Which meal" value={name} options={[["Breakfast", "Breakfast"], ["Lunch", "Lunch"], ["Dinner", "Dinner"], ["Snack", "Snack"]]} onChange={setName} />
        <section aria-labelledby="items-h">
          <h2 id="items-h">In this meal</h2>
          {items.length === 0 ? <p class="empty">No foods yet. Search below.</p> : null}
          <ul class="list" data-testid="meal-items">
            {items.map((it, i) => (
              <li key={i} class="list-row">
                <span>
                  {it.food_name} <span class="muted">{fmtGrams(it.grams, props.units)}</span>
                </span>
                <button type="button" class="btn btn-quiet" aria-label={`Remove ${it.food_name}`} onClick={() => setItems(items.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          {items.length ? <p class="muted">Calcium in this meal: {Math.round(calcium)} mg</p> : null}
        </section>

        {picked ? (
          <PortionPicker food={picked} units={props.units} onAdd={(g) => add(itemFor(picked, g) as Item)} onCancel={() => setPickedId(null)} />
        ) : custom ? (
          <CustomFood units={props.units} onAdd={(food, grams) => add(itemFor(food, grams) as Item)} onCancel={() => setCustom(false)} />
        ) : (
          <div class="card">
            <div class="field">
              <label for="food-search">Search foods</label>
              <input id="food-search" type="search" autocomplete="off" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} placeholder="e.g. yogurt, salmon, oats" />
              {props.foods.length === 0 ? <p class="hint">The food list downloads the first time you are online.</p> : null}
            </div>
            {query ? (
              <FoodList title="Results" testid="food-results" foods={results} onPick={setPickedId} />
            ) : (
              <>
                <FoodList title="Favourites" testid="food-favourites" foods={favourites} onPick={setPickedId} />
                <FoodList title="Recent" testid="food-recent" foods={recent} onPick={setPickedId} />
              </>
            )}
            {query && results.length === 0 ? <p class="empty">No food matches “{query}”.</p> : null}
            <button type="button" class="btn btn-block" onClick={() => setCustom(true)}>Add a food that is not listed</button>
          </div>
        )}
        <WhenField label="When" value={when} onInput={setWhen} />
        <button class="btn btn-primary btn-block" type="submit" disabled={items.length === 0}>Save meal</button>
      </form>
    </LogLayout>
  );
}

/** The star: a toggle button (aria-pressed) whose name says which food it marks. */
function FavouriteStar(props: { food: PackFood }) {
  const on = props.food.favourite === true;
  return (
    <button
      type="button"
      class={on ? "star star-on" : "star"}
      aria-pressed={on}
      aria-label={`Favourite: ${props.food.name}`}
      title={on ? "Remove from favourites" : "Add to favourites"}
      onClick={() => void setFavourite(props.food.id, !on)}
    >
      <span aria-hidden="true">{on ? "★" : "☆"}</span>
    </button>
  );
}

function FoodList(props: { title: string; testid: string; foods: PackFood[]; onPick: (id: string) => void }) {
  if (props.foods.length === 0) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <ul class="list picker" data-testid={props.testid}>
        {props.foods.map((food) => (
          <li key={food.id} class="food-row">
            <button type="button" class="pick" onClick={() => props.onPick(food.id)}>
              <strong>{food.name}</strong>
              <span class="muted">
                {Math.round(food.nutrients_per_100g?.calcium_mg ?? 0)} mg calcium per 100 g{food.source === "user" ? " · my food" : ""}
              </span>
            </button>
            <FavouriteStar food={food} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** An amount in grams, typed in grams (metric) or ounces (US, with the grams shown beside). */
function AmountField(props: { label: string; name: string; grams: string; onGrams: (g: string) => void; units: UnitSystem }) {
  const g = Number(props.grams);
  const [oz, setOz] = useState(props.grams && g > 0 ? (Math.round(gramsToOz(g) * 10) / 10).toString() : "");
  if (props.units === "metric") {
    return <NumberField label={props.label} unit="g" name={props.name} value={props.grams} onInput={props.onGrams} min={1} max={5000} />;
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
      min={0.1}
      max={176}
      hint={g > 0 ? `= ${Math.round(g)} g` : undefined}
    />
  );
}

function PortionPicker(props: { food: PackFood; units: UnitSystem; onAdd: (grams: number) => void; onCancel: () => void }) {
  const portions = props.food.portions ?? [];
  const [grams, setGrams] = useState(String(portions[0]?.[1] ?? 100));
  // Remounts the amount field when a portion pill sets the grams, so its ounces follow.
  const [pick, setPick] = useState(0);
  return (
    <div class="card" data-testid="portion-picker">
      <div class="food-row">
        <h3>{props.food.name}</h3>
        <FavouriteStar food={props.food} />
      </div>
      <div class="choice-row">
        {portions.map(([label, g]) => (
          <button key={label} type="button" class={Number(grams) === g ? "pill pill-on" : "pill"} aria-pressed={Number(grams) === g} onClick={() => { setGrams(String(g)); setPick(pick + 1); }}>
            {label} ({fmtGramsShort(g, props.units)})
          </button>
        ))}
      </div>
      <AmountField key={pick} label="Amount" name="grams" grams={grams} onGrams={setGrams} units={props.units} />
      <div class="actions">
        <button type="button" class="btn btn-primary" onClick={() => Number(grams) > 0 && props.onAdd(Number(grams))}>Add to meal</button>
        <button type="button" class="btn" onClick={props.onCancel}>Cancel</button>
      </div>
    </div>
  );
}

/** Label nutrients the protocol scores, with the units labels print them in. */
const LABEL_NUTRIENTS = [
  ["calcium_mg", "Calcium", "mg"],
  ["vitamin_d_iu", "Vitamin D", "IU"],
  ["protein_g", "Protein", "g"],
  ["fiber_g", "Fiber", "g"],
  ["magnesium_mg", "Magnesium", "mg"],
  ["vitamin_k_mcg", "Vitamin K", "mcg"],
  ["saturated_fat_g", "Saturated fat", "g"],
  ["energy_kcal", "Energy", "kcal"],
] as const;

function CustomFood(props: { units: UnitSystem; onAdd: (food: PackFood, grams: number) => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [basis, setBasis] = useState<"100g" | "serving">("serving");
  const [serving, setServing] = useState("");
  const [eaten, setEaten] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const servingGrams = basis === "serving" ? Number(serving) : null;
    if (!name.trim()) return setError("Give the food a name.");
    if (basis === "serving" && !(servingGrams && servingGrams > 0 && servingGrams <= 5000)) return setError("Give the serving size in grams, from the label.");
    const grams = eaten === "" ? servingGrams ?? 100 : Number(eaten);
    if (!(grams > 0 && grams <= 5000)) return setError("Give the amount you ate.");
    const nutrients: Record<string, number> = {};
    for (const [key] of LABEL_NUTRIENTS) {
      const raw = values[key];
      if (raw === undefined || raw === "") continue;
      const v = Number(raw);
      if (!(v >= 0)) return setError("Nutrient amounts cannot be negative.");
      nutrients[key] = v;
    }
    setBusy(true);
    try {
      const food = await saveCustomFood({ name, servingGrams, nutrients });
      props.onAdd(food, grams);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The food could not be saved.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card" data-testid="custom-food">
      <h3>A food of your own</h3>
      <p class="hint">It is saved to your foods, so search finds it next time. Leave blank what the label doesn't say.</p>
      <TextField label="Name" name="custom_name" value={name} onInput={setName} />
      <Choice label="The label gives nutrients" value={basis} options={[["serving", "Per serving"], ["100g", "Per 100 g"]]} onChange={setBasis} />
      {basis === "serving" ? (
        <NumberField label="Serving size" unit="g" name="custom_serving" value={serving} onInput={setServing} min={1} max={5000} hint={props.units === "us" && Number(serving) > 0 ? `= ${(Math.round(gramsToOz(Number(serving)) * 10) / 10).toString()} oz` : "As printed on the label, in grams."} />
      ) : null}
      {LABEL_NUTRIENTS.map(([key, label, unit]) => (
        <NumberField key={key} label={label} unit={unit} name={`custom_${key}`} value={values[key] ?? ""} onInput={(v) => setValues({ ...values, [key]: v })} min={0} />
      ))}
      <AmountField label={basis === "serving" ? "Amount eaten (blank: one serving)" : "Amount eaten"} name="custom_eaten" grams={eaten} onGrams={setEaten} units={props.units} />
      {error ? <p class="error" role="alert">{error}</p> : null}
      <div class="actions">
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void submit()}>
          Save food and add to meal
        </button>
        <button type="button" class="btn" onClick={props.onCancel}>Cancel</button>
      </div>
    </div>
  );
}
