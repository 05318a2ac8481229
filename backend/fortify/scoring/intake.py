"""Nutrient and serving sums, and calcium sittings (PROTOCOL.md §1, §3 bone).

A day's amount is the sum over its meal items and doses; an unknown amount (missing or None)
adds nothing and is never read as a measured 0. Every logged dose counts as a supplement source,
whatever its `kind`: a calcium tablet a clinician filed as a "medicine" is still supplement
calcium, and NIH ODS's magnesium upper limit covers "supplements and medicines" alike.

Sittings. The gut absorbs calcium best in amounts of 500 mg or less at a time, so the protocol
scores the largest *sitting*, not the largest tablet: two 400 mg tablets 45 minutes apart are one
800 mg sitting. Sittings are formed greedily in time order: the first calcium dose opens a
sitting, every later dose taken within 60 minutes (inclusive) of that first dose joins it, and
the first dose beyond the 60 minutes opens the next sitting. Anchoring on the first dose (not the
previous one) stops a chain of doses 50 minutes apart from merging into one all-day "sitting".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from fortify.scoring.model import Dose, Meal

SITTING_SPAN = timedelta(minutes=60)
SERVING_KEYS: tuple[str, ...] = ("soluble_fiber", "polyphenol", "mufa")
VITAMIN_K_FORMS = frozenset({"vitamin_k2_mk7", "vitamin_k2_mk4", "vitamin_k1"})


def amount(nutrients: Mapping[str, float | None], key: str) -> float:
    """One nutrient amount; unknown counts as nothing."""
    value = nutrients.get(key)
    return 0.0 if value is None else float(value)


def epa_dha(nutrients: Mapping[str, float | None]) -> float:
    return amount(nutrients, "epa_mg") + amount(nutrients, "dha_mg")


@dataclass(frozen=True, kw_only=True)
class Intake:
    """Sums of one or more days: nutrients split by source, servings from both."""

    food: dict[str, float]
    supplement: dict[str, float]
    servings: dict[str, float]

    def total(self, key: str) -> float:
        return self.food.get(key, 0.0) + self.supplement.get(key, 0.0)

    def food_amount(self, key: str) -> float:
        return self.food.get(key, 0.0)

    def supplement_amount(self, key: str) -> float:
        return self.supplement.get(key, 0.0)

    def epa_dha_mg(self) -> float:
        return self.total("epa_mg") + self.total("dha_mg")


def sum_intake(meals: Iterable[Meal], doses: Iterable[Dose]) -> Intake:
    food: dict[str, float] = {}
    supplement: dict[str, float] = {}
    servings: dict[str, float] = dict.fromkeys(SERVING_KEYS, 0.0)
    for meal in meals:
        for item in meal.items:
            _add(food, item.nutrients)
            _add(servings, item.servings)
    for dose in doses:
        _add(supplement, dose.nutrients)
        _add(servings, dose.servings)
    return Intake(food=food, supplement=supplement, servings=servings)


def _add(into: dict[str, float], amounts: Mapping[str, float | None]) -> None:
    get = into.get  # run for every nutrient of every food of a week: a few hundred a report
    for key, value in amounts.items():
        if value is not None:
            into[key] = get(key, 0.0) + float(value)


def calcium_sittings(doses: Iterable[Dose]) -> list[float]:
    """Supplement calcium per sitting (see the module docstring), in time order.

    `doses` must already be in time order; doses without calcium are ignored.
    """
    sittings: list[float] = []
    opened_at = None
    for dose in doses:
        calcium = amount(dose.nutrients, "calcium_mg")
        if calcium <= 0:
            continue
        if opened_at is not None and dose.taken_at - opened_at <= SITTING_SPAN:
            sittings[-1] += calcium
        else:
            opened_at = dose.taken_at
            sittings.append(calcium)
    return sittings


def contains_vitamin_k(dose: Dose) -> bool:
    """A dose of a vitamin K form (v1.1: even with no amount entered; a dose without a form
    has its item's, see facts.with_item_form), or any dose whose nutrients list vitamin K."""
    return dose.form in VITAMIN_K_FORMS or amount(dose.nutrients, "vitamin_k_mcg") > 0
