"""Data portability routes: export (JSON, CSV, FHIR), import (Fortify, Apple Health), deletion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from starlette.requests import ClientDisconnect

from fortify.accounts import audit
from fortify.accounts.deps import READ, AccountPrincipal, CurrentPrincipal, CurrentUser
from fortify.accounts.service import confirm_account
from fortify.core.clock import local_today
from fortify.core.deps import Now, SessionDep, SettingsDep
from fortify.core.errors import InvalidInput, problem_responses
from fortify.core.etag import CACHE_CONTROL, NOT_MODIFIED, conditional
from fortify.core.schema import Day
from fortify.portability import apple_health, csv_export, fhir, service
from fortify.portability.schemas import (
    AccountDelete,
    AppleHealthResult,
    ExportDocument,
    ImportResult,
)

router = APIRouter(prefix="/api/v1", tags=["portability"], responses=problem_responses(401, 403))

ZIP = "application/zip"


def _server_day(now: dt.datetime) -> str:
    """The date in a download's file name: the server's local date, as it always was."""
    return now.astimezone().date().isoformat()


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get(
    "/export",
    responses={
        200: {"description": "The export document.", "model": ExportDocument},
        **NOT_MODIFIED,
        **problem_responses(429),
    },
)
def export_json(request: Request, user: CurrentUser, session: SessionDep, now: Now) -> Response:
    """Everything you have (profile, regimen, entries, your foods, favourites, reminders, sync
    conflicts) as one JSON document that `POST /api/v1/import` restores into an empty account.
    Answers 304 to `If-None-Match` while nothing changed. One export of yours at a time (429
    with Retry-After while another runs)."""
    with request.app.state.heavy_work_gate.held(user.id):
        document = service.export_document(session, user)
    # Her account deleted while it was read: the 401, not a document with part of it missing.
    confirm_account(session, user.id)
    tag = service.content_etag(document)
    response = Response(
        content=service.document_bytes(document),
        media_type="application/json",
        headers=_attachment(f"fortify-export-{_server_day(now)}.json"),
    )
    not_modified = conditional(request, response, tag)
    if not_modified is not None:
        return not_modified
    audit.record(session, user.id, "data_exported", format="json")
    return response


def _heavy_work_place(request: Request, user: CurrentUser) -> Iterator[None]:
    """The person's place at the heavy-work gate (gate.py), held until the route returns (scope
    "function": released before the answer is sent, so an immediate retry finds it free).
    A dependency, so that it is taken before `_import_body` reads the body."""
    with request.app.state.heavy_work_gate.held(user.id):
        yield


async def _import_body(request: Request) -> bytearray:
    """The raw body, read here rather than parsed by FastAPI: FastAPI would parse 64 MiB of
    JSON and validate tens of thousands of records on the event loop (every other request of
    the process waited), before any gate, and keep the bytes, the parsed JSON and the models
    alive at once. A bytearray, so the route can free it once it is parsed."""
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if kind != "application/json" and not (
        kind.startswith("application/") and kind.endswith("+json")
    ):
        raise InvalidInput("The body must be JSON (application/json).", field="body", rule="json")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
    except ClientDisconnect:
        # Nobody is left to read the answer; it is logged as the client's doing, not ours
        # (an outside probe's dropped uploads were each an ERROR line with a 500).
        raise InvalidInput(
            "The upload stopped before the whole body arrived.", field="body", rule="complete_body"
        ) from None
    return body


def _parse_document(body: bytearray) -> ExportDocument:
    """Validate the JSON straight into the models (no parsed-JSON copy in between); a problem
    names its record as FastAPI's own validation would (`meals[3].eaten_at`)."""
    try:
        return ExportDocument.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(
            [error | {"loc": ("body", *error["loc"])} for error in exc.errors(include_url=False)]
        ) from None


_IMPORT_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ExportDocument"}}},
}


@router.post(
    "/import",
    response_model=ImportResult,
    responses=problem_responses(409, 422, 429),
    openapi_extra={"requestBody": _IMPORT_BODY},
)
def import_json(
    user: CurrentUser,
    session: SessionDep,
    _place: Annotated[None, Depends(_heavy_work_place, scope="function")],
    body: Annotated[bytearray, Depends(_import_body)],
) -> Any:
    """Restore an export into this account, which must be empty, or hold only records of this
    file as the file has them (409 otherwise, rule `empty`, or `stored_differs` naming the
    record). Every record is validated first; one invalid record is a 422 naming it (e.g.
    `meals[3].eaten_at`) and nothing is written. The records are then written in batches, each
    committed (so other people's writes are not held up); an import cut short is finished by
    sending the same file again: what was written is counted in `present` and left alone, the
    rest is written. One import, export or report of yours at a time (429 with Retry-After
    while another runs)."""
    document = _parse_document(body)
    body.clear()  # the models hold it all now; the bytes would only double the peak
    result = service.import_document(session, user, document, commit=session.commit)
    audit.record(session, user.id, "data_imported", format="fortify-export")
    # Committed while her place is held (the dependency's commit comes after it is released).
    session.commit()
    return result


@router.get(
    "/export/csv",
    response_class=Response,
    responses={
        200: {
            "description": "A zip of CSV files: one per entry kind, plus daily_scores.csv.",
            "content": {ZIP: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problem_responses(422, 429),
    },
)
def export_csv(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    now: Now,
    from_: Annotated[
        Day | None, Query(alias="from", description="First day of daily_scores.csv.")
    ] = None,
    to: Annotated[
        Day | None, Query(description="Last day of daily_scores.csv; a later day stops at today.")
    ] = None,
) -> Response:
    """Your entries and daily scores for a spreadsheet (UTF-8 CSV, units in the column names).
    Without `from`/`to`, the scores cover the first to the last day with an entry. Streamed as
    it is made (a large account's zip is tens of megabytes); one export of yours at a time
    (429 with Retry-After while another runs)."""
    if from_ and to and to < from_:
        raise InvalidInput("'to' is before 'from'.", field="to", rule="after_from")
    today = local_today(user.time_zone, now)
    if from_ and from_ > today:
        raise InvalidInput(
            "'from' is after today: days still to come have no scores.",
            field="from",
            rule="not_in_future",
        )
    audit.record(session, user.id, "data_exported", format="csv")
    chunks = csv_export.stream(request.app.state.session_factory, user.id, from_, to, today)
    return StreamingResponse(
        request.app.state.heavy_work_gate.stream(user.id, chunks),
        media_type=ZIP,
        headers=_attachment(f"fortify-{_server_day(now)}.zip") | {"Cache-Control": CACHE_CONTROL},
    )


@router.get(
    "/export/fhir",
    response_class=Response,
    responses={
        200: {
            "description": "A FHIR R4B Bundle (type collection).",
            "content": {fhir.MEDIA_TYPE: {"schema": {"type": "object"}}},
        },
        **problem_responses(422, 429),
    },
)
def export_fhir(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    now: Now,
    include_identity: Annotated[
        bool,
        Query(description="Put your name, birth year and sex in the Patient resource."),
    ] = False,
) -> Response:
    """Labs (LOINC, UCUM), weight, joint pain, medicines and supplements, and daily scores as a
    FHIR Bundle for a clinic's record system. docs/api.md lists the codes. Streamed as it is
    made (a large account's Bundle is tens of megabytes); one export of yours at a time (429
    with Retry-After while another runs)."""
    audit.record(session, user.id, "data_exported", format="fhir")
    chunks = fhir.stream(
        request.app.state.session_factory, user.id, include_identity=include_identity, now=now
    )
    return StreamingResponse(
        request.app.state.heavy_work_gate.stream(user.id, chunks),
        media_type=fhir.MEDIA_TYPE,
        headers=_attachment("fortify-fhir-bundle.json") | {"Cache-Control": CACHE_CONTROL},
    )


@router.post(
    "/import/apple-health",
    response_model=AppleHealthResult,
    responses=problem_responses(413, 422, 429),
)
def import_apple_health(
    request: Request,
    file: Annotated[UploadFile, File(description="export.zip from the Health app.")],
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
) -> Any:
    """Workouts, dietary calcium and vitamin D, and body mass from an Apple Health export.
    Safe to repeat: records imported before are recognised and not added twice, so an import
    cut short (it is written in batches) is finished by sending the file again. A damaged or
    encrypted zip is a 422; a zip of more than 50,000 files, an export.xml larger than the
    server's limit, compressed more than 100 times, holding more than 50 million elements, or
    more than the server's limit of records Fortify keeps (20,000 by default) is a 413 naming
    the rule. One import, export or report of
    yours at a time (429 with Retry-After while another runs). A write-only token hears only
    how many records of each kind were accepted (new and already stored together; `unchanged`
    is 0), so it cannot confirm a guess of what is stored."""
    user = principal.user
    with request.app.state.heavy_work_gate.held(user.id):
        result = apple_health.import_export(
            session,
            user,
            file.file,
            max_xml_bytes=settings.apple_health_max_xml_bytes,
            max_records=settings.apple_health_max_records,
            commit=session.commit,
            can_read=READ in principal.scopes,
        )
    audit.record(session, user.id, "data_imported", format="apple-health")
    return result


_DELETE_DOC = """Delete your account and everything in it, at once and for good: entries,
profile, your foods, favourites, sync history, signed-in devices and access tokens. Needs your
password (422 naming `password` when it is wrong; wrong answers count against the account's
sign-in attempts, 429 when they run out, and are audited) and a signed-in device (not an access
token). Every other device of hers gets 401 with `errors[0].rule` = `account_deleted` the next
time it calls, and clears its data. Export first if you want to keep your data."""


@router.delete(
    "/account",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(422, 429),
    tags=["accounts"],
    description=_DELETE_DOC,
)
def delete_account(
    data: AccountDelete, request: Request, principal: AccountPrincipal, session: SessionDep
) -> Response:
    service.delete_account(
        session,
        principal.user,
        data.password,
        limiter=request.app.state.sign_in_limiter,
        address=request.client.host if request.client else "unknown",
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/account/delete",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(422, 429),
    tags=["accounts"],
    description=_DELETE_DOC + "\n\nThe same as `DELETE /api/v1/account`, for clients that "
    "cannot send a body with DELETE.",
)
def delete_account_post(
    data: AccountDelete, request: Request, principal: AccountPrincipal, session: SessionDep
) -> Response:
    service.delete_account(
        session,
        principal.user,
        data.password,
        limiter=request.app.state.sign_in_limiter,
        address=request.client.host if request.client else "unknown",
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
