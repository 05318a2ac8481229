"""The catalog's part of the export document: a person's own foods and favourites.

portability/sections.py walks every domain's records for an export, an import and account
deletion; the catalog's tables are read and written here, so no other domain queries them
(tests/test_layers.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from fortify.catalog.models import Food, FoodFavourite


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
