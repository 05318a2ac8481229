"""REST routes of the food catalog and the supplement forms. A person's own foods get their
create, read, PUT, PATCH and DELETE from the entry-resource route factory (entries/routes.py).

Fixed paths (`/foods/custom`, `/foods/recent`, `/foods/favourites`, `/foods/offline-pack`) are
declared before `/foods/{food_id}`, so they are never read as an id.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response, status

from fortify.accounts.deps import Bearer, CurrentUser, Person, Reader, as_person
from fortify.catalog import service
from fortify.catalog.schemas import (
    ConvertedLabel,
    CustomFoodCreate,
    CustomFoodPage,
    CustomFoodRead,
    FoodPage,
    FoodRead,
    LabelConversion,
    SupplementFormRead,
)
from fortify.core.deps import SessionDep
from fortify.core.errors import problem_responses
from fortify.core.etag import CACHE_CONTROL
from fortify.entries.routes import Op, add_entry_routes

router = APIRouter(prefix="/api/v1", responses=problem_responses(401, 403, 422))
TAGS: list[Any] = ["foods"]
NOT_FOUND = problem_responses(404)


@router.get(
    "/foods",
    response_model=FoodPage,
    tags=TAGS,
    summary="Search foods",
)
async def search_foods(
    request: Request,
    credentials: Bearer,
    q: Annotated[
        str,
        Query(
            max_length=100,
            description="Words of a food's name, in any order; typos, plurals and British "
            "spellings are forgiven. Empty: your recent, then favourite, foods.",
        ),
    ] = "",
    limit: Annotated[int, Query(ge=1, le=service.MAX_SEARCH_PAGE)] = 20,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
) -> Any:
    """Your own, favourite and recent foods first among comparable matches, then the curated
    protocol foods, then USDA SR28. Each food comes with its portions and nutrients per 100 g."""
    # async, signing in and searching in one hop to a worker thread (`as_person`): a search
    # needs only her id and change counter of the person, where the whole person, a session
    # dependency and a sync route took three hops.
    items, next_cursor = await as_person(request, credentials, _search, q, limit, cursor)
    return {"items": items, "next_cursor": next_cursor}


def _search(
    read: Reader, person: Person, q: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    with read() as session:
        return service.search_foods(session, person, q, limit=limit, cursor=cursor)


@router.get(
    "/foods/recent",
    response_model=list[FoodRead],
    tags=TAGS,
    summary="Foods you logged lately",
)
def recent_foods(user: CurrentUser, session: SessionDep) -> Any:
    """Up to 50 foods named by your meal items, most recently logged first."""
    return service.recent_foods(session, user)


@router.get(
    "/foods/favourites",
    response_model=list[FoodRead],
    tags=TAGS,
    summary="Your favourite foods",
)
def favourite_foods(user: CurrentUser, session: SessionDep) -> Any:
    return service.favourite_foods(session, user)


@router.get(
    "/foods/offline-pack",
    tags=TAGS,
    summary="The catalog for offline search",
    responses={
        200: {"description": "The pack", "content": {"application/json": {}}},
        304: {"description": "Unchanged since the ETag sent in If-None-Match"},
    },
)
def offline_pack(
    user: CurrentUser,
    session: SessionDep,
    if_none_match: Annotated[str | None, Header()] = None,
    accept_encoding: Annotated[str | None, Header()] = None,
) -> Response:
    """The curated foods plus your own, favourite and recent foods, as one compact document:
    `{catalog_version, portions_format, foods: [...]}`; a food's nutrients list only known
    values (absent = unknown) and its portions are `[label, grams]` pairs. Send the ETag back
    in `If-None-Match` to get 304 when nothing changed."""
    body, etag = service.offline_pack(session, user)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if if_none_match and _weak_match(if_none_match, etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    if accept_encoding and "gzip" in accept_encoding.lower():
        headers["Content-Encoding"] = "gzip"
        body = service.gzip_body(body)
    return Response(content=body, media_type="application/json", headers=headers)


def _weak_match(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2) of the tag with any tag in If-None-Match."""
    if if_none_match.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in if_none_match.split(","))


@router.get(
    "/foods/custom",
    response_model=CustomFoodPage,
    tags=TAGS,
    summary="List your own foods",
)
def list_custom(
    user: CurrentUser,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    rows, next_cursor = service.list_custom_foods(session, user, cursor=cursor, limit=limit)
    return {"items": [service.food_view(r) for r in rows], "next_cursor": next_cursor}


add_entry_routes(
    router,
    service.CUSTOM_FOODS,
    path="/foods/custom",
    id_name="food_id",
    tag="foods",
    create_schema=CustomFoodCreate,
    ops={
        "create": Op(
            "create_custom",
            "Create a food of your own",
            "201 when created; 200 when the same id and content were sent before (a safe "
            "retry); 409 when the id holds different content.",
            {
                **problem_responses(409),
                200: {"model": CustomFoodRead, "description": "Already created: a safe retry"},
            },
        ),
        "read": Op("read_custom", "Read a food of your own"),
        "replace": Op("replace_custom", "Replace a food of your own"),
        "update": Op("patch_custom", "Change some fields of a food of your own"),
        "delete": Op("delete_custom", "Delete a food of your own"),
    },
)


@router.get(
    "/foods/{food_id}",
    response_model=FoodRead,
    tags=TAGS,
    summary="Read a food",
    responses=NOT_FOUND,
)
def read_food(food_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Any:
    """A curated or USDA food, or one of your own."""
    food = service.get_food(session, user, food_id)
    return service.food_view(food, service.personal(session, user))


@router.put(
    "/foods/{food_id}/favourite",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=TAGS,
    summary="Mark a food as a favourite",
    responses=NOT_FOUND,
)
def add_favourite(food_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    service.add_favourite(session, user, food_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/foods/{food_id}/favourite",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=TAGS,
    summary="Stop marking a food as a favourite",
    responses=NOT_FOUND,
)
def remove_favourite(food_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    service.remove_favourite(session, user, food_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/supplement-forms",
    response_model=list[SupplementFormRead],
    tags=["supplement-forms"],
    summary="Supplement and medicine forms",
)
def list_forms(user: CurrentUser) -> Any:
    """Every form with its elemental fraction (minerals), the servings a unit gives, and the
    source of its numbers."""
    return service.supplement_forms()


@router.post(
    "/supplement-forms/convert",
    response_model=ConvertedLabel,
    tags=["supplement-forms"],
    summary="Turn a label into per-unit nutrients",
)
def convert_label(data: LabelConversion, user: CurrentUser) -> Any:
    """Give either the elemental amount ("500 mg calcium") or the compound weight ("1250 mg
    calcium carbonate"), IU or mcg for vitamin D, mcg for K2, EPA/DHA mg for fish oil; the
    answer is what one unit gives, ready for a regimen item's `nutrients_per_unit` and
    `servings_per_unit`."""
    return service.convert_label(data)
