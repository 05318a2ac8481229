/**
 * My foods: the foods a person added themselves, to edit (the create form, prefilled) or delete
 * (at once, with Undo). Both are local writes through the outbox, so they work offline, and the
 * food pack changes with them, so search shows the change at once.
 */
import { deleteEntry } from "../../app/entries";
import { customFoodInput, SERVING, updateCustomFood } from "../../app/foods";
import { useLive } from "../../app/hooks";
import { navigate } from "../../app/router";
import { runtime } from "../../app/runtime";
import { showToast } from "../../app/toast";
import { Layout, StateBadge, useStates } from "../../app/ui";
import { portionLabel, useUnitSystem, type UnitSystem } from "../../app/units";
import type { StoredRecord } from "../../storage/store";
import { CustomFoodForm } from "../log/customFood";

const LIST = "/more/settings/foods";

export function MyFoods(props: { id: string | null }) {
  return props.id ? <EditFood id={props.id} /> : <FoodsList />;
}

function FoodsList() {
  const rt = runtime();
  const foods = useLive(async () => (rt ? (await rt.store.list("custom_foods")).sort((a, b) => foodName(a).localeCompare(foodName(b))) : []), [rt]);
  const units = useUnitSystem();
  const states = useStates();
  return (
    <Layout title="My foods" back="/more/settings">
      <p>Foods you added yourself. Changes show in food search at once, on this phone and, once synced, on your other devices. Meals you already logged keep the amounts they had.</p>
      {foods === undefined ? (
        <p>Loading…</p>
      ) : foods.length === 0 ? (
        <div class="card">
          <p class="empty">You have not added any foods of your own yet.</p>
          <p>On the meal screen, choose “Add a food that is not listed” to add one from its label.</p>
          <a class="btn" href="/log/meal">Log a meal</a>
        </div>
      ) : (
        <ul class="list" data-testid="my-foods">
          {foods.map((r) => {
            const name = foodName(r);
            return (
              <li key={r.key} class="list-row">
                <div>
                  <strong>{name}</strong>
                  <br />
                  <span class="muted">{describe(r, units)}</span>
                  <div><StateBadge state={states.get(r.key)} /></div>
                </div>
                <div class="row-actions">
                  <a class="btn btn-quiet" href={`${LIST}?id=${r.id}`} aria-label={`Edit: ${name}`}>Edit</a>
                  <button type="button" class="btn btn-quiet" aria-label={`Delete: ${name}`} onClick={() => void deleteEntry("custom_foods", r.id, name)}>Delete</button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}

function EditFood(props: { id: string }) {
  const rt = runtime();
  const rec = useLive(async () => (rt ? (await rt.store.get("custom_foods", props.id)) ?? null : null), [rt, props.id]);
  const units = useUnitSystem();
  const live = rec && !rec.deleted && rec.fields ? rec : null;
  return (
    <Layout title="Edit food" back={LIST}>
      {rec === undefined || !units ? (
        <p>Loading…</p>
      ) : !live ? (
        <div class="card">
          <p>This food is no longer in your foods.</p>
          <a class="btn" href={LIST}>Back to my foods</a>
        </div>
      ) : (
        <>
          <CustomFoodForm
            units={units}
            title={foodName(live)}
            hint="Amounts as on the label. Leave blank what the label doesn't say."
            submitLabel="Save changes"
            initial={customFoodInput(live.fields ?? {})}
            onSave={async (input) => {
              await updateCustomFood(props.id, input);
              showToast(`${input.name.trim()} saved.`);
              navigate(LIST);
            }}
            onCancel={() => navigate(LIST)}
          />
          <button
            type="button"
            class="btn btn-danger btn-block"
            onClick={() => void deleteEntry("custom_foods", props.id, foodName(live)).then(() => navigate(LIST))}
          >
            Delete this food
          </button>
        </>
      )}
    </Layout>
  );
}

function foodName(r: StoredRecord): string {
  return String(r.fields?.name ?? "My food");
}

/** "120 mg calcium per 100 g · 1 serving (250 g)". */
function describe(r: StoredRecord, units: UnitSystem | undefined): string {
  const input = customFoodInput(r.fields ?? {});
  const per100 = (r.fields?.nutrients_per_100g as Record<string, number> | undefined)?.calcium_mg ?? 0;
  const calcium = `${Math.round(per100)} mg calcium per 100 g`;
  return input.servingGrams ? `${calcium} · ${portionLabel(SERVING, input.servingGrams, units)}` : calcium;
}
