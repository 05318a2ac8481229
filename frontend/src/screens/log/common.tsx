/** Shared by the log screens: load the record being edited, save, go back to Today. */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { toLocalInput } from "../../app/forms";
import { whenProblem } from "../../app/when";
import { nowInstant } from "../../app/day";
import { currentZone, instantFromWall } from "../../app/zone";
import { deleteEntry, saveEntry } from "../../app/entries";
import { useLive } from "../../app/hooks";
import { navigate } from "../../app/router";
import { runtime } from "../../app/runtime";
import { Layout } from "../../app/ui";
import type { EntityFields, EntityName } from "../../api/entities";
import type { StoredRecord } from "../../storage/store";

/** undefined while loading, null for a new entry. */
export function useEditing(entity: EntityName, id: string | null): StoredRecord | null | undefined {
  const rt = runtime();
  return useLive(async () => (id && rt ? (await rt.store.get(entity, id)) ?? null : null), [rt, entity, id]);
}

/** <input type=datetime-local> value (a wall clock in her zone) to an ISO instant. */
export function fromLocalInput(value: string): string {
  if (!value) return nowInstant();
  try {
    return instantFromWall(value, currentZone());
  } catch {
    return nowInstant();
  }
}

/**
 * The "When" of a log form: its input value, and `instant()`, which gives the ISO instant to save
 * or, when the server would refuse it (app/when.ts), null after showing why next to the field.
 * Every log form saves through it, so no refused time reaches the outbox.
 */
export function useWhen(saved: string | undefined) {
  const [value, setValue] = useState(toLocalInput(saved));
  const [error, setError] = useState<string | null>(null);
  return {
    value,
    error,
    onInput: (v: string) => {
      setValue(v);
      setError(null);
    },
    instant: (): string | null => {
      const at = fromLocalInput(value);
      const problem = whenProblem(at);
      setError(problem);
      return problem ? null : at;
    },
  };
}

export async function saveAndGoBack<E extends EntityName>(entity: E, id: string | null, fields: EntityFields[E]): Promise<void> {
  await saveEntry(entity, id, fields);
  navigate("/today");
}

export function LogLayout(props: { title: string; entity: EntityName; id: string | null; children: ComponentChildren }) {
  return (
    <Layout title={props.title} back="/today">
      {props.children}
      {props.id ? (
        <button
          type="button"
          class="btn btn-danger btn-block"
          onClick={() => {
            void deleteEntry(props.entity, props.id as string).then(() => navigate("/today"));
          }}
        >
          Delete this entry
        </button>
      ) : null}
    </Layout>
  );
}

export function Loading() {
  return <p>Loading…</p>;
}
