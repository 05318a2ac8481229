"""The catalog everyone shares: its version, the curated sync at startup, and the
per-process search index."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from fortify.catalog import repository as repo
from fortify.catalog import search
from fortify.catalog.curated import CuratedFood, load_curated
from fortify.catalog.foods import (
    catalog_food_id,
    foods_table,
)
from fortify.catalog.models import CatalogMeta
from fortify.core.db import session_factory, session_scope, utcnow

logger = logging.getLogger(__name__)

CATALOG_VERSION_KEY: Final = "catalog_version"
CURATED_HASH_KEY: Final = "curated_hash"
NORMALISER_KEY: Final = "normaliser_version"

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
