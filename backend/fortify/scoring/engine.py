"""compute_day_report: one local day's scores, flags, adherence and next best action.

Pipeline: gather the facts (local days, windows, sums), evaluate each component of §3, weight
them per domain, then derive flags (§4), adherence (§4a) and the next best action (§5).

Renormalisation. A component that does not apply to this person (vitamin K on an anticoagulant,
high-impact without clearance, healthy weight without a weight) is excluded, and its weight goes
to the domain's other components in proportion: effective weight = weight / sum of the weights
still in play. A person is then scored on what applies to them, and the best day still scores
100 rather than being capped by weights they can never earn.

Rounding. Domain scores are round_half_up(100 x sum of effective weight x credit); overall is
computed from the three *unrounded* domain values, so rounding happens once, at the end (see
formulas.round_half_up for the epsilon). Credits in the report are rounded to 3 decimals for
display only; every score and the next best action use the unrounded credits.
"""

from __future__ import annotations

from collections.abc import Sequence

from fortify.scoring.actions import Candidate, next_best_action
from fortify.scoring.adherence import adherence_for
from fortify.scoring.components import (
    COMPONENTS,
    DOMAIN_WEIGHTS,
    ComponentSpec,
    Evaluation,
    Excluded,
)
from fortify.scoring.facts import Facts, gather
from fortify.scoring.flags import day_flags
from fortify.scoring.formulas import round_half_up, round_places
from fortify.scoring.model import ComponentResult, DayInput, DayReport, Domain, Totals

Evaluated = tuple[ComponentSpec, Evaluation]


def compute_day_report(inp: DayInput) -> DayReport:
    facts = gather(inp)
    evaluated = [(spec, spec.evaluate(facts)) for spec in COMPONENTS]
    weights = effective_weights(evaluated)
    candidates = [
        Candidate(spec=spec, effective_weight=weights[spec.key], credit=ev.credit)
        for spec, ev in evaluated
        if not isinstance(ev, Excluded)
    ]
    domains = {domain: domain_value(candidates, domain) for domain in DOMAIN_WEIGHTS}
    overall = sum(DOMAIN_WEIGHTS[d] * value for d, value in domains.items())
    return DayReport(
        date=inp.day,
        overall=round_half_up(overall),
        bone=round_half_up(domains["bone"]),
        heart=round_half_up(domains["heart"]),
        joint=round_half_up(domains["joint"]),
        components=tuple(_result(spec, ev, weights[spec.key]) for spec, ev in evaluated),
        totals=_totals(facts),
        flags=day_flags(facts),
        adherence=adherence_for(facts.regimen, facts.doses, facts.day, facts.item_starts),
        next_best_action=next_best_action(candidates, facts),
        entry_count=facts.entry_count,
    )


def effective_weights(evaluated: Sequence[Evaluated]) -> dict[str, float]:
    """Component key -> weight renormalised over its domain's non-excluded components."""
    in_play: dict[Domain, float] = dict.fromkeys(DOMAIN_WEIGHTS, 0.0)
    for spec, ev in evaluated:
        if not isinstance(ev, Excluded):
            in_play[spec.domain] += spec.weight
    return {
        spec.key: 0.0 if isinstance(ev, Excluded) else spec.weight / in_play[spec.domain]
        for spec, ev in evaluated
    }


def domain_value(candidates: Sequence[Candidate], domain: Domain) -> float:
    """The domain's unrounded 0..1 value: sum of effective weight x credit."""
    return sum(c.effective_weight * c.credit for c in candidates if c.spec.domain == domain)


def _result(spec: ComponentSpec, ev: Evaluation, effective_weight: float) -> ComponentResult:
    if isinstance(ev, Excluded):
        return ComponentResult(
            key=spec.key,
            domain=spec.domain,
            weight=spec.weight,
            effective_weight=0.0,
            credit=0.0,
            value=None,
            target=None,
            unit="",
            excluded=True,
            excluded_reason=ev.reason,
            explanation=ev.reason,
        )
    return ComponentResult(
        key=spec.key,
        domain=spec.domain,
        weight=spec.weight,
        effective_weight=effective_weight,
        credit=round_places(ev.credit, 3),
        value=ev.value,
        target=ev.target,
        unit=ev.unit,
        explanation=ev.explanation,
    )


def _totals(f: Facts) -> Totals:
    today, week = f.today, f.week
    return Totals(
        calcium_mg=today.total("calcium_mg"),
        calcium_food_mg=today.food_amount("calcium_mg"),
        calcium_supplement_mg=today.supplement_amount("calcium_mg"),
        largest_calcium_sitting_mg=f.largest_sitting_mg,
        vitamin_d_iu=today.total("vitamin_d_iu"),
        vitamin_d_iu_7day_avg=week.total("vitamin_d_iu") / 7,
        vitamin_d_supplement_iu_7day_avg=week.supplement_amount("vitamin_d_iu") / 7,
        magnesium_mg=today.total("magnesium_mg"),
        magnesium_supplement_mg=today.supplement_amount("magnesium_mg"),
        vitamin_k_mcg=today.total("vitamin_k_mcg"),
        vitamin_k_food_mcg=today.food_amount("vitamin_k_mcg"),
        epa_dha_mg=today.epa_dha_mg(),
        epa_dha_mg_7day_avg=week.epa_dha_mg() / 7,
        ala_g=today.total("ala_g"),
        fiber_g=today.total("fiber_g"),
        servings=dict(today.servings),
        minutes_w7=dict(f.activity.minutes),
        days_w7=dict(f.activity.days),
        muscle_groups_w7=f.activity.muscle_groups,
    )
