"""Flags (PROTOCOL.md §4): shown to the person, never scored.

Each check returns a message or None; `day_flags` keeps the protocol's table order. A flag is
raised once per key per day, with a message that names what triggered it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from fortify.scoring.activities import resolve_flags
from fortify.scoring.adherence import tracked
from fortify.scoring.facts import Facts
from fortify.scoring.intake import SITTING_SPAN
from fortify.scoring.model import Dose, Flag, Lab
from fortify.scoring.tables import (
    BONE_DENSITY_WINDOW_DAYS as BONE_DENSITY_WINDOW_DAYS,
)
from fortify.scoring.tables import (
    CALCIUM_SITTING_HALF_MG,
    CALCIUM_SITTING_RULE,
    CALCIUM_UPPER_LIMIT_MG,
    FLAG_KEYS,
    JOINT_PAIN_HIGH,
    JOINT_PAIN_HIGH_DAYS,
    MAGNESIUM_SUPPLEMENT_UPPER_LIMIT_MG,
    VITAMIN_D_LAB_HIGH_NG_ML,
    VITAMIN_D_LAB_LOW_NG_ML,
    VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU,
)
from fortify.scoring.tables import (
    LIPIDS_LAB_WINDOW_DAYS as LIPIDS_LAB_WINDOW_DAYS,
)
from fortify.scoring.tables import (
    VITAMIN_D_LAB_WINDOW_DAYS as VITAMIN_D_LAB_WINDOW_DAYS,
)
from fortify.scoring.timeline import window_start
from fortify.scoring.units import DXA_T_SCORE, LIPID_KINDS, VITAMIN_D_25OH
from fortify.scoring.wording import day_words, num, say


def calcium_above_ul(f: Facts) -> str | None:
    """v1.1: a calcium target set above 2000 mg is the person's upper limit."""
    total, limit = f.today.total("calcium_mg"), f.calcium_upper_limit_mg
    if total <= limit:
        return None
    return say("flag.calcium_above_ul", total=num(total), limit=calcium_limit_words(limit))


def calcium_limit_words(limit_mg: float) -> str:
    if limit_mg == CALCIUM_UPPER_LIMIT_MG:
        return say("flag.calcium_above_ul.upper_limit")
    return say("calcium.own_target", limit=num(limit_mg))


def calcium_sitting_too_large(f: Facts) -> str | None:
    if f.largest_sitting_mg <= CALCIUM_SITTING_HALF_MG:
        return None
    return say(
        "flag.calcium_sitting_too_large",
        largest=num(f.largest_sitting_mg),
        rule=CALCIUM_SITTING_RULE,
    )


def calcium_carbonate_without_food(f: Facts) -> str | None:
    lonely = [d for d in f.doses_today if d.form == "calcium_carbonate" and not _meal_near(f, d)]
    if not lonely:
        return None
    times = ", ".join(d.taken_at.astimezone(f.zone).strftime("%H:%M") for d in lonely)
    return say("flag.calcium_carbonate_without_food", times=times)


def _meal_near(f: Facts, dose: Dose) -> bool:
    """v1.1: on whatever local day the meal falls (a 23:30 dose with a 00:15 meal has food)."""
    return any(abs(eaten_at - dose.taken_at) <= SITTING_SPAN for eaten_at in f.meal_times)


def vitamin_d_above_ul(f: Facts) -> str | None:
    """v1.1: doses of items set by the care team are left out (a prescribed weekly 50,000 IU)."""
    average = f.self_directed_week.supplement_amount("vitamin_d_iu") / 7
    own_target = f.targets["vitamin_d_iu"]
    if average <= VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU or own_target > (
        VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU
    ):
        return None
    return say("flag.vitamin_d_above_ul", average=num(average))


def magnesium_supplement_above_ul(f: Facts) -> str | None:
    supplement = f.self_directed_today.supplement_amount("magnesium_mg")
    if supplement <= MAGNESIUM_SUPPLEMENT_UPPER_LIMIT_MG:
        return None
    return say("flag.magnesium_supplement_above_ul", supplement=num(supplement))


def vitamin_k_with_anticoagulant(f: Facts) -> str | None:
    if not (f.profile.on_anticoagulant and f.vitamin_k_supplement_today):
        return None
    return say("flag.vitamin_k_with_anticoagulant")


def high_impact_not_cleared(f: Facts) -> str | None:
    if f.profile.cleared_for_high_impact:
        return None
    if not any(resolve_flags(w).high_impact for w in f.workouts_today):
        return None
    return say("flag.high_impact_not_cleared")


def vitamin_d_lab_due(f: Facts) -> str | None:
    if _has_lab(f, {VITAMIN_D_25OH}, VITAMIN_D_LAB_WINDOW_DAYS):
        return None
    return say("flag.vitamin_d_lab_due")


def vitamin_d_lab_low(f: Facts) -> str | None:
    latest = _latest_lab(f, VITAMIN_D_25OH)
    if latest is None or latest.value_canonical >= VITAMIN_D_LAB_LOW_NG_ML:
        return None
    return say("flag.vitamin_d_lab_low", value=num(latest.value_canonical, 1))


def vitamin_d_lab_high(f: Facts) -> str | None:
    latest = _latest_lab(f, VITAMIN_D_25OH)
    if latest is None or latest.value_canonical <= VITAMIN_D_LAB_HIGH_NG_ML:
        return None
    return say("flag.vitamin_d_lab_high", value=num(latest.value_canonical, 1))


def lipids_lab_due(f: Facts) -> str | None:
    if _has_lab(f, LIPID_KINDS, LIPIDS_LAB_WINDOW_DAYS):
        return None
    return say("flag.lipids_lab_due")


def bone_density_due(f: Facts) -> str | None:
    if _has_lab(f, {DXA_T_SCORE}, BONE_DENSITY_WINDOW_DAYS):
        return None
    return say("flag.bone_density_due")


def _has_lab(f: Facts, kinds: set[str] | frozenset[str], days: int) -> bool:
    first = window_start(f.day, days)
    return any(lab.kind in kinds and first <= day for day, lab in f.labs)


def _latest_lab(f: Facts, kind: str) -> Lab | None:
    results = [lab for _, lab in f.labs if lab.kind == kind]
    return results[-1] if results else None


def joint_pain_high(f: Facts) -> str | None:
    days = {day for day, s in f.symptoms_w7 if s.worst_pain_0_10 >= JOINT_PAIN_HIGH}
    if len(days) < JOINT_PAIN_HIGH_DAYS:
        return None
    return say("flag.joint_pain_high", days=str(len(days)))


def medication_missed(f: Facts) -> str | None:
    yesterday = f.day - timedelta(days=1)
    missed = [
        item.name
        for item in f.regimen
        if tracked(item)
        and f.item_starts[item.id] <= yesterday
        and not _dosed_on(f, item.id, yesterday)
    ]
    if not missed:
        return None
    return say(
        "flag.medication_missed", names=", ".join(sorted(missed)), yesterday=day_words(yesterday)
    )


def _dosed_on(f: Facts, item_id: str, day: date) -> bool:
    return any(d == day and dose.regimen_item_id == item_id for d, dose in f.doses)


_CHECK: dict[str, Callable[[Facts], str | None]] = {
    "calcium_above_ul": calcium_above_ul,
    "calcium_sitting_too_large": calcium_sitting_too_large,
    "calcium_carbonate_without_food": calcium_carbonate_without_food,
    "vitamin_d_above_ul": vitamin_d_above_ul,
    "magnesium_supplement_above_ul": magnesium_supplement_above_ul,
    "vitamin_k_with_anticoagulant": vitamin_k_with_anticoagulant,
    "high_impact_not_cleared": high_impact_not_cleared,
    "vitamin_d_lab_due": vitamin_d_lab_due,
    "vitamin_d_lab_low": vitamin_d_lab_low,
    "vitamin_d_lab_high": vitamin_d_lab_high,
    "lipids_lab_due": lipids_lab_due,
    "bone_density_due": bone_density_due,
    "joint_pain_high": joint_pain_high,
    "medication_missed": medication_missed,
}
#: Every check, in the protocol's table order (tables.FLAG_KEYS).
CHECKS: tuple[tuple[str, Callable[[Facts], str | None]], ...] = tuple(
    (key, _CHECK[key]) for key in FLAG_KEYS
)


def day_flags(f: Facts) -> tuple[Flag, ...]:
    """Every raised flag, in the protocol's table order."""
    flags = []
    for key, check in CHECKS:
        message = check(f)
        if message is not None:
            flags.append(Flag(key=key, message=message))
    return tuple(flags)
