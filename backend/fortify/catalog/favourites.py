"""Favourite foods: a set per person, each mark a syncable record (tombstones when removed)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, and_, delete, func, literal, select
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.accounts.service import lock_changes, next_version
from fortify.catalog import repository as repo
from fortify.catalog.foods import (
    get_food,
    visible,
)
from fortify.catalog.models import FoodFavourite
from fortify.core.db import utcnow
from fortify.core.errors import InvalidInput


def add_favourite(session: Session, user: User, food_id: uuid.UUID) -> None:
    """Idempotent: marking a favourite again writes nothing (and takes no change number).

    Her write lock comes first: two taps on the star at once then run one after the other, and
    the second finds the first's row (not a second insert, an IntegrityError: probe-attack F0d).
    """
    get_food(session, user, food_id)
    lock_changes(session, user.id)
    favourite = repo.get_favourite(session, user.id, food_id)
    if favourite is None or favourite.deleted_at is not None:
        write_favourite(session, user, food_id, favourite)


def remove_favourite(session: Session, user: User, food_id: uuid.UUID) -> None:
    get_food(session, user, food_id)
    lock_changes(session, user.id)
    favourite = repo.get_favourite(session, user.id, food_id)
    if favourite is not None and favourite.deleted_at is None:
        tombstone_favourite(session, user.id, favourite)


def write_favourite(
    session: Session, user: User, food_id: uuid.UUID, favourite: FoodFavourite | None
) -> FoodFavourite:
    """Mark a food as a favourite (again, when `favourite` is a tombstone), stamped with the
    next change number. The caller has checked that the person can see the food."""
    now = utcnow()
    if favourite is None:
        favourite = FoodFavourite(user_id=user.id, food_id=food_id)
        session.add(favourite)
    favourite.created_at = now if favourite.deleted_at is not None else favourite.created_at or now
    favourite.deleted_at = None
    favourite.version = next_version(session, user.id)
    session.flush()
    return favourite


def tombstone_favourite(session: Session, user_id: uuid.UUID, favourite: FoodFavourite) -> None:
    """A removed favourite stays as a tombstone, so the sync feed can pass the removal on."""
    favourite.deleted_at = utcnow()
    favourite.version = next_version(session, user_id)
    session.flush()


def check_favourite_food(session: Session, user: User, food_id: uuid.UUID) -> None:
    """A favourite may name only a food the person can see (a sync write's check)."""
    if not visible(repo.get_food(session, food_id), user.id):
        raise InvalidInput(
            "No food with this id: a favourite's id is the id of a catalog food or of one of "
            "yours.",
            field="id",
            rule="exists",
        )


def favourite_change_keys(user_id: uuid.UUID, after: int) -> Select[int, str, uuid.UUID]:
    """(version, "favourites", food id) of the person's favourites written after `after`."""
    return select(
        FoodFavourite.version.label("version"),
        literal("favourites").label("entity"),
        FoodFavourite.food_id.label("id"),
    ).where(FoodFavourite.user_id == user_id, FoodFavourite.version > after)


def changed_favourites(session: Session, user_id: uuid.UUID, after: int, upto: int) -> list[Any]:
    """Plain rows (id = the food's id, version, deleted_at) written in (after, upto]."""
    stmt = select(
        FoodFavourite.food_id.label("id"), FoodFavourite.version, FoodFavourite.deleted_at
    ).where(
        FoodFavourite.user_id == user_id,
        FoodFavourite.version > after,
        FoodFavourite.version <= upto,
    )
    return list(session.execute(stmt))


def purge_favourite_tombstones(session: Session, cutoff: dt.datetime) -> dict[uuid.UUID, int]:
    """Delete favourite tombstones older than `cutoff`; each person's largest purged version."""
    old = and_(FoodFavourite.deleted_at.is_not(None), FoodFavourite.deleted_at < cutoff)
    stmt = (
        select(FoodFavourite.user_id, func.max(FoodFavourite.version))
        .where(old)
        .group_by(FoodFavourite.user_id)
    )
    purged = {user_id: int(version) for user_id, version in session.execute(stmt)}
    if purged:
        session.execute(delete(FoodFavourite).where(old))
    return purged


def favourites_by_food(
    session: Session, user_id: uuid.UUID, food_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, FoodFavourite]:
    """The person's favourites (tombstones too) of these foods, by food id."""
    return repo.favourites_by_food(session, user_id, food_ids)
