"""The catalog's rules: who sees which food, people's own foods, favourites, recents, search,
the offline pack, the curated sync and supplement-label conversion.

Visibility is one rule, applied everywhere (`_visible`): curated and USDA foods are public to
anyone signed in; a person's own food exists only for its owner, and not once deleted. Another
person's food answers exactly like a missing one (404, or 422 `exists` in a meal item), so ids
cannot be probed.

Services only flush; the request's session dependency commits or rolls back.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final, cast

from pydantic import ValidationError
from sqlalchemy import Engine, Select, Table, and_, delete, func, inspect, literal, select
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.accounts.service import next_version
from fortify.catalog import repository as repo
from fortify.catalog import search
from fortify.catalog.curated import CuratedFood, load_curated
from fortify.catalog.forms import FORMS, elemental_from_label, servings_per_unit
from fortify.catalog.models import CatalogMeta, Food, FoodFavourite
from fortify.catalog.schemas import CustomFoodFields, CustomFoodPatch, LabelConversion
from fortify.catalog.usda import NUTRIENT_KEYS
from fortify.core import cursor as cursors
from fortify.core.db import insert_new, session_factory, session_scope, utcnow
from fortify.core.errors import Conflict, InvalidInput, NotFound, validation_errors

logger = logging.getLogger(__name__)

#: Namespace of the deterministic ids of curated and USDA foods (never change it).
FOOD_NAMESPACE: Final = uuid.UUID("6f1d2c1e-5b8a-4c36-9d0e-3a7f4e2b9c51")
CATALOG_VERSION_KEY: Final = "catalog_version"
CURATED_HASH_KEY: Final = "curated_hash"
NORMALISER_KEY: Final = "normaliser_version"
MAX_RECENTS: Final = 50
MAX_SEARCH_PAGE: Final = 50


def catalog_food_id(source: str, source_id: str) -> uuid.UUID:
    """The id every installation gives curated food `key` or USDA food `ndb_no`."""
    return uuid.uuid5(FOOD_NAMESPACE, f"{source}:{source_id}")


def foods_table() -> Table:
    table = Food.__table__
    assert isinstance(table, Table)
    return table


# --- catalog version and curated sync --------------------------------------------------------


def catalog_version(session: Session) -> int:
    return int(repo.get_meta(session, CATALOG_VERSION_KEY) or 0)


def bump_catalog_version(session: Session) -> int:
    """Tell every process's search index that the catalog changed (this process's at once,
    others within `INDEX_CHECK_SECONDS`)."""
    version = catalog_version(session) + 1
    repo.set_meta(session, CATALOG_VERSION_KEY, str(version))
    _indexes.pop(_database_key(session), None)
    return version


def _curated_row(food: CuratedFood) -> dict[str, Any]:
    return {
        "id": catalog_food_id("curated", food.key),
        "source": "curated",
        "source_id": food.key,
        "owner_id": None,
        "name": food.name,
        "synonyms": list(food.synonyms),
        "food_group": food.food_group,
        "nutrients_per_100g": dict(food.nutrients_per_100g),
        "servings_grams": dict(food.servings_grams),
        "tags": list(food.tags),
        "portions": [{"label": p.label, "grams": p.grams} for p in food.portions],
        "search_text": search.search_text(food.name, food.synonyms),
    }


CATALOG_UPDATE_COLUMNS: Final = (
    "name",
    "synonyms",
    "food_group",
    "nutrients_per_100g",
    "servings_grams",
    "tags",
    "portions",
    "search_text",
    "updated_at",
)


@cache
def _curated_snapshot() -> tuple[tuple[dict[str, Any], ...], str]:
    """The curated rows and their content hash (with the normaliser's version), once a process."""
    rows = tuple(_curated_row(food) for food in load_curated())
    content = json.dumps(rows, sort_keys=True, default=str).encode()
    digest = hashlib.sha256(content + f"|n{search.NORMALISER_VERSION}".encode()).hexdigest()
    return rows, digest


def sync_curated(session: Session) -> bool:
    """Make the `foods` table's curated rows match the curated catalog file; idempotent.

    Cheap when up to date: one read of the stored content hash. Returns whether it wrote.
    """
    template, digest = _curated_snapshot()
    if repo.get_meta(session, CURATED_HASH_KEY) == digest:
        return False
    rows = [dict(row) for row in template]
    if repo.get_meta(session, NORMALISER_KEY) != str(search.NORMALISER_VERSION):
        _renormalise(session)
        repo.set_meta(session, NORMALISER_KEY, str(search.NORMALISER_VERSION))
    now = utcnow()
    for row in rows:
        row["created_at"] = row["updated_at"] = now
    repo.upsert(session, foods_table(), rows, ["source", "source_id"], CATALOG_UPDATE_COLUMNS)
    repo.delete_catalog_foods(session, "curated", {row["source_id"] for row in rows})
    repo.set_meta(session, CURATED_HASH_KEY, digest)
    bump_catalog_version(session)
    session.flush()
    return True


def load_reference_data(engine: Engine) -> bool:
    """App startup: bring the curated foods up to date in their own transaction, then build the
    search index, so that the first search after a start does not wait for it.

    Skipped (with a warning) on a database whose schema is not migrated yet: /readyz reports
    that, and `fortify migrate` followed by a restart loads the catalog.
    """
    if not inspect(engine).has_table(CatalogMeta.__tablename__):
        logger.warning("catalog tables missing: curated foods not loaded (run fortify migrate)")
        return False
    wrote = False
    factory = session_factory(engine)
    for session in session_scope(factory):
        wrote = sync_curated(session)
    for session in session_scope(factory):
        catalog_index(session)
    return wrote


def _renormalise(session: Session) -> None:
    """Recompute every food's stored `search_text` after the normaliser changed."""
    values = [
        {"id": food_id, "search_text": search.search_text(name, synonyms or ())}
        for food_id, name, synonyms in repo.all_search_inputs(session)
    ]
    repo.set_search_text(session, values)


# --- the per-process search index ------------------------------------------------------------


@dataclass
class CatalogIndex:
    version: int
    index: search.SearchIndex
    checked_at: float
    # Catalog foods as the API reads them, filled as searches return them: catalog rows only
    # change with the version, so a search reads only the person's own foods from the database.
    views: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)


INDEX_CHECK_SECONDS: Final = 1.0
_indexes: dict[str, CatalogIndex] = {}
_index_lock = threading.Lock()
# People's own foods, indexed per (person, change number): any write to their foods moves it.
_own_indexes: OrderedDict[tuple[uuid.UUID, int], search.SearchIndex] = OrderedDict()
OWN_INDEXES_KEPT: Final = 256


def _database_key(session: Session) -> str:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return engine.url.render_as_string(hide_password=True)


def catalog_index(session: Session) -> CatalogIndex:
    """The catalog's search index for this database, rebuilt when the catalog version moved.

    Built once per process (about 9,000 foods, well under a second). A primary-key read of
    the version, at most once a second, notices an import or a curated sync by another process.
    """
    key = _database_key(session)
    cached = _indexes.get(key)
    now = time.monotonic()
    if cached is not None and now - cached.checked_at < INDEX_CHECK_SECONDS:
        return cached
    version = catalog_version(session)
    if cached is not None and cached.version == version:
        cached.checked_at = now
        return cached
    with _index_lock:
        cached = _indexes.get(key)
        if cached is not None and cached.version == version:
            return cached
        # A USDA food that a curated food stands for is left out of search (still readable by
        # id): the curated one carries the same numbers with better names and portions.
        shadowed = {f.usda_ndb_no for f in load_curated() if f.usda_ndb_no}
        foods = [
            search.IndexedFood(str(food_id), 1 if source == "curated" else 2, name, text)
            for food_id, source, source_id, name, text in repo.catalog_index_rows(session)
            if not (source == "usda" and source_id in shadowed)
        ]
        # In id order, not the database's row order: the same index, and so the same ranking
        # down to the last tie, on SQLite and PostgreSQL.
        foods.sort(key=lambda food: food.id)
        cached = CatalogIndex(version, search.SearchIndex.build(foods), now)
        _indexes[key] = cached
        return cached


# --- reading foods ---------------------------------------------------------------------------


def _visible(food: Food | None, user_id: uuid.UUID) -> bool:
    if food is None:
        return False
    if food.source != "user":
        return True
    return food.owner_id == user_id and food.deleted_at is None


def get_food(session: Session, user: User, food_id: uuid.UUID) -> Food:
    food = repo.get_food(session, food_id)
    if not _visible(food, user.id):
        raise NotFound("No food with this id.")
    assert food is not None
    return food


@dataclass(frozen=True)
class Personal:
    favourites: list[uuid.UUID]
    recents: list[uuid.UUID]

    def flags(self, food_id: uuid.UUID) -> dict[str, bool]:
        return {"favourite": food_id in self.favourites, "recent": food_id in self.recents}


def personal(session: Session, user: User) -> Personal:
    return Personal(
        repo.favourite_ids(session, user.id), repo.recent_ids(session, user.id, MAX_RECENTS)
    )


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


_parse_offset = cursors.parse_bounded_int(0, 10_000)


def _decode_offset(cursor: str | None) -> int:
    return cursors.decode(cursor, _parse_offset) if cursor else 0


def _encode_offset(offset: int) -> str:
    return cursors.encode(str(offset))


def _parse_custom_cursor(raw: str) -> tuple[str, uuid.UUID]:
    name, food_id = raw.rsplit("|", 1)
    return name, uuid.UUID(food_id)


def search_foods(
    session: Session, user: User, q: str, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Foods matching `q` (ranking: `catalog.search`): among foods holding every query word,
    the person's own, favourite and recent ones first, then curated, then USDA. An empty query
    lists recent, then favourite, foods."""
    offset = _decode_offset(cursor)
    want = offset + limit + 1
    mine = personal(session, user)
    words = search.tokens(q)
    if words:
        boosted = {str(i) for i in (*mine.favourites, *mine.recents)}
        catalog_hits = catalog_index(session).index.search(words, want, boosted)
        own_hits = _own_index(session, user).search(words, want)
        ids = [uuid.UUID(hit.id) for hit in search.merge([catalog_hits, own_hits], want)]
    else:
        ids = list(dict.fromkeys([*mine.recents, *mine.favourites]))[:want]
    page = ids[offset : offset + limit]
    views = catalog_index(session).views
    rows = repo.foods_by_id(session, [i for i in page if i not in views])
    items = []
    for food_id in page:
        view = views.get(food_id)
        if view is None:
            row = rows.get(food_id)
            if not _visible(row, user.id):
                continue
            assert row is not None
            view = food_view(row)
            if row.source != "user":
                views[food_id] = view
        items.append(view | mine.flags(food_id))
    next_cursor = _encode_offset(offset + limit) if len(ids) > offset + limit else None
    return items, next_cursor


def _own_index(session: Session, user: User) -> search.SearchIndex:
    key = (user.id, user.sync_version)
    index = _own_indexes.get(key)
    if index is None:
        own = [
            search.IndexedFood(str(food_id), 0, name, text)
            for food_id, name, text in repo.own_food_index_rows(session, user.id)
        ]
        index = _own_indexes[key] = search.SearchIndex.build(own)
        while len(_own_indexes) > OWN_INDEXES_KEPT:
            _own_indexes.popitem(last=False)
    return index


def recent_foods(session: Session, user: User) -> list[dict[str, Any]]:
    mine = personal(session, user)
    rows = repo.foods_by_id(session, mine.recents)
    return [food_view(rows[i], mine) for i in mine.recents if _visible(rows.get(i), user.id)]


def favourite_foods(session: Session, user: User) -> list[dict[str, Any]]:
    mine = personal(session, user)
    rows = repo.foods_by_id(session, mine.favourites)
    return [food_view(rows[i], mine) for i in mine.favourites if _visible(rows.get(i), user.id)]


def add_favourite(session: Session, user: User, food_id: uuid.UUID) -> None:
    """Idempotent: marking a favourite again writes nothing (and takes no change number)."""
    get_food(session, user, food_id)
    favourite = repo.get_favourite(session, user.id, food_id)
    if favourite is None or favourite.deleted_at is not None:
        write_favourite(session, user, food_id, favourite)


def remove_favourite(session: Session, user: User, food_id: uuid.UUID) -> None:
    get_food(session, user, food_id)
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
    if not _visible(repo.get_food(session, food_id), user.id):
        raise InvalidInput(
            "No food with this id: a favourite's id is the id of a catalog food or of one of "
            "yours.",
            field="id",
            rule="exists",
        )


# --- a person's own foods --------------------------------------------------------------------


def _custom_columns(data: CustomFoodFields) -> dict[str, Any]:
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


def _custom_fields(food: Food) -> dict[str, Any]:
    return {
        "name": food.name,
        "synonyms": food.synonyms,
        "food_group": food.food_group,
        "nutrients_per_100g": food.nutrients_per_100g,
        "servings_grams": food.servings_grams,
        "portions": food.portions,
        "tags": food.tags,
    }


def _get_own(session: Session, user: User, food_id: uuid.UUID) -> Food:
    food = repo.get_food(session, food_id)
    if food is None or food.source != "user" or not _visible(food, user.id):
        raise NotFound("No food of yours with this id.")
    return food


def _write_custom(
    session: Session, user: User, food: Food, data: CustomFoodFields, *, flush: bool = True
) -> Food:
    for name, value in _custom_columns(data).items():
        setattr(food, name, value)
    food.updated_at = utcnow()
    food.deleted_at = None
    food.version = next_version(session, user.id)
    if flush:
        session.flush()
    return food


def create_custom_food(
    session: Session, user: User, data: CustomFoodFields, food_id: uuid.UUID | None
) -> tuple[Food, bool]:
    """Create the food; returns (row, created). A retry of the same create is not an error."""
    food_id = food_id or uuid.uuid4()
    existing = repo.get_food(session, food_id)
    if existing is None:
        food = Food(
            id=food_id, source="user", source_id=None, owner_id=user.id, created_at=utcnow()
        )
        _write_custom(session, user, food, data, flush=False)  # not yet in the session
        if insert_new(session, food):
            return food, True
        # The same id committed while this request ran (a retry racing its original).
        existing = repo.get_food(session, food_id)
    if existing is not None:
        mine = existing.owner_id == user.id and existing.deleted_at is None
        if mine and CustomFoodFields.model_validate(_custom_fields(existing)) == data:
            return existing, False
    # The same answer whoever holds the id, so it tells nothing about another's food.
    raise Conflict(
        "A food with this id exists already; update it with PUT or PATCH.",
        field="id",
        rule="unique",
    )


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


def get_custom_food(session: Session, user: User, food_id: uuid.UUID) -> Food:
    return _get_own(session, user, food_id)


def replace_custom_food(
    session: Session, user: User, food_id: uuid.UUID, data: CustomFoodFields
) -> Food:
    return _write_custom(session, user, _get_own(session, user, food_id), data)


def patch_custom_food(
    session: Session, user: User, food_id: uuid.UUID, patch: CustomFoodPatch
) -> Food:
    food = _get_own(session, user, food_id)
    merged = _custom_fields(food) | patch.model_dump(mode="json", exclude_unset=True)
    try:
        data = CustomFoodFields.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "body"
        raise InvalidInput(str(first["msg"]), field=field, rule=str(first["type"])) from exc
    return _write_custom(session, user, food, data)


def delete_custom_food(session: Session, user: User, food_id: uuid.UUID) -> None:
    tombstone_custom_food(session, user, _get_own(session, user, food_id))


def tombstone_custom_food(session: Session, user: User, food: Food) -> None:
    """A tombstone (for sync); the food leaves the person's favourites (a tombstone too, with
    its own change number) and recents."""
    food.deleted_at = food.updated_at = utcnow()
    food.version = next_version(session, user.id)
    favourite = repo.get_favourite(session, user.id, food.id)
    if favourite is not None and favourite.deleted_at is None:
        tombstone_favourite(session, user.id, favourite)
    repo.forget_recent(session, user.id, food.id)
    session.flush()


# --- sync support (fortify.sync): writes by id, the change feed ------------------------------
# A custom food's sync record is its `CustomFoodFields` (id: the food's id); a favourite's is
# `{}` (id: the food's id). Tombstones of custom foods are never purged: older meals may name
# the food, and a meal item must keep resolving.

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


def validated_custom_fields(fields: dict[str, Any]) -> CustomFoodFields:
    try:
        return CustomFoodFields.model_validate(fields)
    except ValidationError as exc:
        first = validation_errors(exc.errors())[0]
        raise InvalidInput(first["detail"], field=first["field"], rule=first["rule"]) from exc


def write_custom_food(
    session: Session, user: User, food_id: uuid.UUID, food: Food | None, changes: dict[str, Any]
) -> Food:
    """Create the food (all fields in `changes`) or lay `changes` over the stored fields,
    validate the whole and write it with the next change number (a tombstone comes back)."""
    if food is None:
        data = validated_custom_fields(changes)
        if repo.get_food(session, food_id) is not None:
            raise Conflict("A food with this id exists already.", field="id", rule="unique")
        food = Food(
            id=food_id, source="user", source_id=None, owner_id=user.id, created_at=utcnow()
        )
        session.add(food)
    else:
        data = validated_custom_fields(custom_food_fields(food) | changes)
    return _write_custom(session, user, food, data)


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


# --- the offline pack ------------------------------------------------------------------------


def _compact(food: Food, mine: Personal) -> dict[str, Any]:
    """One food in the offline pack: known nutrients only (absent = unknown), no empty lists."""
    out: dict[str, Any] = {
        "id": str(food.id),
        "name": food.name,
        "source": food.source,
        "food_group": food.food_group,
        "nutrients_per_100g": {
            k: v for k, v in (food.nutrients_per_100g or {}).items() if v is not None
        },
        "portions": [[p["label"], p["grams"]] for p in food.portions or []],
    }
    if food.source_id:
        out["source_id"] = food.source_id
    for key in ("synonyms", "servings_grams", "tags"):
        if value := getattr(food, key):
            out[key] = value
    if food.id in mine.favourites:
        out["favourite"] = True
    if food.id in mine.recents:
        out["recent"] = True
    return out


def offline_pack(session: Session, user: User) -> tuple[bytes, str]:
    """The curated catalog plus the person's own, favourite and recent foods, as one compact
    JSON document, and its ETag (a hash of the bytes, so any change gives a new tag)."""
    mine = personal(session, user)
    foods = [*repo.curated_foods(session), *repo.own_foods(session, user.id)]
    have = {food.id for food in foods}
    extra_ids = [i for i in dict.fromkeys([*mine.favourites, *mine.recents]) if i not in have]
    extra = repo.foods_by_id(session, extra_ids)
    foods += [extra[i] for i in extra_ids if _visible(extra.get(i), user.id)]
    document = {
        "catalog_version": catalog_version(session),
        "portions_format": ["label", "grams"],
        "foods": [_compact(food, mine) for food in foods],
    }
    body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    return body, f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def gzip_body(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)


# --- supplement labels -----------------------------------------------------------------------

_LABEL_FIELDS: Final = (
    "compound_mg",
    "elemental_mg",
    "iu",
    "mcg",
    "epa_mg",
    "dha_mg",
    "fiber_g",
    "nutrients",
)
_DEFAULT_FIELD: Final = {
    "mineral": "elemental_mg",
    "vitamin_d": "iu",
    "vitamin_k": "mcg",
    "omega_3": "epa_mg",
    "other": "nutrients",
}


def _position(message: str, field: str) -> int:
    """Where a message first names a field ("compound_mg" or "compound mg"); len if nowhere."""
    found = [i for i in (message.find(field), message.find(field.replace("_", " "))) if i >= 0]
    return min(found, default=len(message))


def convert_label(data: LabelConversion) -> dict[str, Any]:
    """Per-unit nutrients and servings from what a label says (elemental or compound)."""
    spec = FORMS.get(data.form)
    if spec is None:
        raise InvalidInput(
            f"Unknown form '{data.form}'; choose one of: {', '.join(FORMS)}.",
            field="form",
            rule="known_form",
        )
    amounts = {name: getattr(data, name) for name in _LABEL_FIELDS}
    try:
        nutrients = elemental_from_label(data.form, **amounts)
    except ValueError as exc:
        message = str(exc)
        # Name the input the message is about, so the form can show it beside that field.
        field = next(
            (
                name
                for name in sorted(_LABEL_FIELDS, key=lambda n: _position(message, n))
                if amounts[name] is not None and _position(message, name) < len(message)
            ),
            _DEFAULT_FIELD.get(spec.input_style, "form"),
        )
        raise InvalidInput(message, field=field, rule="label") from exc
    return {
        "form": data.form,
        "nutrients_per_unit": nutrients,
        "servings_per_unit": servings_per_unit(data.form),
    }


def supplement_forms() -> list[dict[str, Any]]:
    return [
        {
            "key": form.key,
            "label": form.label,
            "kind": form.kind,
            "input_style": form.input_style,
            "nutrient": form.nutrient,
            "elemental_fraction": form.elemental_fraction,
            "servings": dict(form.servings),
            "scored": form.scored,
            "source": form.source,
        }
        for form in FORMS.values()
    ]
