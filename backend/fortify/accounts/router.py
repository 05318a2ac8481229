from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from fortify.accounts import audit, service
from fortify.accounts.schemas import (
    AccountCreate,
    AccountRead,
    AuditEventRead,
    PasswordChange,
    ProfileRead,
    ProfileUpdate,
    SessionCreate,
    SessionCreated,
    SessionRead,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from fortify.core.deps import AccountPrincipal, CurrentUser, SessionDep
from fortify.core.errors import FortifyError, problem_responses
from fortify.core.schema import Instant

router = APIRouter(prefix="/api/v1", responses=problem_responses(401, 422))


@router.post(
    "/accounts",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountRead,
    responses=problem_responses(409),
    tags=["accounts"],
)
def sign_up(data: AccountCreate, session: SessionDep) -> AccountRead:
    """Create an account. Sign in afterwards with `POST /api/v1/sessions`."""
    return AccountRead.model_validate(service.create_account(session, data))


@router.post(
    "/sessions",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionCreated,
    responses=problem_responses(429),
    tags=["sessions"],
)
def sign_in(
    data: SessionCreate, request: Request, response: Response, session: SessionDep
) -> SessionCreated:
    """Sign in a device; the answer holds a bearer token (only its hash is kept).

    Every answer (201, 401, 429) carries `RateLimit-Limit`, `RateLimit-Remaining` and
    `RateLimit-Reset` (seconds) for the sign-in attempts left in the current minute."""
    settings = request.app.state.settings
    limiter = request.app.state.sign_in_limiter
    address = request.client.host if request.client else "unknown"
    try:
        auth, token = service.sign_in(
            session,
            limiter,
            email=data.email,
            password=data.password,
            device_name=data.device_name,
            address=address,
            lifetime=dt.timedelta(days=settings.session_lifetime_days),
        )
    except FortifyError as exc:
        exc.headers = limiter.headers(data.email, address) | exc.headers
        raise
    response.headers.update(limiter.headers(data.email, address))
    read = SessionRead.model_validate(auth).model_dump()
    return SessionCreated(**read | {"current": True}, token=token)


@router.get("/sessions", response_model=list[SessionRead], tags=["sessions"])
def list_sessions(principal: AccountPrincipal, session: SessionDep) -> list[SessionRead]:
    """The devices signed in to this account."""
    return [
        SessionRead.model_validate(s).model_copy(update={"current": s.id == principal.session_id})
        for s in service.list_sessions(session, principal.user)
    ]


@router.delete("/sessions/current", status_code=status.HTTP_204_NO_CONTENT, tags=["sessions"])
def sign_out(principal: AccountPrincipal, session: SessionDep) -> Response:
    """Sign out this device."""
    assert isinstance(principal.session_id, uuid.UUID)
    service.end_session(session, principal.user, principal.session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/sessions/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404),
    tags=["sessions"],
)
def end_session(
    session_id: uuid.UUID, principal: AccountPrincipal, session: SessionDep
) -> Response:
    """Sign out another device."""
    service.end_session(session, principal.user, session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, tags=["accounts"])
def change_password(
    data: PasswordChange, principal: AccountPrincipal, session: SessionDep
) -> Response:
    """Change the password; every other device is signed out."""
    service.change_password(
        session, principal.user, data.current_password, data.new_password, principal.session_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/tokens", status_code=status.HTTP_201_CREATED, response_model=TokenCreated, tags=["tokens"]
)
def create_token(
    data: TokenCreate, principal: AccountPrincipal, session: SessionDep
) -> TokenCreated:
    """Create a personal access token for an API client. The token is shown only once."""
    pat, token = service.create_token(session, principal.user, data)
    return TokenCreated(**TokenRead.model_validate(pat).model_dump(), token=token)


@router.get("/tokens", response_model=list[TokenRead], tags=["tokens"])
def list_tokens(principal: AccountPrincipal, session: SessionDep) -> list[TokenRead]:
    return [TokenRead.model_validate(t) for t in service.list_tokens(session, principal.user)]


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404),
    tags=["tokens"],
)
def revoke_token(token_id: uuid.UUID, principal: AccountPrincipal, session: SessionDep) -> Response:
    service.revoke_token(session, principal.user, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/profile", response_model=ProfileRead, tags=["profile"])
def get_profile(user: CurrentUser) -> ProfileRead:
    return ProfileRead.model_validate(user)


@router.patch("/profile", response_model=ProfileRead, tags=["profile"])
def update_profile(data: ProfileUpdate, user: CurrentUser, session: SessionDep) -> ProfileRead:
    """Change any subset of the profile; `target_overrides` replaces the whole set."""
    return ProfileRead.model_validate(service.update_profile(session, user, data))


@router.get("/audit", response_model=list[AuditEventRead], tags=["accounts"])
def list_audit_events(
    principal: AccountPrincipal,
    session: SessionDep,
    before: Annotated[
        Instant | None, Query(description="Only events before this instant (paging).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[AuditEventRead]:
    """What happened to this account, newest first: sign-ins (and failed attempts), devices
    signed out, password changes, tokens, exports and imports."""
    return [
        AuditEventRead.model_validate(event)
        for event in audit.events(session, principal.user.id, before, limit)
    ]
