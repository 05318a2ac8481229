"""A person's own foods: the `custom_foods` entry kind (entries/resource.py) and its sync
support."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from typing import Any, Final, cast

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.catalog import repository as repo
from fortify.catalog import search
from fortify.catalog.favourites import tombstone_favourite
from fortify.catalog.foods import (
    food_view,
    foods_table,
)
from fortify.catalog.models import Food
from fortify.catalog.schemas import (
    CustomFoodFields,
    CustomFoodPatch,
    CustomFoodRead,
)
from fortify.core import cursor as cursors
from fortify.core import limits
from fortify.core.db import utcnow
from fortify.core.errors import Conflict
from fortify.core.schema import StrictModel, validated
from fortify.entries import resource
from fortify.entries.resource import EntryResource

CUSTOM_FOOD_COLUMNS: Final = (
    "name",
    "synonyms",
    "food_group",
    "nutrients_per_100g",
    "servings_grams",
    "portions",
    "tags",
)


def custom_food_fields(food: Any) -> dict[str, Any]:
    """The stored food (an ORM row or a plain row) as its writable fields, JSON-ready."""
    return {name: getattr(food, name) for name in CUSTOM_FOOD_COLUMNS}


class CustomFoodKind(EntryResource):
    """People's own foods live in the shared `foods` table, so their ids are global: an id
    another food holds (someone else's, or a catalog food's) is refused, with the same answer
    whoever holds it. A deleted food leaves the person's favourites and recents."""

    name = "custom_foods"
    label = "food"
    fields = CustomFoodFields
    patch = CustomFoodPatch
    read = CustomFoodRead
    per_person = (
        limits.MAX_CUSTOM_FOODS,
        "foods of your own",
        "Delete foods you no longer use, then add this one.",
    )

    def live_count(self, session: Session, user_id: uuid.UUID) -> int:
        stmt = select(func.count()).where(
            Food.owner_id == user_id, Food.source == "user", Food.deleted_at.is_(None)
        )
        return session.scalar(stmt) or 0

    @property
    def missing(self) -> str:
        return "No food of yours with this id."

    def find(self, session: Session, user_id: uuid.UUID, record_id: uuid.UUID) -> Any:
        food = repo.get_food(session, record_id)
        if food is None or food.source != "user" or food.owner_id != user_id:
            return None
        return food

    def id_taken(self, session: Session, record_id: uuid.UUID) -> bool:
        return repo.get_food(session, record_id) is not None

    def new_row(self, user_id: uuid.UUID, record_id: uuid.UUID) -> Food:
        return Food(
            id=record_id, source="user", source_id=None, owner_id=user_id, created_at=utcnow()
        )

    def columns(self, data: StrictModel) -> dict[str, Any]:
        assert isinstance(data, CustomFoodFields)
        return {
            "name": data.name,
            "synonyms": list(data.synonyms),
            "food_group": data.food_group,
            "nutrients_per_100g": data.nutrients_per_100g.model_dump(),
            "servings_grams": data.servings_grams.model_dump(exclude_none=True),
            "portions": [p.model_dump() for p in data.portions],
            "tags": list(data.tags),
            "search_text": search.search_text(data.name, data.synonyms),
        }

    def row_fields(self, row: Any) -> dict[str, Any]:
        return custom_food_fields(row)

    def read_row(self, row: Any) -> dict[str, Any]:
        return food_view(row)

    def after_write(self, session: Session, user: User, row: Any, now: dt.datetime) -> None:
        if row.deleted_at is None:
            return
        favourite = repo.get_favourite(session, user.id, row.id)
        if favourite is not None and favourite.deleted_at is None:
            tombstone_favourite(session, user.id, favourite)
        repo.forget_recent(session, user.id, row.id)
        session.flush()


CUSTOM_FOODS = CustomFoodKind()


def create_custom_food(
    session: Session, user: User, data: CustomFoodFields, food_id: uuid.UUID | None
) -> tuple[Food, bool]:
    """Create the food; returns (row, created). A retry of the same create is not an error."""
    return resource.create_entry(session, user, CUSTOM_FOODS, data, food_id)


def food_id_taken(session: Session, food_id: uuid.UUID) -> bool:
    """Whether any food (anyone's, or the catalog's) holds this id."""
    return CUSTOM_FOODS.id_taken(session, food_id)


def own_foods(session: Session, user_id: uuid.UUID) -> list[Food]:
    """The person's live own foods (an export)."""
    return repo.own_foods(session, user_id)


def list_custom_foods(
    session: Session, user: User, *, cursor: str | None, limit: int
) -> tuple[list[Food], str | None]:
    after = cursors.decode(cursor, _parse_custom_cursor) if cursor else None
    rows = repo.list_own_foods(session, user.id, after=after, limit=limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = cursors.encode(f"{rows[-1].name}|{rows[-1].id}")
    return rows, next_cursor


def _parse_custom_cursor(raw: str) -> tuple[str, uuid.UUID]:
    name, food_id = raw.rsplit("|", 1)
    return name, uuid.UUID(food_id)


# --- sync support (fortify.sync): writes by id, the change feed ------------------------------
# A custom food's sync record is its `CustomFoodFields` (id: the food's id). Tombstones of
# custom foods are never purged: older meals may name the food, and a meal item must keep
# resolving.


def own_foods_by_id(
    session: Session, user_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Food]:
    """The person's own foods (tombstones too) among `ids`."""
    return repo.own_foods_by_id(session, user_id, ids)


def write_custom_food(
    session: Session, user: User, food_id: uuid.UUID, food: Food | None, changes: dict[str, Any]
) -> Food:
    """Create the food (all fields in `changes`) or lay `changes` over the stored fields,
    validate the whole and write it with the next change number (a tombstone comes back)."""
    data: StrictModel
    if food is None:
        data = validated(CustomFoodFields, changes)
        if CUSTOM_FOODS.id_taken(session, food_id):
            raise Conflict("A food with this id exists already.", field="id", rule="unique")
        resource.refuse_when_full(session, user.id, CUSTOM_FOODS)
        food = CUSTOM_FOODS.new_row(user.id, food_id)
        session.add(food)
    else:
        data = resource.merged_fields(CUSTOM_FOODS, food, changes)
        if food.deleted_at is not None:  # brought back (a restored conflict): one more live food
            resource.refuse_when_full(session, user.id, CUSTOM_FOODS)
    return resource.write_row(session, user.id, CUSTOM_FOODS, food, data)  # type: ignore[no-any-return]


def tombstone_custom_food(session: Session, user: User, food: Food) -> None:
    """A tombstone (for sync); the food leaves the person's favourites (a tombstone too, with
    its own change number) and recents."""
    resource.tombstone(session, user.id, CUSTOM_FOODS, food, flush=False)
    CUSTOM_FOODS.after_write(session, user, food, utcnow())


def custom_food_change_keys(user_id: uuid.UUID, after: int) -> Select[int, str, uuid.UUID]:
    """(version, "custom_foods", id) of the person's foods written after change `after`."""
    stmt = select(
        Food.version.label("version"), literal("custom_foods").label("entity"), Food.id.label("id")
    ).where(Food.owner_id == user_id, Food.version > after)
    return cast("Select[int, str, uuid.UUID]", stmt)  # `version > after` leaves no null


def changed_custom_foods(session: Session, user_id: uuid.UUID, after: int, upto: int) -> list[Any]:
    """Plain rows (id, version, deleted_at and the fields) written in (after, upto]."""
    table = foods_table()
    columns = [table.c.id, table.c.version, table.c.deleted_at]
    stmt = select(*columns, *(table.c[name] for name in CUSTOM_FOOD_COLUMNS)).where(
        table.c.owner_id == user_id, table.c.version > after, table.c.version <= upto
    )
    return list(session.execute(stmt))
