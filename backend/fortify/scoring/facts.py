"""Everything the components, flags and actions read, gathered once from a `DayInput`.

Gathering assigns each entry its local day, drops entries after the scored day, and fixes a time
order, so the rest of the engine only does arithmetic on already-filtered data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from fortify.scoring.exercise import ActivitySummary, summarize
from fortify.scoring.intake import Intake, calcium_sittings, contains_vitamin_k, sum_intake
from fortify.scoring.model import (
    DayInput,
    Dose,
    Lab,
    Meal,
    Measurement,
    RegimenItem,
    ScoringProfile,
    Symptom,
    Workout,
)
from fortify.scoring.targets import CALCIUM_UPPER_LIMIT_MG, target_values
from fortify.scoring.timeline import between, dated, local_date, window_start, zone_of

WEIGHT_WINDOW_DAYS = 30


@dataclass(frozen=True, kw_only=True)
class Facts:
    day: date
    zone: ZoneInfo
    profile: ScoringProfile
    targets: dict[str, float]
    today: Intake
    week: Intake
    doses_today: tuple[Dose, ...]
    sittings: tuple[float, ...]
    vitamin_k_supplement_today: bool
    activity: ActivitySummary
    workouts_today: tuple[Workout, ...]
    symptoms_w7: tuple[tuple[date, Symptom], ...]
    symptoms_today: int
    latest_weight: Measurement | None
    meals: tuple[tuple[date, Meal], ...]
    doses: tuple[tuple[date, Dose], ...]
    labs: tuple[tuple[date, Lab], ...]
    regimen: tuple[RegimenItem, ...]
    item_starts: dict[str, date]
    meal_times: tuple[datetime, ...]
    """Every meal's instant, up to 60 minutes past the day's end too (the carbonate flag)."""
    self_directed_today: Intake
    self_directed_week: Intake
    """Supplement sums without the doses of items set by the care team (the upper-limit flags)."""
    calcium_upper_limit_mg: float
    entry_count: int

    @property
    def largest_sitting_mg(self) -> float:
        return max(self.sittings, default=0.0)


def gather(inp: DayInput) -> Facts:
    zone = zone_of(inp.profile.time_zone)
    day = inp.day
    w7 = window_start(day, 7)
    items = {item.id: item for item in inp.regimen}
    meals = dated(inp.meals, lambda m: m.eaten_at, zone, day)
    doses = dated((with_item_form(d, items) for d in inp.doses), lambda d: d.taken_at, zone, day)
    workouts = dated(inp.workouts, lambda w: w.started_at, zone, day)
    symptoms = dated(inp.symptoms, lambda s: s.measured_at, zone, day)
    weights = dated(inp.measurements, lambda m: m.measured_at, zone, day)
    labs = dated(inp.labs, lambda lab: lab.measured_at, zone, day)
    doses_today = between(doses, day, day)
    recent_weights = between(weights, window_start(day, WEIGHT_WINDOW_DAYS), day)
    care_team = {item.id for item in inp.regimen if item.set_by_care_team}
    targets = target_values(inp.profile)

    def self_directed(pairs: list[Dose]) -> list[Dose]:
        return [d for d in pairs if d.regimen_item_id not in care_team]

    return Facts(
        day=day,
        zone=zone,
        profile=inp.profile,
        targets=targets,
        today=sum_intake(between(meals, day, day), doses_today),
        week=sum_intake(between(meals, w7, day), between(doses, w7, day)),
        doses_today=tuple(doses_today),
        sittings=tuple(calcium_sittings(doses_today)),
        vitamin_k_supplement_today=any(contains_vitamin_k(d) for d in doses_today),
        activity=summarize([(d, w) for d, w in workouts if d >= w7], day),
        workouts_today=tuple(between(workouts, day, day)),
        symptoms_w7=tuple((d, s) for d, s in symptoms if d >= w7),
        symptoms_today=len(between(symptoms, day, day)),
        latest_weight=recent_weights[-1] if recent_weights else None,
        meals=tuple(meals),
        doses=tuple(doses),
        labs=tuple(labs),
        regimen=inp.regimen,
        item_starts={item.id: item_start(item, inp.doses, zone) for item in inp.regimen},
        meal_times=tuple(m.eaten_at for m in inp.meals),
        self_directed_today=sum_intake((), self_directed(doses_today)),
        self_directed_week=sum_intake((), self_directed(between(doses, w7, day))),
        calcium_upper_limit_mg=max(CALCIUM_UPPER_LIMIT_MG, targets["calcium_mg"]),
        entry_count=sum(
            _count_on(pairs, day) for pairs in (meals, doses, workouts, symptoms, weights, labs)
        ),
    )


def _count_on(pairs: Iterable[tuple[date, object]], day: date) -> int:
    return sum(1 for entry_day, _ in pairs if entry_day == day)


def with_item_form(dose: Dose, items: dict[str, RegimenItem]) -> Dose:
    """The dose with its item's form when it names none, as the API stores it (§3 vitamin K
    by form, §4 carbonate): a client that logs a bare "taken" scores the same as the server."""
    item = items.get(dose.regimen_item_id) if dose.regimen_item_id else None
    if dose.form is not None or item is None:
        return dose
    return replace(dose, form=item.form)


def item_start(item: RegimenItem, doses: Iterable[Dose], zone: ZoneInfo) -> date:
    """PROTOCOL.md §1 (v1.1): `started_on`, else the earlier of the creation day and the day of
    the item's earliest logged dose (given as `earliest_dose_at`, or among `doses`)."""
    if item.started_on is not None:
        return item.started_on
    stamps = [item.created_at, *(d.taken_at for d in doses if d.regimen_item_id == item.id)]
    if item.earliest_dose_at is not None:
        stamps.append(item.earliest_dose_at)
    return min(local_date(ts, zone) for ts in stamps)
