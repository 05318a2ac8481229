"""Load the USDA SR28 foods into `foods`: streamed, batched upserts, safe to run again.

Two inputs give the same rows: the full SR28 download (`fortify catalog import-usda DIR`) and
the compact pack shipped with the code (`data/usda_sr28.json.gz`, built from SR28 by
tools/build_usda_pack.py), which `fortify migrate` loads when the catalog lacks it, so a fresh
install offers every SR28 food with no manual step.

Each food's id is UUID5("usda:<NDB number>") and (source, source_id) is unique, so a second run
updates the same rows (`INSERT … ON CONFLICT (source, source_id) DO UPDATE`) and never
duplicates them. Rows are written in batches of `BATCH` with one executemany each. The caller
owns the transaction: the CLI commits once at the end, so an interrupted import leaves the
previous catalog untouched.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

from sqlalchemy.orm import Session

from fortify.catalog import repository as repo
from fortify.catalog import search
from fortify.catalog import service as catalog
from fortify.catalog.usda import UsdaFood, count_foods, iter_foods, read_pack
from fortify.core.db import utcnow

BATCH: Final = 1000
#: catalog_meta key: the digest of the pack last loaded (absent when the USDA rows came from a
#: full download, or there are none).
PACK_KEY: Final = "usda_pack"

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


def _batches(foods: Iterable[UsdaFood], size: int) -> Iterator[list[UsdaFood]]:
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
    return _import(session, iter_foods(directory), progress)


def _import(
    session: Session, foods: Iterable[UsdaFood], progress: Progress | None = None
) -> ImportResult:
    started = time.perf_counter()
    existing = repo.source_ids(session, "usda")
    inserted = updated = 0
    now = utcnow()
    table = catalog.foods_table()
    for batch in _batches(foods, BATCH):
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


def pack_bytes() -> bytes:
    """The shipped pack, gzip-compressed (about 0.3 MB)."""
    return (resources.files("fortify.catalog") / "data" / "usda_sr28.json.gz").read_bytes()


def load_usda_pack(session: Session, data: bytes | None = None) -> ImportResult | None:
    """Load the shipped SR28 pack when the catalog lacks it; None when there was nothing to do.

    Idempotent and cheap when done (one read of the stored digest). It loads when there are no
    USDA foods, or when an earlier pack was loaded and the shipped one has changed (then USDA
    rows the new pack no longer holds go). A catalog imported by hand from a full download
    (USDA rows, no pack digest) is left as the operator made it.
    """
    data = pack_bytes() if data is None else data
    digest = hashlib.sha256(data).hexdigest()
    loaded = repo.get_meta(session, PACK_KEY)
    if loaded == digest:
        return None
    if loaded is None and repo.count_foods(session, "usda") > 0:
        return None
    foods = list(read_pack(data))
    result = _import(session, foods)
    if loaded is not None:
        repo.delete_catalog_foods(session, "usda", {food.ndb_no for food in foods})
    repo.set_meta(session, PACK_KEY, digest)
    session.flush()
    return result


@dataclass(frozen=True)
class CatalogLoad:
    curated_written: bool
    usda: ImportResult | None  # None: the pack was loaded already (or a full download was)
    foods: int  # curated + USDA foods in the catalog afterwards
    seconds: float


def ensure_catalog(session: Session) -> CatalogLoad:
    """`fortify migrate`'s reference data: the curated foods and the USDA pack, each only when
    missing or changed. The caller commits once, so a failed load leaves the catalog as it was."""
    started = time.perf_counter()
    curated = catalog.sync_curated(session)
    usda = load_usda_pack(session)
    foods = repo.count_foods(session, "curated") + repo.count_foods(session, "usda")
    return CatalogLoad(curated, usda, foods, time.perf_counter() - started)
