"""The activity catalog: how a workout counts (PROTOCOL.md §2).

Each activity carries the protocol's five flags. One workout may carry several (a circuit class
is aerobic, weight-bearing and resistance). The seed's own examples are here as written:
brisk walking, jogging, stair climbing, dancing -> aerobic + weight-bearing; lifting weights,
resistance bands, squats, push-ups -> resistance; jumping, plyometrics, high-impact aerobics ->
high-impact (+ weight-bearing); swimming, cycling -> aerobic + low-impact; yoga -> low-impact.

A workout's own non-None flags override its activity's, and an activity the catalog does not
know has every flag False unless the workout sets it: an unknown key never earns credit by
accident. Resistance activities carry the muscle groups they usually train; a workout that
lists its own groups replaces them. The 51 rows are in tables.py, shared with the PWA.
"""

from __future__ import annotations

from dataclasses import dataclass

from fortify.scoring.model import Workout
from fortify.scoring.tables import ACTIVITIES
from fortify.scoring.tables import ACTIVITY_CLASSES as ACTIVITY_CLASSES
from fortify.scoring.tables import FULL_BODY as FULL_BODY
from fortify.scoring.tables import MUSCLE_GROUPS as MUSCLE_GROUPS


@dataclass(frozen=True, kw_only=True)
class WorkoutFlags:
    aerobic: bool = False
    weight_bearing: bool = False
    resistance: bool = False
    high_impact: bool = False
    low_impact: bool = False

    def has_class(self, activity_class: str) -> bool:
        """Whether a workout with these flags counts for one of ACTIVITY_CLASSES."""
        if activity_class == "weight_bearing_aerobic":
            return self.aerobic and self.weight_bearing
        return bool(getattr(self, activity_class))


@dataclass(frozen=True, kw_only=True)
class Activity:
    key: str
    label: str
    flags: WorkoutFlags
    muscle_groups: tuple[str, ...] = ()


def _a(key: str, label: str, flags: str, muscle_groups: tuple[str, ...] = ()) -> Activity:
    """Compact catalog row: `flags` is a string of letters A W R H L (aerobic, weight-bearing,
    resistance, high-impact, low-impact)."""
    return Activity(
        key=key,
        label=label,
        flags=WorkoutFlags(
            aerobic="A" in flags,
            weight_bearing="W" in flags,
            resistance="R" in flags,
            high_impact="H" in flags,
            low_impact="L" in flags,
        ),
        muscle_groups=muscle_groups,
    )


#: Activity key -> activity, in catalog order (the rows are in tables.ACTIVITIES).
CATALOG: dict[str, Activity] = {
    key: _a(key, label, flags, muscle_groups) for key, label, flags, muscle_groups in ACTIVITIES
}


def activity(key: str) -> Activity | None:
    return CATALOG.get(key)


def resolve_flags(workout: Workout) -> WorkoutFlags:
    """The workout's own flags where set, else its activity's (all False for unknown keys)."""
    base = CATALOG[workout.activity].flags if workout.activity in CATALOG else WorkoutFlags()
    return WorkoutFlags(
        aerobic=_pick(workout.aerobic, base.aerobic),
        weight_bearing=_pick(workout.weight_bearing, base.weight_bearing),
        resistance=_pick(workout.resistance, base.resistance),
        high_impact=_pick(workout.high_impact, base.high_impact),
        low_impact=_pick(workout.low_impact, base.low_impact),
    )


def resolve_muscle_groups(workout: Workout) -> frozenset[str]:
    """The groups a workout trained: its own list ("full_body" = all seven) or its activity's.

    Unknown names are ignored, so the count never exceeds seven.
    """
    named = workout.muscle_groups
    if not named and workout.activity in CATALOG:
        named = CATALOG[workout.activity].muscle_groups
    if FULL_BODY in named:
        return frozenset(MUSCLE_GROUPS)
    return frozenset(g for g in named if g in MUSCLE_GROUPS)


def _pick(own: bool | None, default: bool) -> bool:
    return default if own is None else own
