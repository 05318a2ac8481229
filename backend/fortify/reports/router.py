"""The care-team report: `GET /api/v1/reports/care-team?from=&to=&format=html|pdf`."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from fortify.accounts.deps import CurrentUser, person_etag
from fortify.core.clock import local_today
from fortify.core.deps import Now, SessionDep
from fortify.core.errors import InvalidInput, problem_responses
from fortify.core.etag import NOT_MODIFIED, conditional
from fortify.core.schema import Day
from fortify.reports import render, service

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=problem_responses(401, 403, 422))

PDF = "application/pdf"
HTML = "text/html; charset=utf-8"
# The page carries its own styles and inline SVG, and nothing else: no script, no fetch.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


@router.get(
    "/reports/care-team",
    response_class=Response,
    responses={
        200: {
            "description": "The report as a printable HTML page or as a PDF (at most 2 pages).",
            "content": {
                "text/html": {"schema": {"type": "string"}},
                PDF: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **NOT_MODIFIED,
        **problem_responses(429),
    },
)
def care_team_report(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    now: Now,
    from_: Annotated[
        Day | None,
        Query(alias="from", description="First local day; default: 89 days before `to`."),
    ] = None,
    to: Annotated[
        Day | None,
        Query(description="Last local day; default: today. A later day stops at today."),
    ] = None,
    format: Annotated[Literal["html", "pdf"], Query(description="html or pdf.")] = "html",
    paper: Annotated[Literal["a4", "letter"], Query(description="Page size.")] = "a4",
) -> Response:
    """A two-page summary for the care team: period averages, adherence (calcium days,
    vitamin D, exercise, anastrozole), the pain trend with high-pain weeks marked, lab results
    with reference ranges, flags raised, and small charts. Plain words, no advice. One report,
    import or export of yours at a time (429 with Retry-After while another runs)."""
    today = local_today(user.time_zone, now)
    first, last = service.period(from_, to, today)
    if last < first:
        raise InvalidInput("'to' is before 'from'.", field="to", rule="after_from")
    if (last - first).days + 1 > service.MAX_DAYS:
        raise InvalidInput(
            f"At most {service.MAX_DAYS} days at a time.", field="from", rule="max_range"
        )
    if first > today:
        raise InvalidInput(
            "The period starts after today: days still to come have no scores.",
            field="from",
            rule="not_in_future",
        )
    # "Today" is in the tag: the default period moves at midnight even when no data does.
    tag = person_etag(request, user, today.isoformat())
    probe = Response()
    not_modified = conditional(request, probe, tag)
    if not_modified is not None:
        return not_modified
    headers = {"ETag": tag, "Cache-Control": probe.headers["Cache-Control"]}
    # A year of day reports and a PDF is heavy work: one of hers at a time, a few per process
    # (portability/gate.py); an unchanged report (304 above) is not.
    with request.app.state.heavy_work_gate.held(user.id):
        report = service.build(session, user, first, last, today)
        pdf = format == "pdf"
        body = render.pdf(report, paper) if pdf else render.html(report, paper).encode()
    if pdf:
        headers["Content-Disposition"] = f'inline; filename="{render.filename(report, "pdf")}"'
        return Response(body, media_type=PDF, headers=headers)
    headers["Content-Security-Policy"] = REPORT_CSP
    return Response(body, media_type=HTML, headers=headers)
