"""Load the USDA SR28 files into `foods`: streamed, batched upserts, safe to run again.

Each food's id is UUID5("usda:<NDB number>") and (source, source_id) is unique, so a second run
updates the same rows (`INSERT … ON CONFLICT (source, source_id) DO UPDATE`) and never
duplicates them. Rows are written in batches of `BATCH` with one executemany each. The caller
owns the transaction: the CLI commits once at the end, so an interrupted import leaves the
previous catalog untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy.orm import Session

from fortify.catalog import repository as repo
from fortify.catalog import search
from fortify.catalog import service as catalog
from fortify.catalog.usda import UsdaFood, count_foods, iter_foods
from fortify.core.db import utcnow

BATCH: Final = 1000

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    updated: int
    seconds: float

    @property
    def total(self) -> int:
        return self.inserted + self.updated


def _row(food: UsdaFood, now: Any) -> dict[str, Any]:
    return {
        "id": catalog.catalog_food_id("usda", food.ndb_no),
        "source": "usda",
        "source_id": food.ndb_no,
        "owner_id": None,
        "name": food.name,
        "synonyms": [],
        "food_group": food.food_group,
        "nutrients_per_100g": dict(food.nutrients_per_100g),
        "servings_grams": {},
        "tags": [],
        "portions": [{"label": p.label, "grams": p.grams} for p in food.portions],
        "search_text": search.search_text(food.name, ()),
        "created_at": now,
        "updated_at": now,
    }


def _batches(foods: Iterator[UsdaFood], size: int) -> Iterator[list[UsdaFood]]:
    batch: list[UsdaFood] = []
    for food in foods:
        batch.append(food)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def total_foods(directory: Path | str) -> int:
    """How many foods the directory holds (for a progress bar's total)."""
    return count_foods(directory)


def import_usda(
    session: Session, directory: Path | str, progress: Progress | None = None
) -> ImportResult:
    """Upsert every SR28 food in `directory`; `progress(n)` is called after each batch of n."""
    started = time.perf_counter()
    existing = repo.source_ids(session, "usda")
    inserted = updated = 0
    now = utcnow()
    table = catalog.foods_table()
    for batch in _batches(iter_foods(directory), BATCH):
        rows = [_row(food, now) for food in batch]
        repo.upsert(session, table, rows, ["source", "source_id"], catalog.CATALOG_UPDATE_COLUMNS)
        for food in batch:
            if food.ndb_no in existing:
                updated += 1
            else:
                inserted += 1
        if progress is not None:
            progress(len(batch))
    catalog.bump_catalog_version(session)
    session.flush()
    return ImportResult(inserted, updated, time.perf_counter() - started)
