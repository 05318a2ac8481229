"""The offline pack: the curated catalog plus the person's own, favourite and recent foods."""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.catalog import repository as repo
from fortify.catalog.foods import (
    Personal,
    personal,
    visible,
)
from fortify.catalog.models import Food
from fortify.catalog.reference import catalog_version

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
    foods += [extra[i] for i in extra_ids if visible(extra.get(i), user.id)]
    document = {
        "catalog_version": catalog_version(session),
        "portions_format": ["label", "grams"],
        "foods": [_compact(food, mine) for food in foods],
    }
    body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    return body, f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def gzip_body(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)
