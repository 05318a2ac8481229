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
from fortify.scoring.wording import num, say

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
    return raisable_key(candidate.spec.key, f)


def raisable_key(key: str, f: Facts) -> bool:
    if key in NOT_RAISABLE:
        return False
    return not (key == "calcium_total" and f.today.total("calcium_mg") > f.calcium_upper_limit_mg)


def phrase_of(key: str, f: Facts) -> str | None:
    """What the next best action would say if it were `key` today; None if `key` cannot be
    raised. The golden phrase file pins it for every vector and every component not yet full,
    so both engines' phrases are compared, not only the one a day happens to choose."""
    return PHRASES[key](f) if key in PHRASES and raisable_key(key, f) else None


# --- the person's own supplements --------------------------------------------------------------


def _per_dose(item: RegimenItem, nutrient: str) -> float:
    return amount(item.nutrients_per_unit, nutrient) * item.default_units


def _item_with(f: Facts, nutrient: str) -> RegimenItem | None:
    """The first active regimen item (by name) that supplies `nutrient`."""
    items = [i for i in f.regimen if i.active and _per_dose(i, nutrient) > 0]
    return min(items, key=lambda i: (i.name.casefold(), i.id), default=None)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")[:2]
    return int(hours) * 60 + int(minutes)


def _due_on_day(f: Facts, item: RegimenItem, time: str) -> bool:
    """Whether the item's dose at `time` is due on the day, by the rule the PWA's dose cards use
    (app/doseSlots.ts): the item does not exist before its start (PROTOCOL.md §1), and on the
    day it was added, with no `started_on` given, a time already past when it was added is not
    due ("First dose: tomorrow at 08:00"); naming that dose contradicted the cards beside it."""
    if f.day < f.item_starts.get(item.id, f.day):
        return False
    if item.started_on is not None:
        return True
    created = item.created_at.astimezone(f.zone)
    return created.date() != f.day or _minutes(time) >= created.hour * 60 + created.minute


def _dose_label(f: Facts, item: RegimenItem, what: str) -> str | None:
    """'your evening calcium dose' for the item's first open time that is due on the day (doses
    logged count against its earliest times, as on the dose cards), 'a dose of X' once every
    time is taken or when it has none, and None when its open times are not due on the day
    (it starts later, or they were past when it was added): the step then names no dose."""
    if f.day < f.item_starts.get(item.id, f.day):
        return None
    taken = sum(1 for d in f.doses_today if d.regimen_item_id == item.id)
    times = sorted(item.schedule_times)
    if taken >= len(times):
        return say("action.dose.any", name=item.name)
    due = [t for t in times[taken:] if _due_on_day(f, item, t)]
    if not due:
        return None
    hour = int(due[0].split(":")[0])
    part = (
        "morning"
        if hour < 11
        else "midday"
        if hour < 15
        else "afternoon"
        if hour < 18
        else ("evening")
    )
    return say("action.dose", part=part, what=what, name=item.name)


# --- phrases -----------------------------------------------------------------------------------


def _calcium_total(f: Facts) -> str:
    total, target = f.today.total("calcium_mg"), f.targets["calcium_mg"]
    item = _item_with(f, "calcium_mg")
    label = None if item is None else _dose_label(f, item, "calcium")
    if (
        item is not None
        and label is not None
        and total + _per_dose(item, "calcium_mg") <= f.calcium_upper_limit_mg
    ):
        dose = _per_dose(item, "calcium_mg")
        return say(
            "action.calcium_total",
            dose_label=label,
            dose=num(dose),
            after=num(total + dose),
            target=num(target),
        )
    step = min(MILK_CALCIUM_MG, target - total)
    return say(
        "action.calcium_total.milk",
        step=num(step),
        total=num(total),
        after=num(total + step),
        target=num(target),
    )


def _vitamin_d(f: Facts) -> str:
    average, target = f.week.total("vitamin_d_iu") / 7, f.targets["vitamin_d_iu"]
    item = _item_with(f, "vitamin_d_iu")
    label = None if item is None else _dose_label(f, item, "vitamin D")
    if item is not None and label is not None:
        dose = _per_dose(item, "vitamin_d_iu")
        return say(
            "action.vitamin_d",
            dose_label=label,
            dose=num(dose),
            after=num(average + dose / 7),
            target=num(target),
        )
    need = 7 * (target - average)
    return say("action.vitamin_d.log", need=num(need), target=num(target))


def _vitamin_k(f: Facts) -> str:
    food, target = f.today.food_amount("vitamin_k_mcg"), f.targets["vitamin_k_mcg"]
    items = [i for i in f.regimen if i.active and i.form in VITAMIN_K_FORMS]
    if items:
        name = min(i.name for i in items)
        return say("action.vitamin_k", name=name)
    return say("action.vitamin_k.food", need=num(target - food), target=num(target))


def _magnesium(f: Facts) -> str:
    total, target = f.today.total("magnesium_mg"), f.targets["magnesium_mg"]
    item = _item_with(f, "magnesium_mg")
    label = None if item is None else _dose_label(f, item, "magnesium")
    if item is not None and label is not None:
        dose = _per_dose(item, "magnesium_mg")
        return say(
            "action.magnesium",
            dose_label=label,
            dose=num(dose),
            after=num(total + dose),
            target=num(target),
        )
    return say("action.magnesium.food", need=num(target - total), target=num(target))


def _walk(f: Facts, activity_class: str, target_key: str, key: str) -> str:
    minutes, target = f.activity.minutes[activity_class], f.targets[target_key]
    walk = min(SUGGESTED_WALK_MINUTES, math.ceil(target - minutes))
    return say(
        f"action.{key}",
        walk=str(walk),
        minutes=num(minutes),
        after=num(minutes + walk),
        target=num(target),
    )


def _days_step(f: Facts, activity_class: str, target_key: str, key: str) -> str:
    days, target = f.activity.days[activity_class], f.targets[target_key]
    if activity_class in f.activity.today:
        return say(f"action.{key}.again", days=str(days), target=num(target))
    return say(f"action.{key}.today", days=str(days), after=str(days + 1), target=num(target))


def _resistance(f: Facts) -> str:
    days, target = f.activity.days["resistance"], f.targets["resistance_days"]
    missing = [g for g in MUSCLE_GROUPS if g not in f.activity.muscle_groups]
    if days >= target or "resistance" in f.activity.today:
        if missing:
            return say(
                "action.resistance.groups",
                groups=", ".join(missing),
                trained=str(7 - len(missing)),
            )
        return _days_step(f, "resistance", "resistance_days", "resistance")
    return say("action.resistance", days=str(days), after=str(days + 1), target=num(target))


def _epa_dha(f: Facts) -> str:
    average, target = f.week.epa_dha_mg() / 7, f.targets["epa_dha_mg"]
    return say(
        "action.epa_dha",
        average=num(average),
        after=num(average + OILY_FISH_EPA_DHA_MG / 7),
        target=num(target),
    )


def _ala(f: Facts) -> str:
    total, target = f.today.total("ala_g"), f.targets["ala_g"]
    return say("action.ala", need=num(target - total, 1), target=num(target, 1))


def _fiber(f: Facts) -> str:
    total, target = f.today.total("fiber_g"), f.targets["fiber_g"]
    return say("action.fiber", need=num(target - total), target=num(target))


def _servings_step(f: Facts, group: str, target_key: str, key: str) -> str:
    servings, target = f.today.servings.get(group, 0.0), f.targets[target_key]
    step = min(1.0, target - servings)
    amount_text = (
        say("action.serving") if step == 1 else say("action.serving.part", step=num(step, 1))
    )
    return say(
        f"action.{key}",
        amount=amount_text,
        servings=num(servings, 1),
        after=num(servings + step, 1),
        target=num(target, 1),
    )


def _anti_inflammatory(f: Facts) -> str:
    epa_short = 1 - lin(f.week.epa_dha_mg() / 7, f.targets["epa_dha_mg"])
    poly_short = 1 - lin(f.today.servings["polyphenol"], f.targets["polyphenol_servings"])
    if poly_short >= epa_short:
        return _servings_step(f, "polyphenol", "polyphenol_servings", "anti_inflammatory_foods")
    return _epa_dha(f)


def _symptom_check_in(f: Facts) -> str:
    return say("action.symptom_check_in")


PHRASES: dict[str, Callable[[Facts], str]] = {
    "calcium_total": _calcium_total,
    "vitamin_d": _vitamin_d,
    "vitamin_k": _vitamin_k,
    "magnesium": _magnesium,
    "weight_bearing": lambda f: _walk(
        f, "weight_bearing_aerobic", "weight_bearing_minutes", "weight_bearing"
    ),
    "resistance": _resistance,
    "high_impact": lambda f: _days_step(f, "high_impact", "high_impact_days", "high_impact"),
    "epa_dha": _epa_dha,
    "ala": _ala,
    "fiber": _fiber,
    "soluble_fiber_foods": lambda f: _servings_step(
        f, "soluble_fiber", "soluble_fiber_servings", "soluble_fiber_foods"
    ),
    "polyphenol_foods": lambda f: _servings_step(
        f, "polyphenol", "polyphenol_servings", "polyphenol_foods"
    ),
    "mufa_foods": lambda f: _servings_step(f, "mufa", "mufa_servings", "mufa_foods"),
    "aerobic": lambda f: _walk(f, "aerobic", "aerobic_minutes", "aerobic"),
    "low_impact": lambda f: _days_step(f, "low_impact", "low_impact_days", "low_impact"),
    "anti_inflammatory_foods": _anti_inflammatory,
    "symptom_check_in": _symptom_check_in,
}
