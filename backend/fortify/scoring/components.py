"""The scored components of PROTOCOL.md §3, one small function each.

Each function reads the gathered `Facts` and returns either a `Scored` credit (0..1, with the
measured value, its target and a plain-language line) or an `Excluded` reason. Weights live in
`COMPONENTS`, in the protocol's table order, which is also the tie-break order of the next best
action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fortify.scoring.activities import MUSCLE_GROUPS
from fortify.scoring.facts import Facts
from fortify.scoring.formulas import lin
from fortify.scoring.model import Domain
from fortify.scoring.tables import COMPONENT_WEIGHTS
from fortify.scoring.tables import DOMAIN_WEIGHTS as DOMAIN_WEIGHTS
from fortify.scoring.targets import (
    CALCIUM_SITTING_FULL_MG,
    CALCIUM_SITTING_HALF_MG,
    CALCIUM_SITTING_RULE,
    CALCIUM_UPPER_LIMIT_MG,
)
from fortify.scoring.wording import num, plural, say


@dataclass(frozen=True, kw_only=True)
class Scored:
    credit: float
    value: float | None
    target: float | None
    unit: str
    explanation: str


@dataclass(frozen=True, kw_only=True)
class Excluded:
    reason: str


Evaluation = Scored | Excluded


@dataclass(frozen=True, kw_only=True)
class ComponentSpec:
    key: str
    domain: Domain
    weight: float
    evaluate: Callable[[Facts], Evaluation]


# --- bone --------------------------------------------------------------------------------------


def calcium_total(f: Facts) -> Evaluation:
    total, target = f.today.total("calcium_mg"), f.targets["calcium_mg"]
    parts = say(
        "component.calcium_total.parts",
        food=num(f.today.food_amount("calcium_mg")),
        supplements=num(f.today.supplement_amount("calcium_mg")),
    )
    limit = f.calcium_upper_limit_mg
    if total > limit:
        above = (
            say("component.calcium_total.upper_limit")
            if limit == CALCIUM_UPPER_LIMIT_MG
            else say("calcium.own_target", limit=num(limit))
        )
        line = say("component.calcium_total.above", total=num(total), parts=parts, limit=above)
        return Scored(credit=0.5, value=total, target=target, unit="mg", explanation=line)
    line = say("component.calcium_total", total=num(total), target=num(target), parts=parts)
    return Scored(
        credit=lin(total, target), value=total, target=target, unit="mg", explanation=line
    )


def calcium_sittings(f: Facts) -> Evaluation:
    largest = f.largest_sitting_mg
    if not f.sittings:
        credit, line = 1.0, say("component.calcium_sittings.none")
    else:
        credit = (
            1.0
            if largest <= CALCIUM_SITTING_FULL_MG
            else 0.5
            if largest <= CALCIUM_SITTING_HALF_MG
            else 0.0
        )
        line = say("component.calcium_sittings", largest=num(largest), rule=CALCIUM_SITTING_RULE)
    return Scored(
        credit=credit, value=largest, target=CALCIUM_SITTING_FULL_MG, unit="mg", explanation=line
    )


def vitamin_d(f: Facts) -> Evaluation:
    average, target = f.week.total("vitamin_d_iu") / 7, f.targets["vitamin_d_iu"]
    line = say("component.vitamin_d", average=num(average), target=num(target))
    return Scored(
        credit=lin(average, target),
        value=average,
        target=target,
        unit="IU/day (7-day average)",
        explanation=line,
    )


def vitamin_k(f: Facts) -> Evaluation:
    if f.profile.on_anticoagulant:
        return Excluded(reason=say("component.vitamin_k.excluded"))
    food, target = f.today.food_amount("vitamin_k_mcg"), f.targets["vitamin_k_mcg"]
    if f.vitamin_k_supplement_today:
        line = say("component.vitamin_k.supplement")
        return Scored(credit=1.0, value=food, target=target, unit="mcg", explanation=line)
    line = say("component.vitamin_k", food=num(food), target=num(target))
    return Scored(credit=lin(food, target), value=food, target=target, unit="mcg", explanation=line)


def magnesium(f: Facts) -> Evaluation:
    total, target = f.today.total("magnesium_mg"), f.targets["magnesium_mg"]
    line = say("component.magnesium", total=num(total), target=num(target))
    return Scored(
        credit=lin(total, target), value=total, target=target, unit="mg", explanation=line
    )


def weight_bearing(f: Facts) -> Evaluation:
    return _minutes(f, "weight_bearing_aerobic", "weight_bearing_minutes", "weight_bearing")


def resistance(f: Facts) -> Evaluation:
    days, target = f.activity.days["resistance"], f.targets["resistance_days"]
    groups = len(f.activity.muscle_groups)
    credit = 0.5 * lin(days, target) + 0.5 * (groups / len(MUSCLE_GROUPS))
    line = say(
        "component.resistance",
        days=plural(days, "day"),
        target=num(target),
        groups=str(groups),
    )
    return Scored(credit=credit, value=days, target=target, unit="days", explanation=line)


def high_impact(f: Facts) -> Evaluation:
    if not f.profile.cleared_for_high_impact:
        return Excluded(reason=say("component.high_impact.excluded"))
    return _days(f, "high_impact", "high_impact_days", "high_impact")


# --- heart -------------------------------------------------------------------------------------


def epa_dha(f: Facts) -> Evaluation:
    average, target = f.week.epa_dha_mg() / 7, f.targets["epa_dha_mg"]
    line = say("component.epa_dha", average=num(average), target=num(target))
    return Scored(
        credit=lin(average, target),
        value=average,
        target=target,
        unit="mg/day (7-day average)",
        explanation=line,
    )


def ala(f: Facts) -> Evaluation:
    return _daily(f, "ala_g", "ala_g", "g", "ala", places=1)


def fiber(f: Facts) -> Evaluation:
    return _daily(f, "fiber_g", "fiber_g", "g", "fiber", places=0)


def soluble_fiber_foods(f: Facts) -> Evaluation:
    return _servings(f, "soluble_fiber", "soluble_fiber_servings", "soluble_fiber_foods")


def polyphenol_foods(f: Facts) -> Evaluation:
    return _servings(f, "polyphenol", "polyphenol_servings", "polyphenol_foods")


def mufa_foods(f: Facts) -> Evaluation:
    return _servings(f, "mufa", "mufa_servings", "mufa_foods")


def aerobic(f: Facts) -> Evaluation:
    return _minutes(f, "aerobic", "aerobic_minutes", "aerobic")


# --- joint -------------------------------------------------------------------------------------


def low_impact(f: Facts) -> Evaluation:
    return _days(f, "low_impact", "low_impact_days", "low_impact")


def anti_inflammatory_foods(f: Facts) -> Evaluation:
    """Half omega-3 (EPA + DHA, 7-day average), half polyphenol servings today."""
    average, epa_target = f.week.epa_dha_mg() / 7, f.targets["epa_dha_mg"]
    servings, poly_target = f.today.servings["polyphenol"], f.targets["polyphenol_servings"]
    credit = 0.5 * lin(average, epa_target) + 0.5 * lin(servings, poly_target)
    line = say(
        "component.anti_inflammatory_foods",
        average=num(average),
        epa_target=num(epa_target),
        servings=plural(servings, "serving", 1),
        poly_target=plural(poly_target, "serving"),
    )
    return Scored(credit=credit, value=None, target=None, unit="", explanation=line)


def symptom_check_in(f: Facts) -> Evaluation:
    count = f.symptoms_today
    line = say("component.symptom_check_in" if count else "component.symptom_check_in.missing")
    return Scored(
        credit=1.0 if count else 0.0, value=count, target=1, unit="check-ins", explanation=line
    )


def healthy_weight(f: Facts) -> Evaluation:
    height = f.profile.height_cm
    if f.latest_weight is None or not height:
        missing = "no_height" if f.latest_weight is not None else "no_weight"
        return Excluded(reason=say(f"component.healthy_weight.{missing}"))
    bmi = body_mass_index(f.latest_weight.weight_kg, height)
    line = say(
        "component.healthy_weight", bmi=num(bmi, 1), weight=num(f.latest_weight.weight_kg, 1)
    )
    return Scored(credit=bmi_credit(bmi), value=bmi, target=None, unit="BMI", explanation=line)


def body_mass_index(weight_kg: float, height_cm: float) -> float:
    """kg / m^2, computed as kg x 10000 / cm^2 so band edges such as exactly 25.0 stay exact."""
    return weight_kg * 10000 / (height_cm * height_cm)


def bmi_credit(bmi: float) -> float:
    if bmi >= 30:
        return 0.3
    if bmi >= 25 or bmi < 18.5:
        return 0.6
    return 1.0


# --- shared shapes -----------------------------------------------------------------------------


def _minutes(f: Facts, activity_class: str, target_key: str, key: str) -> Scored:
    minutes, target = f.activity.minutes[activity_class], f.targets[target_key]
    line = say(f"component.{key}", minutes=num(minutes), target=num(target))
    return Scored(
        credit=lin(minutes, target), value=minutes, target=target, unit="min", explanation=line
    )


def _days(f: Facts, activity_class: str, target_key: str, key: str) -> Scored:
    days, target = f.activity.days[activity_class], f.targets[target_key]
    line = say(f"component.{key}", days=plural(days, "day"), target=num(target))
    return Scored(
        credit=lin(days, target), value=days, target=target, unit="days", explanation=line
    )


def _daily(f: Facts, nutrient: str, target_key: str, unit: str, key: str, places: int) -> Scored:
    total, target = f.today.total(nutrient), f.targets[target_key]
    line = say(f"component.{key}", total=num(total, places), target=num(target, places))
    return Scored(
        credit=lin(total, target), value=total, target=target, unit=unit, explanation=line
    )


def _servings(f: Facts, group: str, target_key: str, key: str) -> Scored:
    servings, target = f.today.servings.get(group, 0.0), f.targets[target_key]
    # "0 servings; the aim is 1 serving a day": plain words, never "0 of 1 servings".
    line = say(
        f"component.{key}",
        servings=plural(servings, "serving", 1),
        target=plural(target, "serving", 1),
    )
    return Scored(
        credit=lin(servings, target),
        value=servings,
        target=target,
        unit="servings",
        explanation=line,
    )


EVALUATE: dict[str, Callable[[Facts], Evaluation]] = {
    "calcium_total": calcium_total,
    "calcium_sittings": calcium_sittings,
    "vitamin_d": vitamin_d,
    "vitamin_k": vitamin_k,
    "magnesium": magnesium,
    "weight_bearing": weight_bearing,
    "resistance": resistance,
    "high_impact": high_impact,
    "epa_dha": epa_dha,
    "ala": ala,
    "fiber": fiber,
    "soluble_fiber_foods": soluble_fiber_foods,
    "polyphenol_foods": polyphenol_foods,
    "mufa_foods": mufa_foods,
    "aerobic": aerobic,
    "low_impact": low_impact,
    "anti_inflammatory_foods": anti_inflammatory_foods,
    "symptom_check_in": symptom_check_in,
    "healthy_weight": healthy_weight,
}
#: The protocol's components with their weights (tables.COMPONENT_WEIGHTS), in table order.
COMPONENTS: tuple[ComponentSpec, ...] = tuple(
    ComponentSpec(key=key, domain=domain, weight=weight, evaluate=EVALUATE[key])
    for key, domain, weight in COMPONENT_WEIGHTS
)
