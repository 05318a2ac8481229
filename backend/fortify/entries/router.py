"""REST routes for every entry kind, generated from the kind registry.

No `from __future__ import annotations` here: the route functions are annotated with classes
held in local variables, which FastAPI can only see when annotations are evaluated eagerly.

Each kind gets the same seven operations with its own schemas and operation ids
(`meals_list`, `meals_create`, …), so generated clients read naturally.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel

from fortify.accounts.deps import CurrentUser, person_etag
from fortify.core.deps import SessionDep
from fortify.core.errors import problem_responses
from fortify.core.etag import NOT_MODIFIED, conditional
from fortify.core.schema import Day, Page
from fortify.entries import service
from fortify.entries.kinds import KINDS, EntryKind
from fortify.entries.schemas import EntryIdMixin

router = APIRouter(prefix="/api/v1", responses=problem_responses(401, 403, 422))


def _add_routes(kind: EntryKind) -> None:
    Fields: Any = kind.fields
    Read: Any = kind.read
    Patch: Any = kind.patch
    Create: Any = type(
        f"{Fields.__name__.removesuffix('Fields')}Create", (EntryIdMixin, Fields), {}
    )
    tag = kind.name
    item_path = f"/{kind.name}/{{entry_id}}"
    not_found = problem_responses(404)

    def list_(
        request: Request,
        response: Response,
        user: CurrentUser,
        session: SessionDep,
        from_: Annotated[
            Day | None,
            Query(alias="from", description="First local day (in the profile's time zone)."),
        ] = None,
        to: Annotated[Day | None, Query(description="Last local day, inclusive.")] = None,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 50,
    ) -> Any:
        not_modified = conditional(request, response, person_etag(request, user))
        if not_modified is not None:
            return not_modified
        rows, next_cursor = service.list_entries(
            session, user, kind, first=from_, last=to, cursor=cursor, limit=limit
        )
        return {"items": [kind.read_row(r) for r in rows], "next_cursor": next_cursor}

    def create(data: Create, user: CurrentUser, session: SessionDep, response: Response) -> Any:
        fields = Fields.model_validate(data.model_dump(exclude={"id"}, exclude_unset=True))
        row, created = service.create_entry(session, user, kind, fields, data.id)
        response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        response.headers["Location"] = f"/api/v1/{kind.name}/{row.id}"
        return kind.read_row(row)

    def read(entry_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Any:
        return kind.read_row(service.get_entry(session, user, kind, entry_id))

    def replace(entry_id: uuid.UUID, data: Fields, user: CurrentUser, session: SessionDep) -> Any:
        return kind.read_row(service.replace_entry(session, user, kind, entry_id, data))

    def patch(entry_id: uuid.UUID, data: Patch, user: CurrentUser, session: SessionDep) -> Any:
        return kind.read_row(service.patch_entry(session, user, kind, entry_id, data))

    def delete(entry_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
        service.delete_entry(session, user, kind, entry_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    # OpenAPI links: what a client (and the stateful fuzzer) can do next with a created entry.
    links = {
        name: {
            "operationId": f"{kind.name}_{name}",
            "parameters": {"entry_id": "$response.body#/id"},
        }
        for name in ("read", "replace", "update", "delete")
    }
    page_model: Any = Page[Read]
    router.add_api_route(
        f"/{kind.name}",
        list_,
        methods=["GET"],
        response_model=page_model,
        tags=[tag],
        operation_id=f"{kind.name}_list",
        summary=f"List {kind.label}s",
        description="Sends an ETag; answers 304 to `If-None-Match` while nothing changed.",
        responses=NOT_MODIFIED,
    )
    router.add_api_route(
        f"/{kind.name}",
        create,
        methods=["POST"],
        response_model=Read,
        tags=[tag],
        status_code=status.HTTP_201_CREATED,
        operation_id=f"{kind.name}_create",
        summary=f"Log a {kind.label}",
        description="201 when created; 200 when the same id and content were sent before "
        "(a safe retry); 409 when the id holds different content.",
        responses={
            **problem_responses(409),
            200: {"model": Read, "description": "Already created: a safe retry", "links": links},
            201: {"description": "Created", "links": links},
        },
    )
    router.add_api_route(
        item_path,
        read,
        methods=["GET"],
        response_model=Read,
        tags=[tag],
        operation_id=f"{kind.name}_read",
        summary=f"Read a {kind.label}",
        responses=not_found,
    )
    router.add_api_route(
        item_path,
        replace,
        methods=["PUT"],
        response_model=Read,
        tags=[tag],
        operation_id=f"{kind.name}_replace",
        summary=f"Replace a {kind.label}",
        responses=not_found,
    )
    router.add_api_route(
        item_path,
        patch,
        methods=["PATCH"],
        response_model=Read,
        tags=[tag],
        operation_id=f"{kind.name}_update",
        summary=f"Change some fields of a {kind.label}",
        responses=not_found,
    )
    router.add_api_route(
        item_path,
        delete,
        methods=["DELETE"],
        status_code=status.HTTP_204_NO_CONTENT,
        tags=[tag],
        operation_id=f"{kind.name}_delete",
        summary=f"Delete a {kind.label}",
        responses=not_found,
        response_class=Response,
    )


for _kind in KINDS.values():
    _add_routes(_kind)


def read_model(kind: EntryKind) -> type[BaseModel]:
    return kind.read
