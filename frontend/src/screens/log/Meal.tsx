/**
 * Log a meal: repeat a past meal in one tap, favourites and recent foods, search (the server's
 * whole catalog when online, the same rules over the foods on the phone when not), a portion
 * picker, and foods of the person's own (saved for next time, usable in this meal at once).
 *
 * Online, search asks the server (every USDA food too): keystrokes are debounced and a newer
 * one aborts the older request, so a slow answer never overwrites a newer query's; the phone's
 * own, favourite and recent matches lead (it may know of a star the server has not heard of
 * yet). Offline, or when the server does not answer in time, the phone searches its own foods
 * with the same rules.
 */
import { useAskFirst } from "../../app/askFirst";
import { gramsCheck } from "../../app/limits";
import { useEffect, useState } from "preact/hooks";
import { itemFor, recentFoodIds, rememberFood, saveCustomFood, searchServer, setFavourite, type PackFood } from "../../app/foods";
import { searchFoods, withPersonal } from "../../app/foodSearch";
import { Choice, WhenField } from "../../app/forms";
import { useLive, useOnline, useZone } from "../../app/hooks";
import { foodDisplayName, fullNameIfDifferent } from "../../app/foodName";
import { filterPastMeals, pastMeals, repeatMeal, resizeItem, type PastMeal } from "../../app/meals";
import { navigate } from "../../app/router";
import { runtime } from "../../app/runtime";
import { hourIn } from "../../app/zone";
import { litPortion } from "./portions";
import { calciumLine, fmtGrams, portionLabel, useUnitSystem, type UnitSystem } from "../../app/units";
import type { StoredRecord } from "../../storage/store";
import { Loading, LogLayout, saveAndGoBack, useEditing, useWhen } from "./common";
import { AmountField, CustomFoodForm } from "./customFood";

type Item = Record<string, unknown> & { food_name: string; grams: number; nutrients?: Record<string, number> };

/** Wait this long after the last keystroke before asking the server. */
const SEARCH_DEBOUNCE_MS = 60;
/** Show the phone's own results when the server has not answered by then. */
const SEARCH_PATIENCE_MS = 2000;

/** Which meal it probably is now in `zone` (her zone once her profile is known). */
export function defaultName(zone: string, now: number = Date.now()): string {
  const h = hourIn(zone, now);
  return h < 11 ? "Breakfast" : h < 15 ? "Lunch" : h < 21 ? "Dinner" : "Snack";
}

/** `search`: words to search for when a new meal opens (Today's next best step suggests a food). */
export function Meal(props: { id: string | null; search?: string | null }) {
  const rec = useEditing("meals", props.id);
  const rt = runtime();
  const foods = useLive(async () => (rt ? ((await rt.store.db.foods.toArray()) as PackFood[]) : []), [rt]);
  const meals = useLive(async () => (rt ? rt.store.list("meals") : []), [rt]);
  const units = useUnitSystem();
  if (rec === undefined || !foods || !meals || !units) return <LogLayout title="Meal" entity="meals" id={props.id}><Loading /></LogLayout>;
  return <MealForm rec={rec} id={props.id} foods={foods} meals={meals} units={units} search={rec ? "" : props.search ?? ""} />;
}

function MealForm(props: { rec: StoredRecord | null; id: string | null; foods: PackFood[]; meals: StoredRecord[]; units: UnitSystem; search: string }) {
  const f = props.rec?.fields ?? {};
  const zone = useZone();
  // null: not chosen, so the guess follows her zone once it is known (a form opened by URL).
  const [chosenName, setName] = useState<string | null>(typeof f.name === "string" ? f.name : null);
  const name = chosenName ?? defaultName(zone);
  const [items, setItems] = useState<Item[]>((f.items as Item[] | undefined) ?? []);
  const [query, setQuery] = useState(props.search);
  const [pickedFood, setPickedFood] = useState<PackFood | null>(null);
  const [custom, setCustom] = useState(false);
  // The food in the meal whose amount is being changed (its index), or null.
  const [resizing, setResizing] = useState<number | null>(null);
  // The amount typed in the open portion panel (a food's new amount, or one being added).
  const [draft, setDraft] = useState("");
  const when = useWhen(f.eaten_at as string | undefined);
  const mealAsk = useAskFirst();
  // The server's answer to `query`; foods null: it did not answer (refused, failed, too slow).
  const [server, setServer] = useState<{ query: string; foods: PackFood[] | null } | null>(null);
  const online = useOnline();

  const q = query.trim();
  useEffect(() => {
    if (!q || !online) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      searchServer(q, abort.signal)
        .then((foods) => setServer({ query: q, foods }))
        .catch(() => undefined); // aborted by a newer keystroke
    }, SEARCH_DEBOUNCE_MS);
    const patience = setTimeout(() => setServer((prev) => (prev?.query === q ? prev : { query: q, foods: null })), SEARCH_PATIENCE_MS);
    return () => {
      clearTimeout(timer);
      clearTimeout(patience);
      abort.abort();
    };
  }, [q, online]);

  const byId = new Map(props.foods.map((x) => [x.id, x]));
  // The phone's row wins when it has one, so a star toggled in the picker shows at once.
  const live = (food: PackFood) => byId.get(food.id) ?? food;
  const picked = pickedFood ? live(pickedFood) : null;
  const favourites = props.foods.filter((x) => x.favourite).sort((a, b) => a.name.localeCompare(b.name)).slice(0, 12);
  const recentIds = recentFoodIds(props.meals);
  const recent = recentIds.map((id) => byId.get(id)).filter((x): x is PackFood => !!x && !x.favourite);
  const answer = online && server?.query === q ? server.foods : undefined;
  // undefined: waiting for the server (a moment; "Searching…").
  const fromServer = answer ? withPersonal(answer, props.foods, q, recentIds).map(live) : null;
  const results = !q ? [] : fromServer ?? (online && answer === undefined ? undefined : searchFoods(props.foods, q, 25, recentIds));
  const add = (item: Item, food?: PackFood) => {
    // A food found online stays on the phone, so the next search finds it offline too.
    if (food && !byId.has(food.id)) void rememberFood(food);
    setItems([...items, item]);
    setPickedFood(null);
    setQuery("");
    setCustom(false);
  };
  const repeatable = !props.id && items.length === 0 ? pastMeals(props.meals, new Date().toISOString(), zone) : [];
  const save = (e: Event) => {
    e.preventDefault();
    // A food of her own half made: Save meal cannot finish it, and it must not vanish.
    if (custom) return mealAsk.refuse("Save your food first, or Cancel it.");
    const at = when.instant();
    if (!at) return;
    // An amount typed in the open panel is what is on the screen: it is saved with the meal,
    // checked as the panel's own button checks it (it was silently dropped).
    const g = Number(draft);
    const open = resizing !== null ? items[resizing]?.food_name : picked?.name;
    const saved = resizing !== null ? items.map((it, j) => (j === resizing ? resizeItem(it, g) : it)) : picked ? [...items, itemFor(picked, g) as Item] : items;
    const us = props.units === "us";
    mealAsk.guard([open ? gramsCheck(g, foodDisplayName(open).toLowerCase(), us) : { kind: "ok" }, when.ahead(at)], () => {
      if (picked && !byId.has(picked.id)) void rememberFood(picked);
      void saveAndGoBack("meals", props.id, { name: name.trim() || "Meal", eaten_at: at, items: saved });
    }, us ? "f-grams_oz" : "f-grams");
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
                  {foodDisplayName(it.food_name)} <span class="muted">{fmtGrams(it.grams, props.units)}</span>
                </span>
                <span class="row-actions">
                  <button type="button" class="btn btn-quiet" aria-label={`Change amount: ${foodDisplayName(it.food_name)}`} onClick={() => { setResizing(i); setPickedFood(null); setCustom(false); }}>
                    Change amount
                  </button>
                  <button type="button" class="btn btn-quiet" aria-label={`Remove ${foodDisplayName(it.food_name)}`} onClick={() => { setItems(items.filter((_, j) => j !== i)); setResizing(null); }}>
                    Remove
                  </button>
                </span>
              </li>
            ))}
          </ul>
          {items.length ? <p class="muted">Calcium in this meal: {Math.round(calcium)} mg</p> : null}
        </section>

        {resizing !== null && items[resizing] ? (
          <PortionPicker
            food={foodOfItem(items[resizing], byId)}
            units={props.units}
            grams={items[resizing].grams}
            submitLabel="Change amount"
            onDraft={setDraft}
            onAdd={(g) => {
              setItems(items.map((it, j) => (j === resizing ? resizeItem(it, g) : it)));
              setResizing(null);
            }}
            onCancel={() => setResizing(null)}
          />
        ) : picked ? (
          <PortionPicker food={picked} units={props.units} onDraft={setDraft} onAdd={(g) => add(itemFor(picked, g) as Item, picked)} onCancel={() => setPickedFood(null)} />
        ) : custom ? (
          <CustomFood units={props.units} onAdd={(food, grams) => add(itemFor(food, grams) as Item)} onCancel={() => setCustom(false)} />
        ) : (
          <div class="card">
            <div class="field">
              <label for="food-search">Search foods</label>
              <input id="food-search" type="search" autocomplete="off" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} placeholder="e.g. yogurt, salmon, oats" />
              {props.foods.length === 0 ? <p class="hint">The food list downloads the first time you are online.</p> : null}
              {!online ? <p class="hint" data-testid="offline-search">You are offline: searching the foods saved on this phone.</p> : null}
            </div>
            {query ? (
              results === undefined ? (
                <p class="hint" role="status">
                  Searching…
                </p>
              ) : (
                <FoodList title="Results" testid="food-results" source={fromServer ? "server" : "phone"} query={q} foods={results} units={props.units} onPick={setPickedFood} />
              )
            ) : (
              <>
                <FoodList title="Favourites" testid="food-favourites" foods={favourites} units={props.units} onPick={setPickedFood} />
                <FoodList title="Recent" testid="food-recent" foods={recent} units={props.units} onPick={setPickedFood} />
              </>
            )}
            {q && results?.length === 0 ? <p class="empty">No food matches “{query}”.</p> : null}
            <button type="button" class="btn btn-block" onClick={() => setCustom(true)}>Add a food that is not listed</button>
            {/* Only while nothing would be lost by leaving: the meal being built lives on this screen. */}
            {!props.id && items.length === 0 ? <a class="btn btn-quiet" href="/more/settings/foods">Edit or delete my foods</a> : null}
          </div>
        )}
        {repeatable.length > 0 && !picked && !custom && !q ? <RepeatMeals meals={repeatable} /> : null}
        <WhenField label="When" value={when.value} onInput={when.onInput} error={when.error} />
        {mealAsk.view}
        {mealAsk.asking ? null : <button class="btn btn-primary btn-block" type="submit" disabled={items.length === 0 && !picked}>Save meal</button>}
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
      onClick={() => void setFavourite(props.food.id, !on, props.food)}
    >
      <span aria-hidden="true">{on ? "★" : "☆"}</span>
    </button>
  );
}

/** Past meals shown before any search: the latest few; the search reaches every one. */
const REPEAT_SHOWN = 3;

/** Past meals, each logged again (now, as a new meal) with one tap; any of them by search. */
function RepeatMeals(props: { meals: PastMeal[] }) {
  const [find, setFind] = useState("");
  const shown = find.trim() ? filterPastMeals(props.meals, find) : props.meals.slice(0, REPEAT_SHOWN);
  return (
    <section class="card" aria-labelledby="repeat-h" data-testid="repeat-meals">
      <h2 id="repeat-h">Repeat a meal</h2>
      {props.meals.length > REPEAT_SHOWN ? (
        <div class="field">
          <label for="past-meal-search">Find an earlier meal</label>
          <input id="past-meal-search" type="search" autocomplete="off" value={find} placeholder="e.g. porridge, lunch, Mon" onInput={(e) => setFind((e.target as HTMLInputElement).value)} />
        </div>
      ) : null}
      {find.trim() && shown.length === 0 ? <p class="empty">No earlier meal matches “{find}”.</p> : null}
      <ul class="list picker" data-testid="past-meals">
        {shown.map((m) => (
          <li key={m.id} class="food-row">
            <span class="pick">
              <strong>
                {m.name}, {m.when}
              </strong>
              <span class="muted">{m.foods}</span>
            </span>
            <button
              type="button"
              class="btn"
              aria-label={`Log again: ${m.name}, ${m.when}`}
              onClick={() => void repeatMeal(m).then(() => navigate("/today"))}
            >
              Log again
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function FoodList(props: { title: string; testid: string; source?: string; query?: string; foods: PackFood[]; units: UnitSystem; onPick: (food: PackFood) => void }) {
  if (props.foods.length === 0) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <ul class="list picker" data-testid={props.testid} data-source={props.source} data-query={props.query}>
        {props.foods.map((food) => (
          <li key={food.id} class="food-row">
            <button type="button" class="pick" onClick={() => props.onPick(food)}>
              <strong>{foodDisplayName(food.name)}</strong>
              {fullNameIfDifferent(food.name) ? <span class="muted full-name">{food.name}</span> : null}
              <span class="muted">
                {calciumLine(food.nutrients_per_100g?.calcium_mg, food.portions, props.units)}
                {food.source === "user" ? " · my food" : ""}
              </span>
            </button>
            <FavouriteStar food={food} />
          </li>
        ))}
      </ul>
    </>
  );
}


/** The food a meal's item was made from (its portions and star), or one of that name with no portions. */
function foodOfItem(item: Item, byId: Map<string, PackFood>): PackFood {
  const known = typeof item.food_id === "string" ? byId.get(item.food_id) : undefined;
  // No id: not a food on this phone, so no star (it would mark a food the phone cannot show).
  const unknownFood: PackFood = { id: "", name: item.food_name, portions: [] };
  return known ?? unknownFood;
}

/** Portion chips and an amount: for a food being added, or (with `grams`) one already in the meal. */
function PortionPicker(props: { food: PackFood; units: UnitSystem; grams?: number; submitLabel?: string; onDraft: (grams: string) => void; onAdd: (grams: number) => void; onCancel: () => void }) {
  const portions = props.food.portions ?? [];
  const [grams, setGrams] = useState(String(props.grams ?? portions[0]?.[1] ?? 100));
  // Remounts the amount field when a portion pill sets the grams, so its ounces follow.
  const [pick, setPick] = useState(0);
  // The chip tapped last: of two portions with the same weight, it is the one lit.
  const [tapped, setTapped] = useState<number | null>(props.grams === undefined && portions.length ? 0 : null);
  const lit = litPortion(portions, grams, tapped);
  const ask = useAskFirst();
  const { onDraft } = props;
  useEffect(() => onDraft(grams), [grams, onDraft]);
  return (
    <div class="card" data-testid="portion-picker">
      <div class="food-row">
        <h3>
          {foodDisplayName(props.food.name)}
          {fullNameIfDifferent(props.food.name) ? <span class="muted full-name">{props.food.name}</span> : null}
        </h3>
        {props.food.id ? <FavouriteStar food={props.food} /> : null}
      </div>
      <div class="choice-row">
        {portions.map(([label, g], i) => (
          <button key={`${i}-${label}`} type="button" class={lit === i ? "pill pill-on" : "pill"} aria-pressed={lit === i} onClick={() => { setGrams(String(g)); setTapped(i); setPick(pick + 1); }}>
            {portionLabel(label, g, props.units)}
          </button>
        ))}
      </div>
      <AmountField key={pick} label="Amount" name="grams" grams={grams} onGrams={setGrams} units={props.units} />
      {ask.view}
      {ask.asking ? null : (
        <div class="actions">
          {/* 5 kg of cheese is asked about, 50 kg refused (app/limits.ts), before it joins the meal. */}
          <button type="button" class="btn btn-primary" onClick={() => ask.guard([gramsCheck(Number(grams), foodDisplayName(props.food.name).toLowerCase(), props.units === "us")], () => props.onAdd(Number(grams)), props.units === "us" ? "f-grams_oz" : "f-grams")}>{props.submitLabel ?? "Add to meal"}</button>
          <button type="button" class="btn" onClick={props.onCancel}>Cancel</button>
        </div>
      )}
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
