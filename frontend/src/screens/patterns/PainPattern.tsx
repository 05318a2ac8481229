/**
 * Joint pain after exercise days (PROTOCOL.md §8): worked out on this phone from the check-ins
 * and workouts in IndexedDB (`localPatterns`), so it shows offline. Trends always shows it
 * (with how many more check-ins are needed while it cannot tell yet); Today shows it once, when
 * it is newly shown, until the person has seen it.
 */
import { useEffect, useMemo } from "preact/hooks";
import { localPatterns, type LocalData } from "../../app/day";
import { useLive } from "../../app/hooks";
import { runtime } from "../../app/runtime";
import { MIN_PAIN_DAYS, type PainAfterExercise } from "../../scoring";
import { plural } from "../../scoring/wording";

/** Meta key: the pattern (direction) the person has already seen. */
export const SEEN_KEY = "pattern_seen:pain_after_exercise";

export function usePainPattern(data: LocalData, day: string): PainAfterExercise | null {
  return useMemo(() => localPatterns(data, day)?.pain_after_exercise ?? null, [data, day]);
}

function signature(p: PainAfterExercise): string {
  return p.shown ? `shown:${p.direction ?? ""}` : "not-shown";
}

const WORDS: Record<string, string> = {
  lower: "Less pain after exercise days",
  higher: "More pain after exercise days",
  no_clear_difference: "No clear difference yet",
};

/** The Trends card: the pattern in plain words, or the check-ins still needed. */
export function PainPatternCard(props: { data: LocalData; day: string }) {
  const pattern = usePainPattern(props.data, props.day);
  const rt = runtime();
  useEffect(() => {
    // Seeing it here counts as seeing it: Today stops announcing it.
    if (rt && pattern?.shown) void rt.store.setMeta(SEEN_KEY, signature(pattern));
  }, [rt, pattern]);
  if (!pattern) return null;
  return (
    <section class="card pattern" aria-labelledby="pattern-h" data-testid="pain-pattern">
      <h2 id="pattern-h">Joint pain after exercise days</h2>
      {pattern.shown ? <Shown pattern={pattern} /> : <NotYet pattern={pattern} />}
    </section>
  );
}

function Shown(props: { pattern: PainAfterExercise }) {
  const p = props.pattern;
  return (
    <>
      <p class="pattern-headline" data-testid="pattern-headline"><strong>{WORDS[p.direction ?? ""] ?? ""}</strong></p>
      <dl class="pattern-figures">
        <div>
          <dt>After a day you exercised</dt>
          <dd>{p.mean_after_exercise?.toFixed(1)} of 10 <span class="muted">({plural(p.after_exercise_days, "check-in")})</span></dd>
        </div>
        <div>
          <dt>After a rest day</dt>
          <dd>{p.mean_after_rest?.toFixed(1)} of 10 <span class="muted">({plural(p.after_rest_days, "check-in")})</span></dd>
        </div>
      </dl>
      <p data-testid="pattern-text">{p.text}</p>
    </>
  );
}

function NotYet(props: { pattern: PainAfterExercise }) {
  const p = props.pattern;
  const groups = [
    { label: "Check-ins after exercise days", have: p.after_exercise_days },
    { label: "Check-ins after rest days", have: p.after_rest_days },
  ];
  return (
    <>
      <p>Does exercise change how your joints feel the next day? Your check-ins can tell.</p>
      <ul class="pattern-progress">
        {groups.map((g) => {
          const have = Math.min(MIN_PAIN_DAYS, g.have);
          return (
            <li key={g.label}>
              <span>{g.label}: {have} of {MIN_PAIN_DAYS}</span>
              <progress max={MIN_PAIN_DAYS} value={have} aria-label={`${g.label}: ${have} of ${MIN_PAIN_DAYS}`} />
            </li>
          );
        })}
      </ul>
      <p data-testid="pattern-needed">{p.text}</p>
    </>
  );
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
