"""Plausible, varied history for a demo person (and the benchmarks), from a seed.

Pure: a seed, a first day, a number of days → entry payloads in the API's shapes. The story it
tells: anastrozole every morning (a few missed days), calcium citrate 400 mg up to three times a
day, vitamin D3 50,000 IU each Sunday, fish oil most days, meals from the curated catalog (some
days rich in calcium, some not), walks, strength days, and joint pain that eases as low-impact
sessions become a habit over the period.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from fortify.catalog.curated import CuratedFood, load_curated

MEAL_PLANS: dict[str, list[list[tuple[str, float]]]] = {
    "Breakfast": [
        [("porridge_cooked", 240), ("whole_milk", 120), ("blueberries", 80), ("walnuts", 15)],
        [("greek_yogurt_plain_nonfat", 170), ("strawberries", 100), ("granola", 30)],
        [("bread_whole_wheat", 60), ("egg_boiled", 100), ("orange_juice_fortified", 200)],
        [("oats_rolled_dry", 40), ("soy_milk_fortified", 240), ("banana", 118), ("flaxseed", 10)],
        [("bagel", 100), ("cream_cheese", 30), ("coffee_brewed", 240)],
    ],
    "Lunch": [
        [("sardines_canned_in_oil", 90), ("bread_rye", 60), ("spinach_raw", 60), ("olive_oil", 10)],
        [("lentil_soup", 250), ("bread_sourdough", 50), ("apple", 180)],
        [("chickpeas_cooked", 160), ("quinoa_cooked", 150), ("kale_raw", 60), ("olive_oil", 15)],
        [("turkey_breast_deli", 60), ("bread_white", 60), ("cheddar", 30), ("tomato_raw", 80)],
        [("pizza_cheese", 210), ("cola", 330)],
    ],
    "Dinner": [
        [
            ("salmon_atlantic_farmed_cooked", 150),
            ("broccoli_cooked", 150),
            ("brown_rice_cooked", 150),
        ],
        [("chicken_breast_roasted", 140), ("sweet_potato_baked", 150), ("green_beans_cooked", 100)],
        [("tofu_firm", 150), ("bok_choy_cooked", 150), ("white_rice_cooked", 150)],
        [("pasta_cooked", 200), ("tomato_sauce_canned", 120), ("parmesan_grated", 15)],
        [("mackerel_atlantic_cooked", 120), ("potato_boiled", 200), ("collard_greens_cooked", 100)],
        [("beef_ground_85_cooked", 120), ("tortilla_flour", 90), ("avocado", 70)],
    ],
    "Drink": [
        [("green_tea", 240)],
        [("coffee_brewed", 240), ("whole_milk", 30)],
        [("water", 250)],
        [("black_tea", 240)],
    ],
    "Snack": [
        [("almonds", 28)],
        [("yogurt_plain_low_fat", 150)],
        [("dark_chocolate_70_85", 20), ("green_tea", 240)],
        [("grapes", 120)],
        [("hummus", 60), ("carrots_raw", 80)],
    ],
}


@dataclass(frozen=True)
class DemoEntry:
    kind: str  # the entries API's kind name
    payload: dict[str, Any]


def _foods() -> dict[str, CuratedFood]:
    return {f.key: f for f in load_curated()}


def _item(food: CuratedFood, grams: float) -> dict[str, Any]:
    return {
        "food_id": food.key,
        "food_name": food.name,
        "grams": grams,
        "nutrients": {
            k: round(v, 3) for k, v in food.nutrients_for(grams).items() if v is not None
        },
        "servings": {k: round(v, 3) for k, v in food.servings_for(grams).items()},
    }


def regimen(started_on: dt.date) -> list[DemoEntry]:
    def item(name: str, **fields: Any) -> DemoEntry:
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"fortify-demo/{name}")
        return DemoEntry(
            "regimen", {"id": str(key), "name": name, "started_on": started_on.isoformat()} | fields
        )

    return [
        item(
            "Anastrozole 1 mg",
            kind="medicine",
            form="anastrozole",
            schedule_times=["08:00"],
            prescribed_daily=True,
        ),
        item(
            "Calcium citrate 400 mg",
            kind="supplement",
            form="calcium_citrate",
            nutrients_per_unit={"calcium_mg": 400},
            schedule_times=["08:00", "13:00", "20:00"],
        ),
        item(
            "Vitamin D3 50,000 IU (Sundays)",
            kind="supplement",
            form="vitamin_d3",
            nutrients_per_unit={"vitamin_d_iu": 50000},
            schedule_times=["09:00"],
            # A clinician's prescription, not self-directed excess (PROTOCOL.md §1, §4).
            set_by_care_team=True,
        ),
        item(
            "Fish oil",
            kind="supplement",
            form="fish_oil",
            nutrients_per_unit={"epa_mg": 360, "dha_mg": 240},
            schedule_times=["13:00"],
        ),
        item(
            "Magnesium glycinate",
            kind="supplement",
            form="magnesium_glycinate",
            nutrients_per_unit={"magnesium_mg": 120},
            schedule_times=["20:00"],
        ),
    ]


def generate(
    *,
    seed: int,
    first_day: dt.date,
    days: int,
    time_zone: str = "Europe/London",
    busy: bool = False,
) -> Iterator[DemoEntry]:
    """Entries for `days` local days from `first_day`; `busy` logs about 30 entries a day
    (snacks, split doses, more sessions) for the benchmarks."""
    rng = random.Random(seed)
    zone = ZoneInfo(time_zone)
    foods = _foods()
    items = regimen(first_day)
    yield from items
    ids = {e.payload["name"]: e.payload["id"] for e in items}

    def at(day: dt.date, hour: int, minute: int = 0) -> str:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).isoformat()

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def dose(name: str, day: dt.date, hour: int, minute: int = 0) -> DemoEntry:
        return DemoEntry(
            "doses",
            {"id": new_id(), "regimen_item_id": ids[name], "taken_at": at(day, hour, minute)},
        )

    for n in range(days):
        day = first_day + dt.timedelta(days=n)
        progress = n / max(days - 1, 1)  # 0 → 1 over the period: habits improve
        meals = [("Breakfast", 8), ("Lunch", 13), ("Dinner", 19)]
        snacks = rng.randint(0, 2) + (4 if busy else 0)
        meals += [("Snack", h) for h in rng.sample([10, 11, 15, 16, 17, 21], k=min(snacks, 6))]
        if busy:  # a diligent logger records every cup too
            meals += [("Drink", h) for h in (7, 9, 12, 14, 16, 18, 20)]
        for name, hour in meals:
            plan = rng.choice(MEAL_PLANS[name])
            yield DemoEntry(
                "meals",
                {
                    "id": new_id(),
                    "eaten_at": at(day, hour, rng.randint(0, 40)),
                    "name": name,
                    "items": [_item(foods[key], grams) for key, grams in plan],
                },
            )
        if rng.random() > 0.04:
            yield dose("Anastrozole 1 mg", day, 8, rng.randint(0, 30))
        for hour in (8, 13, 20):
            if rng.random() < 0.6 + 0.3 * progress:
                yield dose("Calcium citrate 400 mg", day, hour, rng.randint(0, 50))
        if day.weekday() == 6:
            yield dose("Vitamin D3 50,000 IU (Sundays)", day, 9)
        if rng.random() < 0.7:
            yield dose("Fish oil", day, 13, 30)
        if rng.random() < 0.5 or busy:
            yield dose("Magnesium glycinate", day, 20, 30)
        if busy:  # split doses and repeats, as a very diligent logger would
            for hour in (9, 11, 14, 21):
                yield dose("Fish oil", day, hour, 45)
        yield from _workouts(rng, day, at, new_id, progress, busy)
        low_impact_habit = 0.2 + 0.6 * progress
        pain = max(0, min(10, round(rng.gauss(7 - 4 * low_impact_habit, 1.3))))
        yield DemoEntry(
            "symptoms",
            {
                "id": new_id(),
                "measured_at": at(day, 7, 45),
                "worst_pain_0_10": pain,
                "morning_stiffness_minutes": max(0, round(rng.gauss(40 - 25 * progress, 8))),
                "locations": rng.sample(["hands", "wrists", "knees", "hips", "shoulders"], k=2),
            },
        )
        if day.weekday() == 0 or busy:
            weight = 72 - 2 * progress + rng.gauss(0, 0.3)
            yield DemoEntry(
                "measurements",
                {"id": new_id(), "measured_at": at(day, 7, 30), "weight_kg": round(weight, 1)},
            )
        if n % 90 == 45:
            yield from _labs(rng, day, at, new_id)


def _workouts(
    rng: random.Random, day: dt.date, at: Any, new_id: Any, progress: float, busy: bool
) -> Iterator[DemoEntry]:
    sessions: list[dict[str, Any]] = []
    if rng.random() < 0.6:
        sessions.append({"activity": "brisk_walking", "minutes": rng.choice([20, 30, 40])})
    if day.weekday() in (1, 4) and rng.random() < 0.8:
        sessions.append(
            {"activity": "lifting_weights", "minutes": 40, "muscle_groups": ["full_body"]}
        )
    if rng.random() < 0.15 + 0.5 * progress:
        sessions.append({"activity": rng.choice(["swimming", "cycling", "yoga"]), "minutes": 30})
    if busy:
        sessions += [{"activity": "gardening", "minutes": 20, "intensity": "light"}] * 2
    for hour, session in zip((7, 17, 18, 11, 15), sessions, strict=False):
        yield DemoEntry(
            "workouts",
            {"id": new_id(), "started_at": at(day, hour), "intensity": "moderate"} | session,
        )


def _labs(rng: random.Random, day: dt.date, at: Any, new_id: Any) -> Iterator[DemoEntry]:
    results = [
        ("vitamin_d_25oh", round(rng.uniform(24, 48), 1), "ng/mL"),
        ("ldl_cholesterol", round(rng.uniform(95, 150)), "mg/dL"),
        ("hdl_cholesterol", round(rng.uniform(45, 70)), "mg/dL"),
        ("total_cholesterol", round(rng.uniform(180, 240)), "mg/dL"),
        ("triglycerides", round(rng.uniform(90, 180)), "mg/dL"),
    ]
    for kind, value, unit in results:
        yield DemoEntry(
            "labs",
            {"id": new_id(), "measured_at": at(day, 9), "kind": kind, "value": value, "unit": unit},
        )


def large_account(
    *, meals: int, items_per_meal: int, check_ins: int, first_day: dt.date
) -> Iterator[DemoEntry]:
    """The very large account an outside probe exported (F10: 3,000 meals of 30 items and
    6,000 check-ins): `meals` meals of `items_per_meal` curated foods, and `check_ins` joint
    check-ins, a few a day from `first_day`. For the export's test and bench."""
    foods = list(_foods().values())
    zone = ZoneInfo("Europe/London")

    def at(n: int, per_day: int, hour: int) -> str:
        day = first_day + dt.timedelta(days=n // per_day)
        return dt.datetime(
            day.year, day.month, day.day, hour + n % per_day, tzinfo=zone
        ).isoformat()

    for n in range(meals):
        plate = [
            _item(foods[(n * items_per_meal + k) % len(foods)], 50 + k)
            for k in range(items_per_meal)
        ]
        meal = {"id": str(uuid.uuid4()), "eaten_at": at(n, 3, 8), "name": f"Meal {n}"}
        yield DemoEntry("meals", meal | {"items": plate})
    for n in range(check_ins):
        check_in = {"id": str(uuid.uuid4()), "measured_at": at(n, 6, 7)}
        yield DemoEntry("symptoms", check_in | {"worst_pain_0_10": n % 11, "locations": ["hands"]})
