from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response, status
from limits import RateLimitItemPerHour, RateLimitItemPerMinute
from limits.storage import Storage

from fortify.accounts import audit, service
from fortify.accounts.deps import AccountPrincipal, CurrentUser
from fortify.accounts.models import AuthSession
from fortify.accounts.schemas import (
    AccountCreate,
    AuditEventRead,
    EmailVerify,
    LinkCheck,
    PasswordChange,
    PasswordForgot,
    PasswordReset,
    ProfileRead,
    ProfileUpdate,
    SessionCreate,
    SessionCreated,
    SessionRead,
    SignUpAccepted,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from fortify.core.config import Settings
from fortify.core.deps import SessionDep, SettingsDep
from fortify.core.errors import FortifyError, problem_responses
from fortify.core.mail import Mail, Mailer, deliver
from fortify.core.ratelimit import ActionLimiter
from fortify.core.schema import Instant

router = APIRouter(prefix="/api/v1", responses=problem_responses(401, 422))


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def lifecycle_limiters(
    settings: Settings, storage: Storage | None = None
) -> tuple[ActionLimiter, ActionLimiter]:
    """(requests, mails): sign-up and reset requests per client address and for everybody
    (429 when full), and mails per recipient (silently not sent when full, with the same
    answer, so that the limit tells nothing about the address)."""
    requests = ActionLimiter(
        "account-request",
        {
            "ip": RateLimitItemPerHour(settings.sign_ups_per_hour_per_address),
            "all": RateLimitItemPerMinute(settings.sign_ups_per_minute),
        },
        "Too many sign-up or password-reset requests from here.",
        storage,
    )
    mails = ActionLimiter(
        "account-mail",
        {"to": RateLimitItemPerHour(settings.emails_per_hour_per_recipient)},
        "Too many mails to this address.",
        storage,
    )
    return requests, mails


def _send_later(request: Request, background: BackgroundTasks, mail: Mail | None) -> None:
    """Send after the answer (and after the commit: the link must exist when it is opened)."""
    if mail is None or not request.app.state.mail_limiter.allow(to=mail.to):
        return
    mailer: Mailer = request.app.state.mailer
    background.add_task(deliver, mailer, mail)


def _session_created(session: SessionDep, auth: AuthSession, token: str) -> SessionCreated:
    user = service.session_owner(session, auth)
    read = SessionRead.model_validate(auth).model_dump()
    return SessionCreated(
        **read | {"current": True}, user_id=auth.user_id, email=user.email, token=token
    )


@router.post(
    "/accounts",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=SignUpAccepted,
    responses=problem_responses(429),
    tags=["accounts"],
)
def sign_up(
    data: AccountCreate,
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
) -> SignUpAccepted:
    """Ask for an account: 202 "check your inbox", the same answer whether or not the address
    has an account. A new address gets a link that creates the account and signs the device
    in (`POST /api/v1/accounts/verify`); a registered one gets a mail saying someone tried, with
    a password-reset link. Limited per client address and for everybody (429, Retry-After)."""
    request.app.state.account_request_limiter.hit(ip=client_address(request), all="all")
    mail = service.request_sign_up(session, data, settings.base_url)
    _send_later(request, background, mail)
    return SignUpAccepted()


@router.post(
    "/accounts/verify",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionCreated,
    responses=problem_responses(409, 429),
    tags=["accounts"],
)
def verify_email(
    data: EmailVerify, request: Request, session: SessionDep, settings: SettingsDep
) -> SessionCreated:
    """Open the link of a sign-up mail with the password chosen at sign-up: the account is
    created and this device signed in. A link works once, for 24 hours, and only the newest
    sign-up of an address can be confirmed (422 naming `token` otherwise). A password other
    than the one chosen at sign-up is a 422 naming `password` (rule `matches`) that leaves the
    link as it was; it counts against the address's sign-in attempts (429 when they run out)."""
    auth, token = service.verify_email(
        session,
        request.app.state.sign_in_limiter,
        data.token,
        data.password,
        device_name=data.device_name,
        address=client_address(request),
        lifetime=dt.timedelta(days=settings.session_lifetime_days),
    )
    return _session_created(session, auth, token)


@router.post(
    "/accounts/verify/check",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(422),
    tags=["accounts"],
)
def check_sign_up_link(data: LinkCheck, session: SessionDep) -> Response:
    """Whether a sign-up link still works, without using it and without the password: 204, or
    422 naming `token` (rule `valid_link`) when it was used, expired, or a newer sign-up of the
    address replaced it. The confirmation page asks as it opens, before asking the password."""
    service.check_sign_up_link(session, data.token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/password/forgot",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=SignUpAccepted,
    responses=problem_responses(429),
    tags=["accounts"],
)
def forgot_password(
    data: PasswordForgot,
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
) -> SignUpAccepted:
    """Mail a password-reset link (single-use, one hour) when the address has an account; the
    answer is the same 202 either way."""
    request.app.state.account_request_limiter.hit(ip=client_address(request), all="all")
    mail = service.request_password_reset(session, data.email, settings.base_url)
    _send_later(request, background, mail)
    return SignUpAccepted(
        detail="Check your inbox: if this address has an account, we sent it a link to choose "
        "a new password."
    )


@router.post(
    "/password/reset/check",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(422),
    tags=["accounts"],
)
def check_reset_link(data: LinkCheck, session: SessionDep) -> Response:
    """Whether a reset link still works, without using it: 204, or 422 naming `token` (rule
    `valid_link`) when it expired or was used. The reset page asks as it opens."""
    service.check_reset_link(session, data.token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/password/reset",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionCreated,
    tags=["accounts"],
)
def reset_password(
    data: PasswordReset, request: Request, session: SessionDep, settings: SettingsDep
) -> SessionCreated:
    """Open a reset link with a new password: every device is signed out, every access token
    and calendar link ends, and this device is signed in."""
    auth, token = service.reset_by_link(
        session,
        data.token,
        data.new_password,
        device_name=data.device_name,
        address=client_address(request),
        lifetime=dt.timedelta(days=settings.session_lifetime_days),
    )
    return _session_created(session, auth, token)


@router.post(
    "/sessions",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionCreated,
    responses=problem_responses(429),
    tags=["sessions"],
)
def sign_in(
    data: SessionCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
) -> SessionCreated:
    """Sign in a device; the answer holds a bearer token (only its hash is kept).

    Every answer (201, 401, 429) carries `RateLimit-Limit`, `RateLimit-Remaining` and
    `RateLimit-Reset` (seconds) for the sign-in attempts left in the current minute. The limit
    is on wrong passwords: a successful sign-in does not use an attempt up."""
    limiter = request.app.state.sign_in_limiter
    address = client_address(request)
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
    return _session_created(session, auth, token)


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
    service.end_session(session, principal.user, principal.session_id, reason="signed_out")
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


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(429),
    tags=["accounts"],
)
def change_password(
    data: PasswordChange, request: Request, principal: AccountPrincipal, session: SessionDep
) -> Response:
    """Change the password: every other device is signed out, and every access token and
    calendar link ends. A wrong current password (422 naming `current_password`) counts
    against the account's sign-in attempts (429 when they run out) and is audited."""
    service.change_password(
        session,
        request.app.state.sign_in_limiter,
        principal.user,
        data.current_password,
        data.new_password,
        keep_session=principal.session_id,
        address=client_address(request),
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
