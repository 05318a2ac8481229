"""REST routes for every entry kind, generated from the kind registry.

No `from __future__ import annotations` here: the route functions are annotated with classes
held in local variables, which FastAPI can only see when annotations are evaluated eagerly.

Each kind gets the same six operations with its own schemas: its list (by local day) here, the
create, read, PUT, PATCH and DELETE from the entry-resource route factory (entries/routes.py).
Operation ids are `{kind}_{name}` (`meals_list`, `meals_create`, …), so generated clients read
naturally.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from fortify.accounts.deps import CurrentUser, person_etag
from fortify.core.deps import SessionDep
from fortify.core.errors import problem_responses
from fortify.core.etag import NOT_MODIFIED, conditional
from fortify.core.schema import Day, Page
from fortify.entries import service
from fortify.entries.kinds import KINDS, EntryKind
from fortify.entries.routes import Op, add_entry_routes
from fortify.entries.schemas import EntryIdMixin

router = APIRouter(prefix="/api/v1", responses=problem_responses(401, 403, 422))


def _add_routes(kind: EntryKind) -> None:
    Fields: Any = kind.fields
    Read: Any = kind.read
    Create: Any = type(
        f"{Fields.__name__.removesuffix('Fields')}Create", (EntryIdMixin, Fields), {}
    )
    tag = kind.name

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
        name="list",
        summary=f"List {kind.label}s",
        description="Sends an ETag; answers 304 to `If-None-Match` while nothing changed.",
        responses=NOT_MODIFIED,
    )
    add_entry_routes(
        router,
        kind,
        path=f"/{kind.name}",
        id_name="entry_id",
        tag=tag,
        create_schema=Create,
        ops={
            "create": Op(
                "create",
                f"Log a {kind.label}",
                "201 when created; 200 when the same id and content were sent before "
                "(a safe retry); 409 when the id holds different content.",
                {
                    **problem_responses(409),
                    200: {
                        "model": Read,
                        "description": "Already created: a safe retry",
                        "links": links,
                    },
                    201: {"description": "Created", "links": links},
                },
            ),
            "read": Op("read", f"Read a {kind.label}"),
            "replace": Op("replace", f"Replace a {kind.label}"),
            "update": Op("update", f"Change some fields of a {kind.label}"),
            "delete": Op("delete", f"Delete a {kind.label}"),
        },
    )


for _kind in KINDS.values():
    _add_routes(_kind)


def read_model(kind: EntryKind) -> type[BaseModel]:
    return kind.read
