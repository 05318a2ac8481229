"""Reading foods: ids, who sees which food (`visible`), the API's view of a food, and the
foods a meal item may name.

Visibility is one rule, applied everywhere: curated and USDA foods are public to anyone signed
in; a person's own food exists only for its owner, and not once deleted. Another person's food
answers exactly like a missing one (404, or 422 `exists` in a meal item), so ids cannot be
probed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import Table
from sqlalchemy.orm import Session

from fortify.accounts.deps import Versioned
from fortify.accounts.models import User
from fortify.catalog import repository as repo
from fortify.catalog.curated import load_curated
from fortify.catalog.models import Food
from fortify.catalog.usda import NUTRIENT_KEYS
from fortify.core.db import utcnow
from fortify.core.errors import InvalidInput, NotFound

#: Namespace of the deterministic ids of curated and USDA foods (never change it).
FOOD_NAMESPACE: Final = uuid.UUID("6f1d2c1e-5b8a-4c36-9d0e-3a7f4e2b9c51")
MAX_RECENTS: Final = 50
MAX_SEARCH_PAGE: Final = 50


def catalog_food_id(source: str, source_id: str) -> uuid.UUID:
    """The id every installation gives curated food `key` or USDA food `ndb_no`."""
    return uuid.uuid5(FOOD_NAMESPACE, f"{source}:{source_id}")


def foods_table() -> Table:
    table = Food.__table__
    assert isinstance(table, Table)
    return table


# --- reading foods ---------------------------------------------------------------------------


def visible(food: Food | None, user_id: uuid.UUID) -> bool:
    if food is None:
        return False
    if food.source != "user":
        return True
    return food.owner_id == user_id and food.deleted_at is None


def get_food(session: Session, user: User, food_id: uuid.UUID) -> Food:
    food = repo.get_food(session, food_id)
    if not visible(food, user.id):
        raise NotFound("No food with this id.")
    assert food is not None
    return food


@dataclass(frozen=True)
class Personal:
    favourites: list[uuid.UUID]
    recents: list[uuid.UUID]
    # The same ids as sets, for `flags`: a search asks of every food it answers, and the lists
    # (up to 50 recents) were scanned comparing UUID objects one by one in Python.
    _favourite_ids: frozenset[uuid.UUID] = field(init=False, repr=False, compare=False)
    _recent_ids: frozenset[uuid.UUID] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_favourite_ids", frozenset(self.favourites))
        object.__setattr__(self, "_recent_ids", frozenset(self.recents))

    def flags(self, food_id: uuid.UUID) -> dict[str, bool]:
        return {"favourite": food_id in self._favourite_ids, "recent": food_id in self._recent_ids}


def personal(session: Session, user: Versioned) -> Personal:
    return Personal(*repo.personal_food_ids(session, user.id, MAX_RECENTS))


def food_view(food: Food, mine: Personal | None = None) -> dict[str, Any]:
    """A food as the API reads it: every nutrient key present (null = unknown)."""
    nutrients = food.nutrients_per_100g or {}
    view: dict[str, Any] = {
        "id": food.id,
        "name": food.name,
        "source": food.source,
        "source_id": food.source_id,
        "food_group": food.food_group,
        "synonyms": food.synonyms or [],
        "portions": food.portions or [],
        "nutrients_per_100g": {key: nutrients.get(key) for key in NUTRIENT_KEYS},
        "servings_grams": food.servings_grams or {},
        "tags": food.tags or [],
        "version": food.version,
        "created_at": food.created_at,
        "updated_at": food.updated_at,
    }
    if mine is not None:
        view |= mine.flags(food.id)
    return view


# --- meal items (called by entries.service) --------------------------------------------------


def resolve_food_ref(ref: str) -> uuid.UUID | None:
    """A meal item's `food_id`: a food's UUID, or a curated key such as "whole_milk"."""
    try:
        return uuid.UUID(ref)
    except ValueError:
        pass
    if any(food.key == ref for food in load_curated()):
        return catalog_food_id("curated", ref)
    return None


def check_meal_foods(session: Session, user_id: uuid.UUID, food_refs: Sequence[str | None]) -> None:
    """Refuse a meal item naming a food the person cannot see; remember the rest as recent.

    The person's own deleted foods are still accepted: an older meal that used one must stay
    editable (the item carries its own nutrient snapshot), but it is no longer "recent".
    """
    used: list[uuid.UUID] = []
    for i, ref in enumerate(food_refs):
        if ref is None:
            continue
        food_id = resolve_food_ref(ref)
        food = None if food_id is None else repo.get_food(session, food_id)
        if food is None or (food.source == "user" and food.owner_id != user_id):
            raise InvalidInput(
                "No food with this id: use a food's id from the catalog or one of yours.",
                field=f"items[{i}].food_id",
                rule="exists",
            )
        if food.deleted_at is None:
            used.append(food.id)
    repo.bump_recents(session, user_id, used, utcnow())


def foods_by_id(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Food]:
    """Foods (any source, tombstones too) among `ids`, in one query: the caller applies
    `visible` or its own rule."""
    return repo.foods_by_id(session, ids)
