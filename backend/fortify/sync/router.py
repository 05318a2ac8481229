"""Sync routes (docs/sync.md). Thin: push.py, pull.py and conflicts.py do the work, the session
dependency commits."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from fortify.accounts import pushlock
from fortify.accounts.deps import Bearer, CurrentUser, Person, Reader, as_person, load_person
from fortify.core.deps import SessionDep
from fortify.core.errors import problem_responses
from fortify.sync import conflicts as sync_conflicts
from fortify.sync import pull as sync_pull
from fortify.sync import push as sync_push
from fortify.sync.schemas import (
    MAX_PULL,
    ConflictPage,
    ConflictRead,
    PullResponse,
    PushRequest,
    PushResponse,
    Record,
)

router = APIRouter(prefix="/api/v1/sync", tags=["sync"], responses=problem_responses(401, 403, 422))


@router.post(
    "/push",
    response_model=PushResponse,
    responses=problem_responses(422, 429),
)
def push(data: PushRequest, user: CurrentUser, session: SessionDep) -> PushResponse:
    """Apply up to 500 operations, each on its own: one answer per operation, in order.

    Safe to retry: an op_id answered before gets `duplicate` with its first answer. One push of
    yours at a time: another of yours while one runs gets 429 with Retry-After (rule
    `one_push_at_a_time`), and nothing of it is applied; send it again after the wait.
    """
    with pushlock.one_at_a_time(session, user.id):
        results = sync_push.push(session, user, data.device_id, data.operations)
    return PushResponse(results=results)


@router.get(
    "/pull",
    response_model=PullResponse,
    responses=problem_responses(410, 422),
)
async def pull(
    request: Request,
    credentials: Bearer,
    cursor: Annotated[
        str | None, Query(max_length=100, description="From the last pull; omit to start.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = 500,
) -> Any:
    """The changes after the cursor, oldest first, tombstones included.

    410 `cursor_expired`: pull again without a cursor, keeping the changes not yet pushed.
    """
    # async, signing in and answering in one hop to a worker thread (`as_person`): the most
    # frequent pull, nothing new, is answered from the counter read at sign-in; any other reads
    # its changes in the same hop.
    body = await as_person(request, credentials, _pull_body, cursor, limit, quick=_unchanged_body)
    # Encoded by sync.pull (orjson, stored JSON passed on as it is): skipping response
    # validation keeps a year's pull well under a second.
    return Response(body, media_type="application/json")


def _unchanged_body(person: Person, cursor: str | None, limit: int) -> bytes | None:
    return sync_pull.unchanged_pull_json(person.sync_version, cursor)


def _pull_body(read: Reader, person: Person, cursor: str | None, limit: int) -> bytes:
    body = sync_pull.unchanged_pull_json(person.sync_version, cursor)
    if body is not None:
        return body
    with read() as session:
        return sync_pull.pull_json(session, load_person(session, person), cursor, limit)


@router.get("/conflicts", response_model=ConflictPage)
def list_conflicts(
    user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ConflictPage:
    """Edits that lost (unresolved), newest first."""
    rows = sync_conflicts.list_conflicts(session, user, limit)
    return ConflictPage(items=[ConflictRead.model_validate(r) for r in rows])


@router.post(
    "/conflicts/{conflict_id}/restore",
    response_model=Record,
    responses=problem_responses(404, 409, 422),
)
def restore_conflict(conflict_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Any:
    """Write the losing value back as a new change; returns the record as it is now."""
    return sync_conflicts.restore_conflict(session, user, conflict_id)


@router.post(
    "/conflicts/{conflict_id}/dismiss",
    response_model=ConflictRead,
    responses=problem_responses(404, 409),
)
def dismiss_conflict(conflict_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Any:
    """Keep the winning value; the conflict leaves the list."""
    return ConflictRead.model_validate(sync_conflicts.dismiss_conflict(session, user, conflict_id))
