/** Shared by the log screens: load the record being edited, save, go back to Today (or the History day it was opened from). */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { aheadQuestion, whenProblem } from "../../app/when";
import type { AmountCheck } from "../../app/limits";
import { WHEN_FIELD_ID } from "../../app/forms";
import { nowInstant } from "../../app/day";
import { currentZone, fmtDayTime, instantFromWall, wallTime } from "../../app/zone";
import { deleteEntry, saveEntry } from "../../app/entries";
import { useLive, useZone } from "../../app/hooks";
import { navigate } from "../../app/router";
import { runtime } from "../../app/runtime";
import { Layout } from "../../app/ui";
import type { EntityFields, EntityName } from "../../api/entities";
import type { Fields, StoredRecord } from "../../storage/store";
import { savedWords } from "../../app/saved";
import { showToast } from "../../app/toast";

/** undefined while loading, null for a new entry. */
export function useEditing(entity: EntityName, id: string | null): StoredRecord | null | undefined {
  const rt = runtime();
  return useLive(async () => (id && rt ? (await rt.store.get(entity, id)) ?? null : null), [rt, entity, id]);
}

/** <input type=datetime-local> value (a wall clock in `zone`) to an ISO instant. */
export function fromLocalInput(value: string, zone: string = currentZone()): string {
  if (!value) return nowInstant();
  try {
    return instantFromWall(value, zone);
  } catch {
    return nowInstant();
  }
}

/**
 * What a "When" field shows and saves, as pure state: the instant it started from (the saved
 * entry's, or the moment the form opened) and what the person typed (null: untouched). While
 * untouched, the field shows that instant in her zone, whichever zone is known now, so a form
 * opened before her profile was read moves from the device's clock to hers when it arrives,
 * and never saves the device's wall clock as hers. What she typed is never replaced.
 */
export interface WhenState {
  start: string;
  saved: boolean;
  typed: string | null;
}

export function whenValue(state: WhenState, zone: string): string {
  return state.typed ?? wallTime(state.start, zone);
}

/** The instant to save: the entry's own when untouched, else her wall clock read in her zone. */
export function whenInstant(state: WhenState, zone: string): string {
  if (state.typed === null && state.saved) return state.start;
  return fromLocalInput(whenValue(state, zone), zone);
}

/**
 * The "When" of a log form: its input value, and `instant()`, which gives the ISO instant to save
 * or, when the server would refuse it (app/when.ts), null after showing why next to the field.
 * Every log form saves through it, so no refused time reaches the outbox.
 */
export function useWhen(saved: string | undefined) {
  const zone = useZone();
  const [state, setState] = useState<WhenState>(() => ({ start: saved ?? nowInstant(), saved: saved !== undefined, typed: null }));
  const [error, setError] = useState<string | null>(null);
  return {
    value: whenValue(state, zone),
    error,
    /** Whether she changed the time (a new entry untouched saves the moment the form opened). */
    touched: state.typed !== null,
    onInput: (v: string) => {
      setState({ ...state, typed: v });
      setError(null);
    },
    instant: (): string | null => {
      const at = whenInstant(state, zone);
      const problem = whenProblem(at);
      setError(problem);
      return problem ? null : at;
    },
    /** The question for a time later than now (asked with the form's other checks). */
    ahead: (at: string): AmountCheck => {
      const question = aheadQuestion(at, fmtDayTime(at, zone));
      return question ? { kind: "ask", message: question, field: WHEN_FIELD_ID } : { kind: "ok" };
    },
  };
}

/**
 * Where a log form goes back to: the History day it was opened from (`?back=/history/<day>`),
 * else Today. Only a History day is accepted, so a crafted link cannot send her elsewhere.
 */
export function backPath(search: string = typeof location === "undefined" ? "" : location.search): string {
  const back = new URLSearchParams(search).get("back") ?? "";
  return /^\/history\/\d{4}-\d{2}-\d{2}$/.test(back) ? back : "/today";
}

/** Saves, goes back (to Today, or the History day it came from), and says it was saved (announced: the toast is a live region). */
/** `note`: a line said after "saved" (a lab result's reading against its reference range). */
export async function saveAndGoBack<E extends EntityName>(entity: E, id: string | null, fields: EntityFields[E], note?: string): Promise<void> {
  const back = backPath();
  await saveEntry(entity, id, fields);
  navigate(back);
  const written: Fields = fields;
  const saved = savedWords(entity, written, navigator.onLine);
  showToast(note ? `${saved} ${note}` : saved);
}

export function LogLayout(props: { title: string; entity: EntityName; id: string | null; children: ComponentChildren }) {
  return (
    <Layout title={props.title} back={backPath()}>
      {props.children}
      {props.id ? (
        <button
          type="button"
          class="btn btn-danger btn-block"
          onClick={() => {
            const back = backPath();
            void deleteEntry(props.entity, props.id as string).then(() => navigate(back));
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
