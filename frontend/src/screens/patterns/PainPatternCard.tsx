/** Trends' card for joint pain after exercise days (PainPattern.tsx holds what Today shares). */
import { useEffect } from "preact/hooks";
import type { LocalData } from "../../app/day";
import { runtime } from "../../app/runtime";
import { MIN_PAIN_DAYS, type PainAfterExercise } from "../../scoring";
import { plural } from "../../scoring/wording";
import { SEEN_KEY, signature, usePainPattern } from "./PainPattern";

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
