"""Catalog tables: foods (curated, USDA and people's own), favourites, recents, catalog meta.

One `foods` table holds all three sources so that a meal item, a favourite or a recent points
at one kind of id. Curated and USDA rows get deterministic ids (UUID5 of "curated:<key>" and
"usda:<NDB number>"), so every installation, every database and every offline pack names the
same food with the same id, and an import can upsert without reading ids back. People's own
foods ("user") carry client-generated ids like entries, belong to `owner_id`, and have the
sync columns `version` (the owner's change number, `accounts.service.next_version`) and
`deleted_at` (a delete is a tombstone), so the sync feed can pass them on.

Recent foods live in a small `food_recents` table rather than being derived from meals: a
meal's items are a JSON list, and reading "the foods this person logged lately" from it would
mean unnesting JSON differently on SQLite (`json_each`) and PostgreSQL
(`jsonb_array_elements`) over every meal, on every search keystroke. A row per (person, food),
bumped when a meal item names the food, is one indexed read for search and the offline pack.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from fortify.core.db import Base, UTCDateTime, utcnow

SOURCES = ("curated", "usda", "user")


class Food(Base):
    __tablename__ = "foods"
    __table_args__ = (
        # NULLs are distinct, so user foods (source_id NULL) never collide.
        UniqueConstraint("source", "source_id"),
        Index("ix_foods_owner_id_version", "owner_id", "version"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    source: Mapped[str] = mapped_column(String(10))
    source_id: Mapped[str | None] = mapped_column(String(64))
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    synonyms: Mapped[list[str]] = mapped_column(JSON)
    food_group: Mapped[str] = mapped_column(String(100))
    nutrients_per_100g: Mapped[dict[str, Any]] = mapped_column(JSON)
    servings_grams: Mapped[dict[str, Any]] = mapped_column(JSON)
    tags: Mapped[list[str]] = mapped_column(JSON)
    portions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Normalised name and synonyms, " | "-separated (search.normalise); the search index's input.
    search_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # User foods only: the owner's change number of the last write, and the tombstone.
    version: Mapped[int | None] = mapped_column(Integer)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class FoodFavourite(Base):
    """A favourite food of one person; a sync record (entity "favourites") whose id is the
    food's id. Removing one leaves a tombstone (`deleted_at`) that the change feed passes on;
    `version` is the person's change number of the last write, as for entries."""

    __tablename__ = "food_favourites"
    __table_args__ = (Index("ix_food_favourites_user_id_version", "user_id", "version"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    food_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("foods.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class FoodRecent(Base):
    __tablename__ = "food_recents"
    __table_args__ = (Index("ix_food_recents_user_id_last_used_at", "user_id", "last_used_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    food_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("foods.id", ondelete="CASCADE"), primary_key=True
    )
    last_used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    use_count: Mapped[int] = mapped_column(Integer)


class CatalogMeta(Base):
    """Small key/value facts about the reference data: the curated content hash and the catalog
    version that search indexes compare to know they are stale."""

    __tablename__ = "catalog_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
