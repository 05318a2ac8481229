/**
 * computeDayReport: one local day's scores, flags, adherence and next best action; the
 * TypeScript port of backend/fortify/scoring/engine.py, held to the same golden vectors
 * (tests/golden/scoring/*.json), so the PWA can score a day offline the moment an entry is
 * logged and swap in the server's report after sync.
 *
 * Pipeline: gather the facts (local days, windows, sums), evaluate each component of §3, weight
 * them per domain, then derive flags (§4), adherence (§4a) and the next best action (§5).
 *
 * Renormalisation. A component that does not apply to this person (vitamin K on an
 * anticoagulant, high-impact without clearance, healthy weight without a weight) is excluded, and
 * its weight goes to the domain's other components in proportion: effective weight = weight /
 * sum of the weights still in play.
 *
 * Rounding. Domain scores are roundHalfUp(100 x sum of effective weight x credit); overall is
 * computed from the three *unrounded* domain values, so rounding happens once, at the end. Sums
 * run in the same order as Python's so both engines see the same floats. Credits in the report
 * are rounded to 3 decimals for display only; every score and the next best action use the
 * unrounded credits.
 *
 * Pure: no clock (the day is passed in), no I/O, no DOM.
 */

import { type Candidate, nextBestAction } from "./actions";
import { adherenceFor } from "./adherence";
import {
  COMPONENTS,
  type ComponentSpec,
  DOMAIN_WEIGHTS,
  DOMAINS,
  type Evaluation,
} from "./components";
import { type Facts, gather } from "./facts";
import { dayFlags } from "./flags";
import { roundHalfUp, roundPlaces } from "./formulas";
import type { ComponentResult, DayInput, DayReport, Domain, Totals } from "./types";

type Evaluated = readonly [ComponentSpec, Evaluation];

export function computeDayReport(inp: DayInput): DayReport {
  const facts = gather(inp);
  const evaluated: Evaluated[] = COMPONENTS.map((spec) => [spec, spec.evaluate(facts)] as const);
  const weights = effectiveWeights(evaluated);
  const candidates: Candidate[] = [];
  for (const [spec, ev] of evaluated) {
    if (ev.kind === "scored") {
      candidates.push({ spec, effectiveWeight: weights.get(spec.key) ?? 0, credit: ev.credit });
    }
  }
  const domains = {} as Record<Domain, number>;
  for (const domain of DOMAINS) domains[domain] = domainValue(candidates, domain);
  let overall = 0;
  for (const domain of DOMAINS) overall += DOMAIN_WEIGHTS[domain] * domains[domain];
  return {
    date: facts.day,
    overall: roundHalfUp(overall),
    bone: roundHalfUp(domains.bone),
    heart: roundHalfUp(domains.heart),
    joint: roundHalfUp(domains.joint),
    components: evaluated.map(([spec, ev]) => result(spec, ev, weights.get(spec.key) ?? 0)),
    totals: totals(facts),
    flags: dayFlags(facts),
    adherence: adherenceFor(facts.regimen, facts.doses, facts.day, facts.itemStarts),
    next_best_action: nextBestAction(candidates, facts),
    entry_count: facts.entryCount,
  };
}

/** Component key -> weight renormalised over its domain's non-excluded components. */
export function effectiveWeights(evaluated: readonly Evaluated[]): Map<string, number> {
  const inPlay: Record<Domain, number> = { bone: 0, heart: 0, joint: 0 };
  for (const [spec, ev] of evaluated) {
    if (ev.kind === "scored") inPlay[spec.domain] += spec.weight;
  }
  return new Map(
    evaluated.map(([spec, ev]) => [
      spec.key,
      ev.kind === "excluded" ? 0 : spec.weight / inPlay[spec.domain],
    ]),
  );
}

/** The domain's unrounded 0..1 value: sum of effective weight x credit. */
export function domainValue(candidates: readonly Candidate[], domain: Domain): number {
  let value = 0;
  for (const c of candidates) if (c.spec.domain === domain) value += c.effectiveWeight * c.credit;
  return value;
}

function result(spec: ComponentSpec, ev: Evaluation, effectiveWeight: number): ComponentResult {
  if (ev.kind === "excluded") {
    return {
      key: spec.key,
      domain: spec.domain,
      weight: spec.weight,
      effective_weight: 0,
      credit: 0,
      value: null,
      target: null,
      unit: "",
      excluded: true,
      excluded_reason: ev.reason,
      explanation: ev.reason,
    };
  }
  return {
    key: spec.key,
    domain: spec.domain,
    weight: spec.weight,
    effective_weight: effectiveWeight,
    credit: roundPlaces(ev.credit, 3),
    value: ev.value,
    target: ev.target,
    unit: ev.unit,
    excluded: false,
    excluded_reason: null,
    explanation: ev.explanation,
  };
}

function totals(f: Facts): Totals {
  const { today, week } = f;
  return {
    calcium_mg: today.total("calcium_mg"),
    calcium_food_mg: today.foodAmount("calcium_mg"),
    calcium_supplement_mg: today.supplementAmount("calcium_mg"),
    largest_calcium_sitting_mg: f.largestSittingMg,
    vitamin_d_iu: today.total("vitamin_d_iu"),
    vitamin_d_iu_7day_avg: week.total("vitamin_d_iu") / 7,
    vitamin_d_supplement_iu_7day_avg: week.supplementAmount("vitamin_d_iu") / 7,
    magnesium_mg: today.total("magnesium_mg"),
    magnesium_supplement_mg: today.supplementAmount("magnesium_mg"),
    vitamin_k_mcg: today.total("vitamin_k_mcg"),
    vitamin_k_food_mcg: today.foodAmount("vitamin_k_mcg"),
    epa_dha_mg: today.epaDhaMg(),
    epa_dha_mg_7day_avg: week.epaDhaMg() / 7,
    ala_g: today.total("ala_g"),
    fiber_g: today.total("fiber_g"),
    servings: Object.fromEntries(today.servings),
    minutes_w7: { ...f.activity.minutes },
    days_w7: { ...f.activity.days },
    muscle_groups_w7: [...f.activity.muscleGroups],
  };
}
