/**
 * Joint pain after exercise days (PROTOCOL.md §8): worked out on this phone from the check-ins
 * and workouts in IndexedDB (`localPatterns`), so it shows offline. Trends always shows it
 * (with how many more check-ins are needed while it cannot tell yet); Today shows it once, when
 * it is newly shown, until the person has seen it. Trends' card is in PainPatternCard.tsx, out
 * of the first download that carries Today.
 */
import { useMemo } from "preact/hooks";
import { localPatterns, type LocalData } from "../../app/day";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import type { PainAfterExercise } from "../../scoring";

/** Meta key: the pattern (direction) the person has already seen. */
export const SEEN_KEY = "pattern_seen:pain_after_exercise";

export function usePainPattern(data: LocalData, day: string): PainAfterExercise | null {
  return useMemo(() => localPatterns(data, day)?.pain_after_exercise ?? null, [data, day]);
}

/** What the person has seen of the pattern: shown, and which way. */
export function signature(p: PainAfterExercise): string {
  return p.shown ? `shown:${p.direction ?? ""}` : "not-shown";
}

/** Today: the pattern, once, when it is newly shown (or its direction changed). */
export function NewPatternNotice(props: { data: LocalData; day: string }) {
  const pattern = usePainPattern(props.data, props.day);
  const rt = runtime();
  const seen = useLive(async () => (rt ? ((await rt.store.getMeta<string>(SEEN_KEY)) ?? null) : null), [rt]);
  if (!rt || !pattern?.shown || seen === undefined || seen === signature(pattern)) return null;
  return (
    <section class="card pattern" aria-labelledby="new-pattern-h" data-testid="new-pattern">
      <h2 id="new-pattern-h">New in your log: joint pain after exercise</h2>
      <p>{pattern.text}</p>
      <div class="actions">
        <a class="btn" href="/trends">See it in Trends</a>
        <button type="button" class="btn btn-quiet" onClick={() => void rt.store.setMeta(SEEN_KEY, signature(pattern))}>
          Got it
        </button>
      </div>
    </section>
  );
}
