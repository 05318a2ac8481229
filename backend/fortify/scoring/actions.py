"""Next best action (PROTOCOL.md §5): the one step that would add the most overall points.

points = 100 x domain weight x the component's effective weight x (1 - credit), computed from
unrounded credits. Components an entry on the day cannot raise are left out: calcium sittings (a
smaller sitting is a choice already made), calcium total above the upper limit (more would not
help) and healthy weight. Ties within 1e-9 go to the component listed first in the protocol,
which is the order of `COMPONENTS`. The text is one concrete step with numbers, using the
person's own regimen where it holds a fitting supplement.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fortify.scoring.activities import MUSCLE_GROUPS
from fortify.scoring.components import DOMAIN_WEIGHTS, ComponentSpec
from fortify.scoring.facts import Facts
from fortify.scoring.formulas import ROUNDING_EPSILON, lin, round_places
from fortify.scoring.intake import VITAMIN_K_FORMS, amount
from fortify.scoring.model import NextBestAction, RegimenItem
from fortify.scoring.wording import num

NOT_RAISABLE = frozenset({"calcium_sittings", "healthy_weight"})
OILY_FISH_EPA_DHA_MG = 1500.0
MILK_CALCIUM_MG = 300.0
SUGGESTED_WALK_MINUTES = 30


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """A scored (not excluded) component with its unrounded credit."""

    spec: ComponentSpec
    effective_weight: float
    credit: float

    @property
    def points(self) -> float:
        domain = DOMAIN_WEIGHTS[self.spec.domain]
        return 100 * domain * self.effective_weight * (1 - self.credit)


def next_best_action(candidates: Sequence[Candidate], f: Facts) -> NextBestAction | None:
    best: Candidate | None = None
    best_points = 0.0
    for candidate in candidates:
        if not _raisable(candidate, f):
            continue
        if candidate.points > best_points + ROUNDING_EPSILON:
            best, best_points = candidate, candidate.points
    if best is None:
        return None
    text = PHRASES[best.spec.key](f)
    return NextBestAction(key=best.spec.key, points=round_places(best_points, 2), text=text)


def _raisable(candidate: Candidate, f: Facts) -> bool:
    key = candidate.spec.key
    if key in NOT_RAISABLE:
        return False
    return not (key == "calcium_total" and f.today.total("calcium_mg") > f.calcium_upper_limit_mg)


# --- the person's own supplements --------------------------------------------------------------


def _per_dose(item: RegimenItem, nutrient: str) -> float:
    return amount(item.nutrients_per_unit, nutrient) * item.default_units


def _item_with(f: Facts, nutrient: str) -> RegimenItem | None:
    """The first active regimen item (by name) that supplies `nutrient`."""
    items = [i for i in f.regimen if i.active and _per_dose(i, nutrient) > 0]
    return min(items, key=lambda i: (i.name.casefold(), i.id), default=None)


def _dose_label(f: Facts, item: RegimenItem, what: str) -> str:
    """'your evening calcium dose' when the schedule tells which dose is next, else 'a dose'."""
    taken = sum(1 for d in f.doses_today if d.regimen_item_id == item.id)
    times = sorted(item.schedule_times)
    if taken >= len(times):
        return f"a dose of {item.name}"
    hour = int(times[taken].split(":")[0])
    part = (
        "morning"
        if hour < 11
        else "midday"
        if hour < 15
        else "afternoon"
        if hour < 18
        else ("evening")
    )
    return f"your {part} {what} dose ({item.name})"


# --- phrases -----------------------------------------------------------------------------------


def _calcium_total(f: Facts) -> str:
    total, target = f.today.total("calcium_mg"), f.targets["calcium_mg"]
    item = _item_with(f, "calcium_mg")
    if item is not None and total + _per_dose(item, "calcium_mg") <= f.calcium_upper_limit_mg:
        dose = _per_dose(item, "calcium_mg")
        return (
            f"Take {_dose_label(f, item, 'calcium')}: {num(dose)} mg would bring calcium to "
            f"{num(total + dose)} of {num(target)} mg."
        )
    step = min(MILK_CALCIUM_MG, target - total)
    return (
        f"Have a glass of milk or fortified soy drink (about {num(step)} mg of calcium): calcium "
        f"would go from {num(total)} to {num(total + step)} of {num(target)} mg."
    )


def _vitamin_d(f: Facts) -> str:
    average, target = f.week.total("vitamin_d_iu") / 7, f.targets["vitamin_d_iu"]
    item = _item_with(f, "vitamin_d_iu")
    if item is not None:
        dose = _per_dose(item, "vitamin_d_iu")
        return (
            f"Take {_dose_label(f, item, 'vitamin D')}: {num(dose)} IU would bring your 7-day "
            f"average to {num(average + dose / 7)} of {num(target)} IU."
        )
    need = 7 * (target - average)
    return (
        f"Log vitamin D from a supplement or food: {num(need)} IU today would bring your 7-day "
        f"average to {num(target)} IU."
    )


def _vitamin_k(f: Facts) -> str:
    food, target = f.today.food_amount("vitamin_k_mcg"), f.targets["vitamin_k_mcg"]
    items = [i for i in f.regimen if i.active and i.form in VITAMIN_K_FORMS]
    if items:
        name = min(i.name for i in items)
        return f"Take your {name}: a vitamin K2 dose gives full vitamin K credit today."
    return (
        f"Add {num(target - food)} mcg of vitamin K from food (a cup of raw spinach has about "
        f"145 mcg) to reach {num(target)} mcg."
    )


def _magnesium(f: Facts) -> str:
    total, target = f.today.total("magnesium_mg"), f.targets["magnesium_mg"]
    item = _item_with(f, "magnesium_mg")
    if item is not None:
        dose = _per_dose(item, "magnesium_mg")
        return (
            f"Take {_dose_label(f, item, 'magnesium')}: {num(dose)} mg would bring magnesium to "
            f"{num(total + dose)} of {num(target)} mg."
        )
    return (
        f"Add {num(target - total)} mg of magnesium (a handful of almonds has about 80 mg; "
        f"leafy greens and beans help too) to reach {num(target)} mg."
    )


def _walk(f: Facts, activity_class: str, target_key: str, label: str, what: str) -> str:
    minutes, target = f.activity.minutes[activity_class], f.targets[target_key]
    walk = min(SUGGESTED_WALK_MINUTES, math.ceil(target - minutes))
    return (
        f"Take a {walk}-minute {what}: {label} minutes this week would go from {num(minutes)} "
        f"to {num(minutes + walk)} of {num(target)}."
    )


def _days_step(f: Facts, activity_class: str, target_key: str, step: str, label: str) -> str:
    days, target = f.activity.days[activity_class], f.targets[target_key]
    if activity_class in f.activity.today:
        return f"Plan {step} on another day this week: {label} days so far {days} of {num(target)}."
    return (
        f"Do {step} today: {label} days this week would go from {days} to {days + 1} of "
        f"{num(target)}."
    )


def _resistance(f: Facts) -> str:
    days, target = f.activity.days["resistance"], f.targets["resistance_days"]
    missing = [g for g in MUSCLE_GROUPS if g not in f.activity.muscle_groups]
    if days >= target or "resistance" in f.activity.today:
        if missing:
            return (
                f"Add a short strength set for your {', '.join(missing)}: muscle groups this "
                f"week would go from {7 - len(missing)} to 7 of 7."
            )
        return _days_step(f, "resistance", "resistance_days", "a strength session", "strength")
    return (
        "Do a 20-minute full-body strength session today (squats, push-ups, bands): strength "
        f"days this week would go from {days} to {days + 1} of {num(target)}, "
        "with all 7 muscle groups."
    )


def _epa_dha(f: Facts) -> str:
    average, target = f.week.epa_dha_mg() / 7, f.targets["epa_dha_mg"]
    return (
        "Eat a portion of oily fish (salmon, mackerel or sardines, about 1500 mg EPA + DHA): "
        f"your 7-day average would go from {num(average)} to "
        f"{num(average + OILY_FISH_EPA_DHA_MG / 7)} of {num(target)} mg."
    )


def _ala(f: Facts) -> str:
    total, target = f.today.total("ala_g"), f.targets["ala_g"]
    return (
        f"Add {num(target - total, 1)} g of ALA (a tablespoon of ground flaxseed has about "
        f"2.3 g) to reach {num(target, 1)} g."
    )


def _fiber(f: Facts) -> str:
    total, target = f.today.total("fiber_g"), f.targets["fiber_g"]
    return (
        f"Add {num(target - total)} g of fiber (a cup of cooked beans has about 12 g, a bowl of "
        f"oats about 4 g) to reach {num(target)} g."
    )


def _servings_step(f: Facts, group: str, target_key: str, foods: str) -> str:
    servings, target = f.today.servings.get(group, 0.0), f.targets[target_key]
    step = min(1.0, target - servings)
    amount_text = "a serving" if step == 1 else f"{num(step, 1)} of a serving"
    return (
        f"Have {amount_text} of {foods}: these servings today would go from {num(servings, 1)} "
        f"to {num(servings + step, 1)} of {num(target, 1)}."
    )


def _anti_inflammatory(f: Facts) -> str:
    epa_short = 1 - lin(f.week.epa_dha_mg() / 7, f.targets["epa_dha_mg"])
    poly_short = 1 - lin(f.today.servings["polyphenol"], f.targets["polyphenol_servings"])
    if poly_short >= epa_short:
        return _servings_step(
            f, "polyphenol", "polyphenol_servings", "colourful fruit or vegetables"
        )
    return _epa_dha(f)


def _symptom_check_in(f: Facts) -> str:
    return (
        "Log today's joint check-in (worst pain 0-10 and morning stiffness): it takes a few "
        "seconds and shows you and your care team how your joints are doing."
    )


PHRASES: dict[str, Callable[[Facts], str]] = {
    "calcium_total": _calcium_total,
    "vitamin_d": _vitamin_d,
    "vitamin_k": _vitamin_k,
    "magnesium": _magnesium,
    "weight_bearing": lambda f: _walk(
        f, "weight_bearing_aerobic", "weight_bearing_minutes", "weight-bearing", "brisk walk"
    ),
    "resistance": _resistance,
    "high_impact": lambda f: _days_step(
        f,
        "high_impact",
        "high_impact_days",
        "a few minutes of jumping or plyometrics",
        "high-impact",
    ),
    "epa_dha": _epa_dha,
    "ala": _ala,
    "fiber": _fiber,
    "soluble_fiber_foods": lambda f: _servings_step(
        f, "soluble_fiber", "soluble_fiber_servings", "oats, barley, apples or beans"
    ),
    "polyphenol_foods": lambda f: _servings_step(
        f,
        "polyphenol",
        "polyphenol_servings",
        "colourful fruit or vegetables, green tea or dark chocolate",
    ),
    "mufa_foods": lambda f: _servings_step(
        f, "mufa", "mufa_servings", "olive oil, avocado or nuts"
    ),
    "aerobic": lambda f: _walk(f, "aerobic", "aerobic_minutes", "aerobic", "brisk walk or ride"),
    "low_impact": lambda f: _days_step(
        f, "low_impact", "low_impact_days", "a swim, bike ride or yoga session", "low-impact"
    ),
    "anti_inflammatory_foods": _anti_inflammatory,
    "symptom_check_in": _symptom_check_in,
}
