"""Load a golden vector (tests/golden/scoring/*.json) into a `DayInput` and its expectations.

The files are plain JSON in the entry payload shapes of docs/entries-contract.md, so the
TypeScript port and an API test can read the same files. Labs carry `kind`, `value`, `unit` and
are converted here with `units.canonical_lab_value`; measurements carry `weight_kg` or
`weight_lb`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fortify.scoring.model import (
    DayInput,
    Dose,
    Lab,
    Meal,
    MealItem,
    Measurement,
    RegimenItem,
    ScoringProfile,
    Symptom,
    TargetOverride,
    Workout,
)
from fortify.scoring.units import CANONICAL_UNIT, canonical_lab_value, lb_to_kg

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "golden" / "scoring"

Json = dict[str, Any]


#: Vectors drawn from the Hypothesis strategies by tools/gen_golden_vectors.py: no hand
#: arithmetic, only the whole pinned output, compared whole by both engines' tests.
GENERATED_DIR = GOLDEN_DIR / "generated"


def golden_paths() -> list[Path]:
    return sorted(GOLDEN_DIR.glob("*.json"))


def generated_paths() -> list[Path]:
    return sorted(GENERATED_DIR.glob("*.json"))


def load_golden(path: Path) -> tuple[DayInput, Json]:
    """The file's input as a `DayInput`, and its `expected` object."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return day_input_from_json(data), data["expected"]


def day_input_from_json(data: Json) -> DayInput:
    return DayInput(
        day=date.fromisoformat(data["day"]),
        profile=profile_from_json(data["profile"]),
        meals=tuple(meal_from_json(m) for m in data.get("meals", [])),
        doses=tuple(dose_from_json(d) for d in data.get("doses", [])),
        regimen=tuple(regimen_from_json(r) for r in data.get("regimen", [])),
        workouts=tuple(workout_from_json(w) for w in data.get("workouts", [])),
        symptoms=tuple(symptom_from_json(s) for s in data.get("symptoms", [])),
        measurements=tuple(measurement_from_json(m) for m in data.get("measurements", [])),
        labs=tuple(lab_from_json(lab) for lab in data.get("labs", [])),
    )


def _ts(value: str) -> datetime:
    ts = datetime.fromisoformat(value)
    if ts.utcoffset() is None:
        raise ValueError(f"timestamp without offset: {value}")
    return ts


def profile_from_json(p: Json) -> ScoringProfile:
    overrides = {
        key: TargetOverride(value=o["value"], set_by_care_team=o.get("set_by_care_team", False))
        for key, o in (p.get("target_overrides") or {}).items()
    }
    return ScoringProfile(
        sex=p.get("sex"),
        height_cm=p.get("height_cm"),
        time_zone=p.get("time_zone") or "UTC",
        cleared_for_high_impact=p.get("cleared_for_high_impact", False),
        on_anticoagulant=p.get("on_anticoagulant", False),
        osteoporosis=p.get("osteoporosis", False),
        target_overrides=overrides,
    )


def meal_from_json(m: Json) -> Meal:
    items = tuple(
        MealItem(
            food_name=i.get("food_name", ""),
            grams=i.get("grams"),
            nutrients=dict(i.get("nutrients") or {}),
            servings=dict(i.get("servings") or {}),
        )
        for i in m.get("items", [])
    )
    return Meal(id=m["id"], eaten_at=_ts(m["eaten_at"]), name=m.get("name", ""), items=items)


def dose_from_json(d: Json) -> Dose:
    return Dose(
        id=d["id"],
        taken_at=_ts(d["taken_at"]),
        kind=d.get("kind", "supplement"),
        form=d.get("form"),
        regimen_item_id=d.get("regimen_item_id"),
        units=d.get("units", 1),
        nutrients=dict(d.get("nutrients") or {}),
        servings=dict(d.get("servings") or {}),
    )


def regimen_from_json(r: Json) -> RegimenItem:
    started_on = r.get("started_on")
    return RegimenItem(
        id=r["id"],
        name=r["name"],
        kind=r.get("kind", "supplement"),
        form=r.get("form", "other"),
        prescribed_daily=r.get("prescribed_daily", False),
        started_on=date.fromisoformat(started_on) if started_on else None,
        created_at=_ts(r["created_at"]),
        active=r.get("active", True),
        nutrients_per_unit=dict(r.get("nutrients_per_unit") or {}),
        default_units=r.get("default_units", 1),
        schedule_times=tuple(r.get("schedule_times") or ()),
        set_by_care_team=r.get("set_by_care_team", False),
        earliest_dose_at=_ts(r["earliest_dose_at"]) if r.get("earliest_dose_at") else None,
    )


def workout_from_json(w: Json) -> Workout:
    return Workout(
        id=w["id"],
        started_at=_ts(w["started_at"]),
        activity=w["activity"],
        minutes=w["minutes"],
        intensity=w.get("intensity", "moderate"),
        aerobic=w.get("aerobic"),
        weight_bearing=w.get("weight_bearing"),
        resistance=w.get("resistance"),
        high_impact=w.get("high_impact"),
        low_impact=w.get("low_impact"),
        muscle_groups=tuple(w.get("muscle_groups") or ()),
    )


def symptom_from_json(s: Json) -> Symptom:
    return Symptom(
        id=s["id"],
        measured_at=_ts(s["measured_at"]),
        worst_pain_0_10=s["worst_pain_0_10"],
        morning_stiffness_minutes=s.get("morning_stiffness_minutes"),
    )


def measurement_from_json(m: Json) -> Measurement:
    has_kg, has_lb = m.get("weight_kg") is not None, m.get("weight_lb") is not None
    if has_kg == has_lb:
        raise ValueError("a measurement needs exactly one of weight_kg, weight_lb")
    weight_kg = m["weight_kg"] if has_kg else lb_to_kg(m["weight_lb"])
    return Measurement(id=m["id"], measured_at=_ts(m["measured_at"]), weight_kg=weight_kg)


def lab_from_json(lab: Json) -> Lab:
    value, _unit = canonical_lab_value(lab["kind"], lab["value"], lab["unit"])
    return Lab(
        id=lab["id"], measured_at=_ts(lab["measured_at"]), kind=lab["kind"], value_canonical=value
    )


# --- the other way: a `DayInput` as a golden file's input (tools/gen_golden_vectors.py) --------


def day_input_to_json(inp: DayInput) -> Json:
    """The golden file's input fields for `inp`; `day_input_from_json` gives `inp` back.

    Labs are written in their kind's canonical unit, so loading them converts nothing.
    """
    p = inp.profile
    return {
        "day": inp.day.isoformat(),
        "profile": {
            "sex": p.sex,
            "height_cm": p.height_cm,
            "time_zone": p.time_zone,
            "cleared_for_high_impact": p.cleared_for_high_impact,
            "on_anticoagulant": p.on_anticoagulant,
            "osteoporosis": p.osteoporosis,
            "target_overrides": {
                key: {"value": o.value, "set_by_care_team": o.set_by_care_team}
                for key, o in p.target_overrides.items()
            },
        },
        "meals": [
            {
                "id": m.id,
                "eaten_at": m.eaten_at.isoformat(),
                "name": m.name,
                "items": [
                    {
                        "food_name": i.food_name,
                        "grams": i.grams,
                        "nutrients": i.nutrients,
                        "servings": i.servings,
                    }
                    for i in m.items
                ],
            }
            for m in inp.meals
        ],
        "doses": [
            {
                "id": d.id,
                "taken_at": d.taken_at.isoformat(),
                "kind": d.kind,
                "form": d.form,
                "regimen_item_id": d.regimen_item_id,
                "units": d.units,
                "nutrients": d.nutrients,
                "servings": d.servings,
            }
            for d in inp.doses
        ],
        "regimen": [
            {
                "id": r.id,
                "name": r.name,
                "kind": r.kind,
                "form": r.form,
                "prescribed_daily": r.prescribed_daily,
                "started_on": r.started_on.isoformat() if r.started_on else None,
                "created_at": r.created_at.isoformat(),
                "active": r.active,
                "nutrients_per_unit": r.nutrients_per_unit,
                "default_units": r.default_units,
                "schedule_times": list(r.schedule_times),
                "set_by_care_team": r.set_by_care_team,
                "earliest_dose_at": r.earliest_dose_at.isoformat() if r.earliest_dose_at else None,
            }
            for r in inp.regimen
        ],
        "workouts": [
            {
                "id": w.id,
                "started_at": w.started_at.isoformat(),
                "activity": w.activity,
                "minutes": w.minutes,
                "intensity": w.intensity,
                "aerobic": w.aerobic,
                "weight_bearing": w.weight_bearing,
                "resistance": w.resistance,
                "high_impact": w.high_impact,
                "low_impact": w.low_impact,
                "muscle_groups": list(w.muscle_groups),
            }
            for w in inp.workouts
        ],
        "symptoms": [
            {
                "id": s.id,
                "measured_at": s.measured_at.isoformat(),
                "worst_pain_0_10": s.worst_pain_0_10,
                "morning_stiffness_minutes": s.morning_stiffness_minutes,
            }
            for s in inp.symptoms
        ],
        "measurements": [
            {"id": m.id, "measured_at": m.measured_at.isoformat(), "weight_kg": m.weight_kg}
            for m in inp.measurements
        ],
        "labs": [
            {
                "id": lab.id,
                "measured_at": lab.measured_at.isoformat(),
                "kind": lab.kind,
                "value": lab.value_canonical,
                "unit": CANONICAL_UNIT[lab.kind],
            }
            for lab in inp.labs
        ],
    }


# --- every next-best-action phrase (tests/golden/scoring/phrases/) ------------------------------

#: Hand-written vector (file stem) -> component key -> the phrase the next best action would
#: say for it, for every component the pinned report shows scored and not yet full. A day
#: chooses one action; this pins the other phrases too, for both engines.
PHRASES_PATH = GOLDEN_DIR / "phrases" / "next_best_actions.json"
#: Inputs only (no report pinned), written to reach the phrases no golden vector reaches; they
#: are pinned in the same file under "inputs/<stem>", with the report computed on the spot.
PHRASE_INPUTS_DIR = GOLDEN_DIR / "phrases" / "inputs"


def phrase_input_paths() -> list[Path]:
    return sorted(PHRASE_INPUTS_DIR.glob("*.json"))


def open_components(report: Json) -> list[str]:
    """The keys the pinned report shows scored (not excluded) with a credit below 1."""
    return [c["key"] for c in report["components"] if not c["excluded"] and c["credit"] < 1]
