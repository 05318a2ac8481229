"""The activity catalog: how a workout counts (PROTOCOL.md §2).

Each activity carries the protocol's five flags. One workout may carry several (a circuit class
is aerobic, weight-bearing and resistance). The seed's own examples are here as written:
brisk walking, jogging, stair climbing, dancing -> aerobic + weight-bearing; lifting weights,
resistance bands, squats, push-ups -> resistance; jumping, plyometrics, high-impact aerobics ->
high-impact (+ weight-bearing); swimming, cycling -> aerobic + low-impact; yoga -> low-impact.

A workout's own non-None flags override its activity's, and an activity the catalog does not
know has every flag False unless the workout sets it: an unknown key never earns credit by
accident. Resistance activities carry the muscle groups they usually train; a workout that
lists its own groups replaces them.
"""

from __future__ import annotations

from dataclasses import dataclass

from fortify.scoring.model import Workout

MUSCLE_GROUPS: tuple[str, ...] = ("legs", "hips", "back", "abdomen", "chest", "shoulders", "arms")
FULL_BODY = "full_body"

ACTIVITY_CLASSES: tuple[str, ...] = (
    "aerobic",
    "weight_bearing_aerobic",
    "resistance",
    "high_impact",
    "low_impact",
)


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


_LEGS_HIPS = ("legs", "hips")
_UPPER = ("chest", "shoulders", "arms")
_ALL = MUSCLE_GROUPS

CATALOG: dict[str, Activity] = {
    a.key: a
    for a in (
        # Weight-bearing aerobic (seed: brisk walking, jogging, stair climbing, dancing).
        _a("brisk_walking", "Brisk walking", "AW"),
        _a("walking", "Walking", "AW"),
        _a("nordic_walking", "Nordic walking", "AW"),
        _a("treadmill_walking", "Treadmill walking", "AW"),
        _a("jogging", "Jogging", "AW"),
        _a("running", "Running", "AW"),
        _a("stair_climbing", "Stair climbing", "AW"),
        _a("stair_stepper", "Stair stepper machine", "AW"),
        _a("dancing", "Dancing", "AW"),
        _a("zumba", "Zumba", "AW"),
        _a("hiking", "Hiking", "AW"),
        _a("tennis", "Tennis", "AW"),
        _a("pickleball", "Pickleball", "AW"),
        _a("badminton", "Badminton", "AW"),
        _a("golf", "Golf (walking the course)", "AW"),
        _a("gardening", "Gardening", "AW"),
        _a("step_aerobics", "Step aerobics", "AW"),
        _a("cross_country_skiing", "Cross-country skiing", "AW"),
        _a("fitness_boxing", "Fitness boxing", "AW"),
        _a("elliptical", "Elliptical trainer", "AWL"),
        _a("low_impact_aerobics", "Low-impact aerobics", "AWL"),
        # Resistance (seed: lifting weights, resistance bands, squats, push-ups).
        _a("lifting_weights", "Lifting weights", "R", _ALL),
        _a("weight_machines", "Weight machines", "R", _ALL),
        _a("resistance_bands", "Resistance bands", "R", (*_LEGS_HIPS, "back", *_UPPER)),
        _a("squats", "Squats", "R", (*_LEGS_HIPS, "back")),
        _a("lunges", "Lunges", "R", _LEGS_HIPS),
        _a("step_ups", "Step-ups", "R", _LEGS_HIPS),
        _a("push_ups", "Push-ups", "R", (*_UPPER, "abdomen")),
        _a("planks", "Planks", "R", ("abdomen", "back", "shoulders")),
        _a("bodyweight_exercises", "Bodyweight exercises", "R", _ALL),
        _a("kettlebell", "Kettlebell training", "R", (*_LEGS_HIPS, "back", "shoulders", "arms")),
        _a("pilates", "Pilates", "RL", ("abdomen", "back", "hips")),
        _a("circuit_training", "Circuit training", "AWR", _ALL),
        # High-impact (seed: jumping, plyometrics, high-impact aerobics; "with caution").
        _a("jumping", "Jumping", "WH"),
        _a("plyometrics", "Plyometrics", "WH"),
        _a("high_impact_aerobics", "High-impact aerobics", "AWH"),
        _a("jump_rope", "Jump rope", "AWH"),
        _a("hopping", "Hopping drills", "WH"),
        _a("basketball", "Basketball", "AWH"),
        _a("volleyball", "Volleyball", "AWH"),
        # Low-impact (seed: swimming, cycling, yoga for joint pain).
        _a("swimming", "Swimming", "AL"),
        _a("water_aerobics", "Water aerobics", "AL"),
        _a("aqua_jogging", "Aqua jogging", "AL"),
        _a("cycling", "Cycling", "AL"),
        _a("stationary_cycling", "Stationary cycling", "AL"),
        _a("rowing", "Rowing", "AL"),
        _a("kayaking", "Kayaking", "AL"),
        _a("yoga", "Yoga", "L"),
        _a("tai_chi", "Tai chi", "WL"),
        _a("stretching", "Stretching", "L"),
        _a("balance_training", "Balance training", "WL"),
    )
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
