"""Finding foods: search (ranking in `catalog.search`), recents and favourites as lists."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from typing import Any, Final

from sqlalchemy.orm import Session

from fortify.accounts.deps import Versioned
from fortify.accounts.models import User
from fortify.catalog import repository as repo
from fortify.catalog import search
from fortify.catalog.foods import (
    food_view,
    personal,
    visible,
)
from fortify.catalog.reference import catalog_index
from fortify.core import cursor as cursors

# People's own foods, indexed per (person, change number): any write to their foods moves it.
_own_indexes: OrderedDict[tuple[uuid.UUID, int], search.SearchIndex] = OrderedDict()
OWN_INDEXES_KEPT: Final = 256

_parse_offset = cursors.parse_bounded_int(0, 10_000)


def _decode_offset(cursor: str | None) -> int:
    return cursors.decode(cursor, _parse_offset) if cursor else 0


def _encode_offset(offset: int) -> str:
    return cursors.encode(str(offset))


def search_foods(
    session: Session, user: Versioned, q: str, *, limit: int, cursor: str | None
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
            if not visible(row, user.id):
                continue
            assert row is not None
            view = food_view(row)
            if row.source != "user":
                views[food_id] = view
        items.append(view | mine.flags(food_id))
    next_cursor = _encode_offset(offset + limit) if len(ids) > offset + limit else None
    return items, next_cursor


def _own_index(session: Session, user: Versioned) -> search.SearchIndex:
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
    return [food_view(rows[i], mine) for i in mine.recents if visible(rows.get(i), user.id)]


def favourite_foods(session: Session, user: User) -> list[dict[str, Any]]:
    mine = personal(session, user)
    rows = repo.foods_by_id(session, mine.favourites)
    return [food_view(rows[i], mine) for i in mine.favourites if visible(rows.get(i), user.id)]
