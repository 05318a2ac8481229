"""Catalog queries. The service holds the rules; every SELECT and bulk write sits here."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    Row,
    Select,
    Table,
    bindparam,
    delete,
    func,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fortify.catalog.models import CatalogMeta, Food, FoodFavourite, FoodRecent

CATALOG_SOURCES = ("curated", "usda")


def upsert(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    conflict: Sequence[str],
    update_columns: Iterable[str],
) -> None:
    """INSERT … ON CONFLICT (conflict) DO UPDATE, as one executemany; SQLite and PostgreSQL
    spell it the same way, through their own dialect's `insert`."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(conflict),
        set_={name: getattr(stmt.excluded, name) for name in update_columns},
    )
    session.execute(stmt, list(rows))


# --- foods -----------------------------------------------------------------------------------


def get_food(session: Session, food_id: uuid.UUID) -> Food | None:
    return session.get(Food, food_id)


def foods_by_id(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Food]:
    if not ids:
        return {}
    return {f.id: f for f in session.scalars(select(Food).where(Food.id.in_(ids)))}


def catalog_index_rows(session: Session) -> Sequence[Row[uuid.UUID, str, str | None, str, str]]:
    stmt = select(Food.id, Food.source, Food.source_id, Food.name, Food.search_text).where(
        Food.source.in_(CATALOG_SOURCES)
    )
    return session.execute(stmt).all()


def source_ids(session: Session, source: str) -> set[str]:
    stmt = select(Food.source_id).where(Food.source == source)
    return {value for value in session.scalars(stmt) if value is not None}


def delete_catalog_foods(session: Session, source: str, keep: set[str]) -> int:
    """Remove catalog rows of `source` whose id is no longer in the data (favourites and
    recents of them go with them)."""
    gone = [s for s in source_ids(session, source) if s not in keep]
    if gone:
        session.execute(delete(Food).where(Food.source == source, Food.source_id.in_(gone)))
    return len(gone)


def all_search_inputs(session: Session) -> Sequence[Row[uuid.UUID, str, list[str]]]:
    return session.execute(select(Food.id, Food.name, Food.synonyms)).all()


def set_search_text(session: Session, values: Sequence[dict[str, Any]]) -> None:
    if values:
        session.execute(update(Food), list(values))


def own_foods(session: Session, owner_id: uuid.UUID, *, with_deleted: bool = False) -> list[Food]:
    stmt = select(Food).where(Food.owner_id == owner_id)
    if not with_deleted:
        stmt = stmt.where(Food.deleted_at.is_(None))
    return list(session.scalars(stmt.order_by(Food.name, Food.id)))


def own_food_index_rows(
    session: Session, owner_id: uuid.UUID
) -> Sequence[Row[uuid.UUID, str, str]]:
    stmt = select(Food.id, Food.name, Food.search_text).where(
        Food.owner_id == owner_id, Food.deleted_at.is_(None)
    )
    return session.execute(stmt).all()


def list_own_foods(
    session: Session, owner_id: uuid.UUID, *, after: tuple[str, uuid.UUID] | None, limit: int
) -> list[Food]:
    stmt = select(Food).where(Food.owner_id == owner_id, Food.deleted_at.is_(None))
    if after is not None:
        name, food_id = after
        stmt = stmt.where((Food.name > name) | ((Food.name == name) & (Food.id > food_id)))
    return list(session.scalars(stmt.order_by(Food.name, Food.id).limit(limit)))


def curated_foods(session: Session) -> list[Food]:
    return list(session.scalars(select(Food).where(Food.source == "curated").order_by(Food.name)))


def count_foods(session: Session, source: str) -> int:
    return session.scalar(select(func.count()).select_from(Food).where(Food.source == source)) or 0


# --- favourites and recents ------------------------------------------------------------------


def personal_food_ids(
    session: Session, user_id: uuid.UUID, recents: int
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """The person's favourite foods (newest first) and up to `recents` recent ones (latest
    first), in one statement: every food search and list reads both."""
    favourites: list[uuid.UUID] = []
    recent: list[uuid.UUID] = []
    # On the session's connection: a plain statement needs none of the ORM's result machinery,
    # which cost more than reading the rows.
    for is_favourite, food_id in session.connection().execute(
        _personal_ids_statement(), {"user_id": user_id, "recents": recents}
    ):
        (favourites if is_favourite else recent).append(food_id)
    return favourites, recent


@cache
def _personal_ids_statement() -> Select[bool, uuid.UUID]:
    """Built once, the person and the count bound: a search neither rebuilds it nor recomputes
    its cache key. A UNION ALL promises no order, so each branch numbers its rows in its own
    order and the whole is sorted by that number."""
    user_id = bindparam("user_id", type_=FoodFavourite.user_id.type)
    favourites = select(
        literal(True).label("favourite"),
        FoodFavourite.food_id.label("food_id"),
        func.row_number()
        .over(order_by=(FoodFavourite.created_at.desc(), FoodFavourite.food_id))
        .label("rank"),
    ).where(FoodFavourite.user_id == user_id, FoodFavourite.deleted_at.is_(None))
    recent = (
        select(FoodRecent.food_id, FoodRecent.last_used_at)
        .where(FoodRecent.user_id == user_id)
        .order_by(FoodRecent.last_used_at.desc(), FoodRecent.food_id)
        .limit(bindparam("recents", type_=Integer))
        .subquery()
    )
    recents = select(
        literal(False).label("favourite"),
        recent.c.food_id,
        func.row_number().over(order_by=(recent.c.last_used_at.desc(), recent.c.food_id)),
    )
    both = union_all(favourites, recents).subquery()
    return select(both.c.favourite, both.c.food_id).order_by(both.c.favourite, both.c.rank)


def get_favourite(session: Session, user_id: uuid.UUID, food_id: uuid.UUID) -> FoodFavourite | None:
    """The favourite row, tombstone or not."""
    return session.get(FoodFavourite, (user_id, food_id))


def favourites_by_food(
    session: Session, user_id: uuid.UUID, food_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, FoodFavourite]:
    """The person's favourite rows (tombstones included) among `food_ids`, in one query."""
    if not food_ids:
        return {}
    stmt = select(FoodFavourite).where(
        FoodFavourite.user_id == user_id, FoodFavourite.food_id.in_(food_ids)
    )
    return {row.food_id: row for row in session.scalars(stmt)}


def own_foods_by_id(
    session: Session, owner_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Food]:
    """The person's own foods (tombstones included) among `ids`, in one query."""
    if not ids:
        return {}
    stmt = select(Food).where(Food.owner_id == owner_id, Food.source == "user", Food.id.in_(ids))
    return {food.id: food for food in session.scalars(stmt)}


def bump_recents(
    session: Session, user_id: uuid.UUID, food_ids: Iterable[uuid.UUID], at: dt.datetime
) -> None:
    rows = [
        {"user_id": user_id, "food_id": food_id, "last_used_at": at, "use_count": 1}
        for food_id in dict.fromkeys(food_ids)
    ]
    if not rows:
        return
    table = FoodRecent.__table__
    assert isinstance(table, Table)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "food_id"],
        set_={"last_used_at": stmt.excluded.last_used_at, "use_count": table.c.use_count + 1},
    )
    session.execute(stmt, rows)


def forget_recent(session: Session, user_id: uuid.UUID, food_id: uuid.UUID) -> None:
    session.execute(
        delete(FoodRecent).where(FoodRecent.user_id == user_id, FoodRecent.food_id == food_id)
    )


# --- catalog meta ----------------------------------------------------------------------------


def get_meta(session: Session, key: str) -> str | None:
    # A SELECT, not session.get: upserts bypass the identity map.
    return session.scalar(select(CatalogMeta.value).where(CatalogMeta.key == key))


def set_meta(session: Session, key: str, value: str) -> None:
    table = CatalogMeta.__table__
    assert isinstance(table, Table)
    upsert(session, table, [{"key": key, "value": value}], ["key"], ["value"])
