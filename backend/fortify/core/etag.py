"""Weak ETags for a person's reads, and the 304 answer to If-None-Match.

Every write to any of a person's rows takes their next change number (`User.sync_version`,
see `accounts.service.next_version`), and a profile write also moves `profile_version`. An
answer built only from the person's own rows therefore stays the same while those numbers and
the request's URL do, so the tag is a hash of them and a 304 costs no report at all. The tag is
weak (`W/`): equal tags promise the same content, not the same bytes. The release is part of
the hash, so a new version of the scoring engine never answers 304 with yesterday's scores.
Responses are `no-store`: health data stays out of every HTTP cache, the browser's included
(core/http.py forces it on every API answer). The tag still saves work for a client that keeps
its own copy, as the PWA keeps the offline pack in IndexedDB with its tag: it sends
If-None-Match itself and gets a 304 without a body.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from typing import Any

from fastapi import Request, Response

from fortify.core.http import CACHE_CONTROL

__all__ = ["CACHE_CONTROL", "NOT_MODIFIED", "conditional", "matches", "versions_etag"]

#: OpenAPI description of the 304, for a route's `responses=`.
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the tag in If-None-Match is still current (no body)."}
}


@cache
def release() -> str:
    """The installed version of the code (part of every tag and cache stamp)."""
    try:
        return metadata.version("fortify")
    except metadata.PackageNotFoundError:  # running from a plain checkout
        return "dev"


def versions_etag(request: Request, owner: str, versions: Sequence[int], *extra: str) -> str:
    """The tag of this request's answer for one owner: their change numbers (`versions`), the
    path and the query (in a stable order), and anything else the answer depends on (`extra`).
    `accounts.deps.person_etag` passes a person's numbers."""
    query = sorted(request.query_params.multi_items())
    parts = [
        release(),
        owner,
        *(str(version) for version in versions),
        request.url.path,
        repr(query),
        *extra,
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def _opaque(tag: str) -> str:
    return tag.strip().removeprefix("W/")


def matches(request: Request, tag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2) of `tag` with any tag in If-None-Match."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(_opaque(candidate) == _opaque(tag) for candidate in header.split(","))


def conditional(request: Request, response: Response, tag: str) -> Response | None:
    """Set the tag on `response`; return a 304 to send instead when the client's copy is current."""
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = CACHE_CONTROL
    if matches(request, tag):
        return Response(status_code=304, headers={"ETag": tag, "Cache-Control": CACHE_CONTROL})
    return None
