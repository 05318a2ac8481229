/**
 * Today's "What makes up your scores": each component's amount, progress and explanation, and
 * in her first week her own days' figure under a 7-day one (app/ownDays.ts). Below the fold and
 * drawn after the first paint, so it is its own chunk (the service worker precaches it): it
 * stays out of the first download.
 */
import { componentAmount, componentProgressWords } from "../../app/numbers";
import type { ownDaysNote } from "../../app/ownDays";
import { localiseText, type UnitSystem } from "../../app/units";
import type { ComponentResult, DayReport } from "../../scoring";
import { COMPONENT_TOPIC, learnHref } from "../learn/topics";
import { COMPONENT_LABEL, DOMAIN_LABEL } from "./labels";

/** `ownDaysNote`: app/ownDays.ts, passed in by Today (it is in the first download, not a chunk of its own). */
export type ComponentsProps = { report: DayReport; units: UnitSystem; weightsKg: readonly number[]; day: string; first: string | null; ownDaysNote: typeof ownDaysNote };

export function Components(props: ComponentsProps) {
  const domains = ["bone", "heart", "joint"] as const;
  // Her own days' figure under a 7-day one in her first week (app/ownDays.ts).
  const epaDha = props.report.components.find((c) => c.key === "epa_dha")?.value ?? null;
  const noteOf = (c: ComponentResult) => props.ownDaysNote(c, props.day, props.first, epaDha);
  return (
    <section aria-labelledby="comp-h">
      <h2 id="comp-h">What makes up your scores</h2>
      {domains.map((d) => (
        <div key={d} class="card">
          <h3>{DOMAIN_LABEL[d]}</h3>
          <ul class="components">
            {props.report.components.filter((c) => c.domain === d).map((c) => (
              <ComponentRow key={c.key} c={c} units={props.units} weightsKg={props.weightsKg} note={noteOf(c)} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function ComponentRow(props: { c: ComponentResult; units: UnitSystem; weightsKg: readonly number[]; note: string | null }) {
  const { c } = props;
  const pct = Math.round(c.credit * 100);
  return (
    <li class={c.excluded ? "component excluded" : "component"} data-key={c.key} data-credit={String(c.credit)}>
      <div class="component-head">
        <span>{COMPONENT_LABEL[c.key] ?? c.key}</span>
        <span class="muted">
          {componentAmount(c)}
        </span>
      </div>
      {!c.excluded ? (
        <progress max={100} value={pct} aria-label={`${COMPONENT_LABEL[c.key] ?? c.key}: ${componentProgressWords(c)}`} />
      ) : null}
      <p class="hint">
        <span class="explanation">{localiseText(c.excluded ? c.excluded_reason ?? c.explanation : c.explanation, props.units, props.weightsKg)}</span>
        {COMPONENT_TOPIC[c.key] ? <>{" "}<a class="learn-link" href={learnHref(COMPONENT_TOPIC[c.key] ?? "")} aria-label={`Why this matters: ${COMPONENT_LABEL[c.key] ?? ""}`}>Why this matters</a></> : null}
      </p>
      {props.note ? <p class="hint" data-testid="own-days-note">{props.note}</p> : null}
    </li>
  );
}
