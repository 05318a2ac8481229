"""Opaque cursors: one encoder and one decoder for every paging parameter.

A cursor is base64url (unpadded) of a short text the issuing service chose ("v1:42",
"<instant>|<id>", "120"). Clients must treat it as opaque, but nothing stops one from sending
crafted bytes, so decoding is one guarded step: base64, UTF-8, then the service's own `parse`.
Any failure along the way, of whatever kind (a naive or out-of-range instant, an int too large,
a missing separator), is the same 422 naming the parameter with rule `format`, never a 500
(found by probing: a crafted base64 cursor and `audit?before=` without an offset were 500s).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from fortify.core.errors import InvalidInput
from fortify.core.schema import supported_instant

T = TypeVar("T")


def encode(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, parse: Callable[[str], T], *, field: str = "cursor") -> T:
    """`parse(text)` of the cursor's text; InvalidInput (422, rule `format`) if anything fails."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return parse(raw)
    except Exception as exc:  # a parse failure of any class means only "not a cursor of ours"
        raise InvalidInput("The cursor is not valid.", field=field, rule="format") from exc


def parse_instant(text: str) -> dt.datetime:
    """An aware instant inside the supported range (a naive one cannot be compared to a stored
    UTC time; one at the calendar's edge overflows when converted)."""
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("naive instant")
    return supported_instant(value)


def parse_bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        # ASCII digits only: int() also reads Arabic-Indic digits and " 7", which no cursor
        # this server issued holds (found by an outside probe).
        if not (text.isascii() and text.isdigit()):
            raise ValueError("not a number")
        value = int(text)
        if not low <= value <= high:
            raise ValueError("out of range")
        return value

    return parse
