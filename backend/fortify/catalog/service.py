"""The catalog's rules: who sees which food, people's own foods, favourites, recents, search,
the offline pack, the curated sync and supplement-label conversion.

This module is the domain's face to the rest of the app (routes, entries, sync, portability
call it); the rules live in one module per part: `foods.py` (ids, visibility, the API's view,
meal items), `reference.py` (the catalog version, the curated sync, the search index),
`food_search.py` (search, recents, favourites as lists), `favourites.py`, `custom_foods.py`
(the `custom_foods` entry kind), `offline_pack.py` and `labels.py`. Queries sit in
`repository.py`.

Services only flush; the request's session dependency commits or rolls back.
"""

from __future__ import annotations

from fortify.catalog.custom_foods import (
    CUSTOM_FOOD_COLUMNS,
    CUSTOM_FOODS,
    CustomFoodKind,
    changed_custom_foods,
    create_custom_food,
    custom_food_change_keys,
    custom_food_fields,
    food_id_taken,
    list_custom_foods,
    own_foods,
    own_foods_by_id,
    tombstone_custom_food,
    write_custom_food,
)
from fortify.catalog.favourites import (
    add_favourite,
    changed_favourites,
    check_favourite_food,
    favourite_change_keys,
    favourites_by_food,
    purge_favourite_tombstones,
    remove_favourite,
    tombstone_favourite,
    write_favourite,
)
from fortify.catalog.food_search import (
    OWN_INDEXES_KEPT,
    favourite_foods,
    recent_foods,
    search_foods,
)
from fortify.catalog.foods import (
    FOOD_NAMESPACE,
    MAX_RECENTS,
    MAX_SEARCH_PAGE,
    Personal,
    catalog_food_id,
    check_meal_foods,
    food_view,
    foods_by_id,
    foods_table,
    get_food,
    personal,
    resolve_food_ref,
    visible,
)
from fortify.catalog.labels import (
    convert_label,
    supplement_forms,
)
from fortify.catalog.offline_pack import (
    gzip_body,
    offline_pack,
)
from fortify.catalog.reference import (
    CATALOG_UPDATE_COLUMNS,
    CATALOG_VERSION_KEY,
    CURATED_HASH_KEY,
    INDEX_CHECK_SECONDS,
    NORMALISER_KEY,
    CatalogIndex,
    bump_catalog_version,
    catalog_index,
    catalog_version,
    load_reference_data,
    sync_curated,
)

__all__ = [
    "CATALOG_UPDATE_COLUMNS",
    "CATALOG_VERSION_KEY",
    "CURATED_HASH_KEY",
    "CUSTOM_FOODS",
    "CUSTOM_FOOD_COLUMNS",
    "FOOD_NAMESPACE",
    "INDEX_CHECK_SECONDS",
    "MAX_RECENTS",
    "MAX_SEARCH_PAGE",
    "NORMALISER_KEY",
    "OWN_INDEXES_KEPT",
    "CatalogIndex",
    "CustomFoodKind",
    "Personal",
    "add_favourite",
    "bump_catalog_version",
    "catalog_food_id",
    "catalog_index",
    "catalog_version",
    "changed_custom_foods",
    "changed_favourites",
    "check_favourite_food",
    "check_meal_foods",
    "convert_label",
    "create_custom_food",
    "custom_food_change_keys",
    "custom_food_fields",
    "favourite_change_keys",
    "favourite_foods",
    "favourites_by_food",
    "food_id_taken",
    "food_view",
    "foods_by_id",
    "foods_table",
    "get_food",
    "gzip_body",
    "list_custom_foods",
    "load_reference_data",
    "offline_pack",
    "own_foods",
    "own_foods_by_id",
    "personal",
    "purge_favourite_tombstones",
    "recent_foods",
    "remove_favourite",
    "resolve_food_ref",
    "search_foods",
    "supplement_forms",
    "sync_curated",
    "tombstone_custom_food",
    "tombstone_favourite",
    "visible",
    "write_custom_food",
    "write_favourite",
]
