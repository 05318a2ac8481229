"""The catalog's part of the export document: a person's own foods and favourites.

portability/sections.py walks every domain's records for an export, an import and account
deletion; the catalog's tables are read and written here, so no other domain queries them
(tests/test_layers.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from fortify.catalog.custom_foods import CUSTOM_FOODS
from fortify.catalog.models import Food, FoodFavourite
from fortify.catalog.schemas import CustomFoodFields

#: Ids per IN list: well under SQLite's limit on a statement's parameters.
_IDS_PER_QUERY = 2000


def holds_custom_foods(session: Session, user_id: uuid.UUID) -> bool:
    """Does the person own any food (deleted ones included: their ids would collide)?"""
    return bool(session.scalar(select(exists().where(Food.owner_id == user_id))))


def favourites_of(session: Session, user_id: uuid.UUID) -> list[FoodFavourite]:
    """The person's live favourites, oldest first."""
    stmt = (
        select(FoodFavourite)
        .where(FoodFavourite.user_id == user_id, FoodFavourite.deleted_at.is_(None))
        .order_by(FoodFavourite.created_at, FoodFavourite.food_id)
    )
    return list(session.scalars(stmt))


def holds_favourites(session: Session, user_id: uuid.UUID) -> bool:
    return bool(session.scalar(select(exists().where(FoodFavourite.user_id == user_id))))


def insert_favourites(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert favourites read from an export (user_id, food_id, created_at, version), checked."""
    if rows:
        session.execute(insert(FoodFavourite), rows)


def favourite_food_ids(session: Session, user_id: uuid.UUID) -> dict[uuid.UUID, bool]:
    """Every favourite row of the person (tombstones too): food id → live."""
    stmt = select(FoodFavourite.food_id, FoodFavourite.deleted_at).where(
        FoodFavourite.user_id == user_id
    )
    return {food_id: deleted_at is None for food_id, deleted_at in session.execute(stmt)}


def own_food_ids(session: Session, user_id: uuid.UUID) -> set[uuid.UUID]:
    """The ids of every food the person owns (tombstones too)."""
    return set(session.scalars(select(Food.id).where(Food.owner_id == user_id)))


def taken_food_ids(session: Session, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `ids` any food holds (anyone's, or the catalog's), a query per 2,000 ids: the
    import asked `food_id_taken` once per food, 5,000 round trips for 5,000 foods."""
    taken: set[uuid.UUID] = set()
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[start : start + _IDS_PER_QUERY]
        taken.update(session.scalars(select(Food.id).where(Food.id.in_(chunk))))
    return taken


def custom_food_row(
    owner_id: uuid.UUID,
    food_id: uuid.UUID,
    data: CustomFoodFields,
    *,
    created_at: dt.datetime,
    updated_at: dt.datetime,
) -> dict[str, Any]:
    """The `foods` row of a person's own food read from an export, as a create writes it (its
    search text included), but for its change number: for `insert_custom_foods`."""
    return {
        "id": food_id,
        "source": "user",
        "source_id": None,
        "owner_id": owner_id,
        "created_at": created_at,
        "updated_at": updated_at,
        "deleted_at": None,
    } | CUSTOM_FOODS.columns(data)


def insert_custom_foods(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert own foods read from an export (`custom_food_row` and a `version`), checked by
    the import (ids
    free, within the cap), in one statement: a create per food (its lookups, its count against
    the cap, its change number, its savepoint) took 50 s for 5,000 foods on SQLite."""
    if rows:
        session.execute(insert(Food), rows)
