"""The route factory of the entry-resource pattern (entries/resource.py): create with a client
id, read, PUT, PATCH and DELETE for any `EntryResource`, with the schemas, paths and words each
domain gives it. Entries, reminders and people's own foods all use it; each domain adds the
routes that are its own (lists, reminder actions) beside them.

No `from __future__ import annotations` here: the route functions are annotated with classes
held in local variables, which FastAPI can only see when annotations are evaluated eagerly.
The route functions have no docstrings on purpose: FastAPI would publish one as the
description of every operation the factory makes.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from fortify.accounts.deps import READ, CurrentPrincipal, CurrentUser, Principal
from fortify.core.deps import Now, SessionDep
from fortify.core.errors import problem_responses
from fortify.entries import resource
from fortify.entries.resource import EntryResource

#: The operations the factory can make.
OPERATIONS = ("create", "read", "replace", "update", "delete")


@dataclass(frozen=True)
class Op:
    """One operation's name (its operation id is `{tag}_{name}`) and its words."""

    name: str
    summary: str | None = None
    description: str | None = None
    responses: Mapping[int | str, Any] | None = None


def add_entry_routes(
    router: APIRouter,
    kind: EntryResource,
    *,
    path: str,
    id_name: str,
    tag: str,
    create_schema: type[Any],
    ops: Mapping[str, Op],
) -> None:
    """Add `ops` (a subset of OPERATIONS) for `kind` at `path` and `path/{id_name}`."""
    Create: Any = create_schema
    Fields: Any = kind.fields
    Patch: Any = kind.patch
    Read: Any = kind.read
    RecordId = Annotated[uuid.UUID, Path(alias=id_name)]
    location = f"{router.prefix}{path}/"
    not_found = problem_responses(404)

    def create(
        data: Create,
        principal: CurrentPrincipal,
        session: SessionDep,
        response: Response,
        now: Now,
    ) -> Any:
        user = principal.user
        can_read = READ in principal.scopes
        fields = Fields.model_validate(data.model_dump(exclude={"id"}, exclude_unset=True))
        row, created = resource.create_entry(
            session, user, kind, fields, data.id, can_read=can_read
        )
        kind.after_write(session, user, row, now)
        response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        response.headers["Location"] = f"{location}{row.id}"
        return answer(principal, row, fields)

    def read(record_id: RecordId, user: CurrentUser, session: SessionDep) -> Any:
        return kind.read_row(resource.get_entry(session, user, kind, record_id))

    def answer(principal: Principal, row: Any, sent: Any) -> Any:
        # The one rule for every write's answer (F2, F4): without `read`, what was sent, the
        # record's id and this write's time; never what `check` completed from stored records
        # nor the record's history (version and created_at are null).
        if READ in principal.scopes:
            return kind.read_row(row)
        return kind.read_row(resource.as_sent(kind, principal.user.id, row, sent))

    def replace(
        record_id: RecordId,
        data: Fields,
        principal: CurrentPrincipal,
        session: SessionDep,
        now: Now,
    ) -> Any:
        row = resource.replace_entry(session, principal.user, kind, record_id, data)
        kind.after_write(session, principal.user, row, now)
        return answer(principal, row, data)

    def update(
        record_id: RecordId, data: Patch, user: CurrentUser, session: SessionDep, now: Now
    ) -> Any:
        changes = data.model_dump(mode="json", exclude_unset=True)
        row = resource.patch_entry(session, user, kind, record_id, changes)
        kind.after_write(session, user, row, now)
        return kind.read_row(row)

    def delete(record_id: RecordId, user: CurrentUser, session: SessionDep, now: Now) -> Response:
        row = resource.delete_entry(session, user, kind, record_id)
        kind.after_write(session, user, row, now)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    item_path = f"{path}/{{{id_name}}}"
    routes: dict[str, tuple[str, str, Callable[..., Any], dict[str, Any]]] = {
        "create": (
            path,
            "POST",
            create,
            {"response_model": Read, "status_code": status.HTTP_201_CREATED},
        ),
        "read": (item_path, "GET", read, {"response_model": Read}),
        "replace": (item_path, "PUT", replace, {"response_model": Read}),
        "update": (item_path, "PATCH", update, {"response_model": Read}),
        "delete": (
            item_path,
            "DELETE",
            delete,
            {"status_code": status.HTTP_204_NO_CONTENT, "response_class": Response},
        ),
    }
    for key, (route_path, method, endpoint, extra) in routes.items():
        op = ops.get(key)
        if op is None:
            continue
        responses = dict(op.responses) if op.responses is not None else None
        if key != "create" and responses is None:
            responses = dict(not_found)
        router.add_api_route(
            route_path,
            endpoint,
            methods=[method],
            tags=[tag],
            name=op.name,
            summary=op.summary,
            description=op.description,
            responses=responses,
            **extra,
        )
