/** Log a meal: search the offline food pack, pick a portion, or type a custom food. */
import { useState } from "preact/hooks";
import { itemFor, recentFoodIds, searchFoods, type PackFood } from "../../app/foods";
import { Choice, NumberField, TextField, toLocalInput, WhenField } from "../../app/forms";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
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
  if (rec === undefined || !foods || !meals) return <LogLayout title="Meal" entity="meals" id={props.id}><Loading /></LogLayout>;
  return <MealForm rec={rec} id={props.id} foods={foods} meals={meals} />;
}

function MealForm(props: { rec: StoredRecord | null; id: string | null; foods: PackFood[]; meals: StoredRecord[] }) {
  const f = props.rec?.fields ?? {};
  const [name, setName] = useState(String(f.name ?? defaultName()));
  const [items, setItems] = useState<Item[]>((f.items as Item[] | undefined) ?? []);
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<PackFood | null>(null);
  const [custom, setCustom] = useState(false);
  const [when, setWhen] = useState(toLocalInput(f.eaten_at as string | undefined));

  const byId = new Map(props.foods.map((x) => [x.id, x]));
  const recent = recentFoodIds(props.meals).map((id) => byId.get(id)).filter((x): x is PackFood => !!x);
  const favourites = props.foods.filter((x) => x.favourite).slice(0, 8);
  const results = searchFoods(props.foods, query);
  const add = (item: Item) => {
    setItems([...items, item]);
    setPicked(null);
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
                  {it.food_name} <span class="muted">{Math.round(it.grams)} g</span>
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
          <PortionPicker food={picked} onAdd={(g) => add(itemFor(picked, g) as Item)} onCancel={() => setPicked(null)} />
        ) : custom ? (
          <CustomFood onAdd={add} onCancel={() => setCustom(false)} />
        ) : (
          <div class="card">
            <div class="field">
              <label for="food-search">Search foods</label>
              <input id="food-search" type="search" autocomplete="off" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} placeholder="e.g. yogurt, salmon, oats" />
              {props.foods.length === 0 ? <p class="hint">The food list downloads the first time you are online.</p> : null}
            </div>
            <FoodList title={query ? "Results" : recent.length ? "Recent" : ""} foods={query ? results : recent} onPick={setPicked} />
            {!query && favourites.length ? <FoodList title="Favourites" foods={favourites} onPick={setPicked} /> : null}
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

function FoodList(props: { title: string; foods: PackFood[]; onPick: (f: PackFood) => void }) {
  if (props.foods.length === 0) return null;
  return (
    <>
      {props.title ? <h3>{props.title}</h3> : null}
      <ul class="list picker" data-testid="food-results">
        {props.foods.map((food) => (
          <li key={food.id}>
            <button type="button" class="pick" onClick={() => props.onPick(food)}>
              <strong>{food.name}</strong>
              <span class="muted">{Math.round(food.nutrients_per_100g?.calcium_mg ?? 0)} mg calcium per 100 g</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function PortionPicker(props: { food: PackFood; onAdd: (grams: number) => void; onCancel: () => void }) {
  const portions = props.food.portions ?? [];
  const [grams, setGrams] = useState(String(portions[0]?.[1] ?? 100));
  return (
    <div class="card" data-testid="portion-picker">
      <h3>{props.food.name}</h3>
      <div class="choice-row">
        {portions.map(([label, g]) => (
          <button key={label} type="button" class={Number(grams) === g ? "pill pill-on" : "pill"} onClick={() => setGrams(String(g))}>
            {label} ({Math.round(g)} g)
          </button>
        ))}
      </div>
      <NumberField label="Amount" unit="g" name="grams" value={grams} onInput={setGrams} min={1} max={5000} />
      <div class="actions">
        <button type="button" class="btn btn-primary" onClick={() => Number(grams) > 0 && props.onAdd(Number(grams))}>Add to meal</button>
        <button type="button" class="btn" onClick={props.onCancel}>Cancel</button>
      </div>
    </div>
  );
}

function CustomFood(props: { onAdd: (item: Item) => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [grams, setGrams] = useState("100");
  const [calcium, setCalcium] = useState("");
  const [vitD, setVitD] = useState("");
  const [fiber, setFiber] = useState("");
  const num = (s: string) => (s === "" ? undefined : Number(s));
  return (
    <div class="card">
      <h3>A food that is not listed</h3>
      <TextField label="Name" name="custom_name" value={name} onInput={setName} />
      <NumberField label="Amount eaten" unit="g" name="custom_grams" value={grams} onInput={setGrams} min={1} />
      <p class="hint">From the label, for the amount eaten. Leave blank what you don't know.</p>
      <NumberField label="Calcium" unit="mg" name="custom_calcium" value={calcium} onInput={setCalcium} min={0} />
      <NumberField label="Vitamin D" unit="IU" name="custom_vitd" value={vitD} onInput={setVitD} min={0} />
      <NumberField label="Fiber" unit="g" name="custom_fiber" value={fiber} onInput={setFiber} min={0} />
      <div class="actions">
        <button
          type="button"
          class="btn btn-primary"
          onClick={() => {
            if (!name.trim() || !(Number(grams) > 0)) return;
            const nutrients = Object.fromEntries(
              Object.entries({ calcium_mg: num(calcium), vitamin_d_iu: num(vitD), fiber_g: num(fiber) }).filter(([, v]) => v !== undefined),
            ) as Record<string, number>;
            props.onAdd({ food_id: null, food_name: name.trim(), grams: Number(grams), nutrients, servings: {} });
          }}
        >
          Add to meal
        </button>
        <button type="button" class="btn" onClick={props.onCancel}>Cancel</button>
      </div>
    </div>
  );
}
