/**
 * Log a meal: favourites and recent foods first, search over the offline food pack, a portion
 * picker, and foods of the person's own (saved for next time, usable in this meal at once).
 */
import { useState } from "preact/hooks";
import { itemFor, recentFoodIds, saveCustomFood, searchFoods, setFavourite, type PackFood } from "../../app/foods";
import { Choice, toLocalInput, WhenField } from "../../app/forms";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { fmtGrams, fmtGramsShort, portionLabel, useUnitSystem, type UnitSystem } from "../../app/units";
import type { StoredRecord } from "../../storage/store";
import { fromLocalInput, Loading, LogLayout, saveAndGoBack, useEditing } from "./common";
import { AmountField, CustomFoodForm } from "./customFood";

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
            {/* Only while nothing would be lost by leaving: the meal being built lives on this screen. */}
            {!props.id && items.length === 0 ? <a class="btn btn-quiet" href="/more/settings/foods">Edit or delete my foods</a> : null}
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
            {portionLabel(label, g, props.units)}
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

/** A food of the person's own, made here and added to the meal at once. */
function CustomFood(props: { units: UnitSystem; onAdd: (food: PackFood, grams: number) => void; onCancel: () => void }) {
  return (
    <CustomFoodForm
      units={props.units}
      title="A food of your own"
      hint="It is saved to your foods, so search finds it next time. Leave blank what the label doesn't say."
      submitLabel="Save food and add to meal"
      askEaten
      onSave={async (input, grams) => props.onAdd(await saveCustomFood(input), grams ?? 100)}
      onCancel={props.onCancel}
    />
  );
}
