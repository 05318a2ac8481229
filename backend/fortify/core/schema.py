"""Shared Pydantic building blocks: strict models, bounded days and instants, pages.

Days and instants: every date or datetime the API reads (bodies, query parameters, imports,
sync operations) is a `Day` or an `Instant` (a `Timestamp` when it is when something
happened). Python's calendar ends at year 9999 and begins at year 1, and a value at either edge
overflows as soon as it is converted (`9999-12-31T23:59:59-14:00` to UTC, a day to the person's
time zone) or moved (`day + 1`): each was a 500. So both are bounded to 1900-01-01 ..
2999-12-31 (UTC for instants), far inside the calendar, where every conversion to any time zone
and every report's day arithmetic stays valid, and refused outside it with rule
`supported_range` (422, naming the field).

An instant's UTC offset is a real one: from -12:00 to +14:00 (the time zones that exist), in
whole minutes, or refused with rule `utc_offset_range`. `+14:01`, `+23:59` parse (Python allows
any offset under a day) but no clock shows them, and FHIR's dateTime cannot hold them: one such
meal or weight, taken from a broken device clock or an Apple Health export, made every later
FHIR export of the person fail mid-stream (an outside probe, F0). Rows stored before are shown
in UTC (`real_offset`, used by `entries.kinds.localized`).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    ValidationError,
    model_validator,
)
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError, core_schema

from fortify.core.clock import utcnow
from fortify.core.errors import InvalidInput, validation_errors

FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
_FIRST_INSTANT = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
_END_INSTANT = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Clocks run ahead and time zones reach UTC+14; anything further ahead is a typo.
FUTURE_SLACK = dt.timedelta(days=2)


NUL = "\x00"
_NO_NUL = PydanticCustomError("no_nul", "must not contain the NUL character (\\u0000)")
_NO_CONTROL = PydanticCustomError(
    "no_control",
    # It said "line breaks are fine" and refused U+2028 (outside re-check N7): it names what
    # is refused, the separators included; where a text may span lines, Enter's breaks pass.
    "must not contain control characters, right-to-left overrides or the Unicode line and "
    "paragraph separators (U+2028, U+2029)",
)
# Invisible characters that change what text shows or does: C0/C1 controls other than tab and
# line breaks, the bidirectional embeddings, overrides and isolates that can make a meal name
# read backwards in the app or the care-team report ("Trojan Source"), the line and paragraph
# separators (which break a line where no line break was typed), a byte-order mark and the two
# noncharacters U+FFFE/U+FFFF. Found by probing. Kept, as real text needs them: the
# right-to-left and left-to-right marks of Hebrew and Arabic, zero-width joiners and spaces
# (emoji, Indic scripts), soft hyphens and the tag characters of flag emoji (a required text
# made of nothing but such characters is refused as blank: `is_blank`).
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)


# Text that shows nothing. Whitespace is stripped from every text (StrictModel), so a required
# name of spaces is empty and refused by its `min_length`; these characters are not whitespace
# and survived the strip, so a name of only them was stored and showed as an empty row, token
# or display name (an outside probe, F5). They are allowed inside text that shows something
# (a zero-width joiner in an emoji sequence or an Indic word); only a value made of nothing
# else is refused.
#
# Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt, Unicode 17.0;
# Python's unicodedata does not expose it), as ranges: soft hyphen, combining grapheme joiner,
# Arabic letter mark, the Hangul fillers, Khmer inherent vowels, Mongolian selectors, the
# zero-width space/joiners and marks, bidi controls, word joiner and invisible operators,
# variation selectors, BOM, the tag characters and their reserved neighbours.
_DEFAULT_IGNORABLE: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Not default-ignorable, but drawn as an empty cell: the braille blank (used to fake empty
# names) and the Khitan filler.
_BLANK_GLYPHS = frozenset({"\u2800", "\U00016fe4"})


def _shows_nothing(char: str) -> bool:
    if char.isspace() or char in _BLANK_GLYPHS:
        return True
    point = ord(char)
    return any(low <= point <= high for low, high in _DEFAULT_IGNORABLE)


def is_blank(text: str) -> bool:
    """Whether `text` shows nothing: only whitespace, default-ignorable code points and blank
    fillers (an empty text too)."""
    return all(_shows_nothing(char) for char in text)


_NOT_BLANK = PydanticCustomError(
    "not_blank", "must show something: not only spaces or invisible characters"
)


def not_blank(value: str) -> str:
    if is_blank(value):
        raise _NOT_BLANK
    return value


_DONE_MARK = "fortify_text_rules"
_MULTI_LINE_MARK = "fortify_multi_line"


class _MultiLine:
    """Marks a text that may hold line breaks (`MULTI_LINE`)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        schema: dict[str, Any] = dict(handler(source))
        schema["metadata"] = {**schema.get("metadata", {}), _MULTI_LINE_MARK: True}
        return schema


#: In an `Annotated[str, …]` of a request body: this text may hold line breaks (a note, a
#: password). Every other text of a StrictModel is one line (rule `single_line`).
MULTI_LINE = _MultiLine()


def _text_rules(schema: Any, lines_ok: bool = False) -> Any:
    """`schema` with the rules every text of a request body obeys, at any depth (a list's
    items, an optional field, a nested model, a dict's keys): the one place that says them.

    - A text that must not be empty (`min_length` 1 or more) also refuses text that shows
      nothing (rule `not_blank`).
    - A text is one line (rule `single_line`) unless it is marked `MULTI_LINE`: names, titles,
      locations and device names are put in notification titles, session lists, CSV cells and
      calendar names, where a line break starts text of the sender's choosing; only display_name
      was checked and an outside probe found ten others taking CR/LF (F7). By class, so a new
      name cannot slip past (tests/core/test_schema.py walks every request model)."""
    if isinstance(schema, list):
        return [_text_rules(item, lines_ok) for item in schema]
    if not isinstance(schema, dict):
        return schema
    metadata = schema.get("metadata") or {}
    if metadata.get(_DONE_MARK):
        return schema  # a nested model's schema, already done
    lines_ok = lines_ok or bool(metadata.get(_MULTI_LINE_MARK))
    if schema.get("type") == "str":
        done = {_DONE_MARK: True}
        required = (schema.get("min_length") or 0) >= 1
        if not lines_ok:
            schema = core_schema.no_info_after_validator_function(
                single_line, schema, metadata=done
            )
        if required:
            schema = core_schema.no_info_after_validator_function(not_blank, schema, metadata=done)
        return schema
    for key, value in schema.items():
        if key != "metadata":
            schema[key] = _text_rules(value, lines_ok)
    return schema


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, never silently dropped.

    No text may hold a NUL character (U+0000), at any depth: PostgreSQL refuses it in text
    and JSON, SQLite would store it, so it is refused here, once, with the field's path
    (rule `no_nul`) and both databases answer the same. Other control characters and
    bidirectional overrides are refused the same way (rule `no_control`). Nested StrictModels
    check themselves.

    Whitespace around every text is stripped; a text that must not be empty (`min_length`)
    and holds only characters that show nothing (zero-width spaces, fillers: `is_blank`) is
    refused with rule `not_blank`; a text not marked `MULTI_LINE` is one line (`_text_rules`).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema: CoreSchema = _text_rules(handler(source))
        return schema

    # Fields left to another schema to check (a sync operation's `fields`, validated per op).
    nul_check_skip: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _refuse_nul(self) -> Self:
        skip = self.nul_check_skip
        for name, value in self.__dict__.items():
            if name not in skip and (found := _hidden_path(value)) is not None:
                path, char = found
                rule = _NO_NUL if char == NUL else _NO_CONTROL
                error = InitErrorDetails(type=rule, loc=(name, *path), input=value)
                raise ValidationError.from_exception_data(type(self).__name__, [error])
        return self


_PLAIN: frozenset[type] = frozenset(
    {int, float, bool, type(None), dt.datetime, dt.date, dt.time, dt.timedelta, uuid.UUID}
)
Found = tuple[tuple[str | int, ...], str]


def hidden_character(text: str) -> str | None:
    """The hidden character in `text` (a NUL first, as PostgreSQL cannot store it), or None."""
    if NUL in text:
        return NUL
    match = _HIDDEN.search(text)
    return match.group() if match else None


def _hidden_path(value: Any) -> Found | None:
    """Where a hidden character is in a value (the path inside it, () for the value itself,
    and the character), or None."""
    kind = type(value)
    if kind is str:
        return ((), char) if (char := hidden_character(value)) else None
    if kind in _PLAIN:  # most fields: no text inside
        return None
    if isinstance(value, str):
        return ((), char) if (char := hidden_character(value)) else None
    if isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            if (found := _hidden_path(item)) is not None:
                return ((i, *found[0]), found[1])
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and (char := hidden_character(key)):
                return ((key,), char)
            if (found := _hidden_path(item)) is not None:
                return ((key, *found[0]), found[1])
    elif isinstance(value, BaseModel) and not isinstance(value, StrictModel):
        for key, item in value.__dict__.items():
            if (found := _hidden_path(item)) is not None:
                return ((key, *found[0]), found[1])
    return None


# What ends a line for str.splitlines, beyond CR and LF: vertical tab, form feed, the file,
# group and record separators, NEL and the line and paragraph separators.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_SINGLE_LINE = PydanticCustomError("single_line", "must be one line: no line breaks")


def single_line(value: str) -> str:
    """Text that is put where a line break changes what it says (a mail's greeting, a calendar
    name): one line or refused (rule `single_line`)."""
    if any(char in _LINE_BREAKS for char in value):
        raise _SINGLE_LINE
    return value


# Records nest a few levels (a meal's items' nutrients); anything this deep is hostile, and
# past 255 levels the JSON encoder refuses it (found by probing sync push: a 500).
MAX_JSON_DEPTH = 32


def json_too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether lists and objects nest deeper than `limit` in this JSON-like value (iterative:
    a hostile value cannot exhaust the stack)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _bounded_depth(value: Any) -> Any:
    if json_too_deep(value):
        raise PydanticCustomError("max_depth", f"must not nest deeper than {MAX_JSON_DEPTH} levels")
    return value


# Free-form JSON kept as it is (a conflict's values): bounded in depth, like every record.
BoundedJson = Annotated[Any, AfterValidator(_bounded_depth)]


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# A record's history, which the answer to a write by a token without `read` leaves out: how many
# changes the person has made (the version is her change counter) and when she first logged it
# (entries/resource.py, `as_sent`; docs/api.md, "Scopes").
RecordVersion = Annotated[
    int | None,
    Field(
        description="The record's version (the person's change number of its last write); "
        "null in the answer to a write by a token without the `read` scope."
    ),
]
RecordCreatedAt = Annotated[
    dt.datetime | None,
    Field(
        description="When the record was first stored; null in the answer to a write by a "
        "token without the `read` scope."
    ),
]


_DAY_RANGE = PydanticCustomError("supported_range", f"must be a day from {FIRST_DAY} to {LAST_DAY}")
_INSTANT_RANGE = PydanticCustomError(
    "supported_range", f"must be an instant from {FIRST_DAY} to {LAST_DAY} (UTC)"
)


def supported_day(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise _DAY_RANGE
    return value


def supported_instant(value: dt.datetime) -> dt.datetime:
    try:
        utc = value.astimezone(dt.UTC)  # year 9999 with a negative offset overflows here
    except OverflowError:
        raise _INSTANT_RANGE from None
    if not _FIRST_INSTANT <= utc < _END_INSTANT:
        raise _INSTANT_RANGE
    return value


#: The UTC offsets of the time zones that exist (Baker Island to Kiribati's Line Islands).
MIN_UTC_OFFSET, MAX_UTC_OFFSET = dt.timedelta(hours=-12), dt.timedelta(hours=14)
_OFFSET_RANGE = PydanticCustomError(
    "utc_offset_range", "must have a UTC offset from -12:00 to +14:00, in whole minutes"
)


def real_offset(offset: dt.timedelta | None) -> bool:
    """Whether `offset` is one a clock can show: -12:00 to +14:00, in whole minutes."""
    return (
        offset is not None
        and MIN_UTC_OFFSET <= offset <= MAX_UTC_OFFSET
        and offset % dt.timedelta(minutes=1) == dt.timedelta(0)
    )


def real_utc_offset(value: dt.datetime) -> dt.datetime:
    if not real_offset(value.utcoffset()):
        raise _OFFSET_RANGE
    return value


# Text written as ISO 8601, nothing else: pydantic's lax mode would also read a number, or a
# string of digits, as seconds since 1970 ("1764576000" became 2025-12-01T08:00Z), which the
# API promises to refuse. A date or datetime object (the app's own values) passes as it is.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_day_text(value: Any) -> Any:
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("iso_8601", "must be a day written YYYY-MM-DD")


def _iso_instant_text(value: Any) -> Any:
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _ISO_INSTANT.match(value)):
        return value
    raise PydanticCustomError(
        "iso_8601", "must be ISO 8601 with a UTC offset, e.g. 2026-11-27T08:00:00+01:00"
    )


Day = Annotated[
    dt.date,
    BeforeValidator(_iso_day_text),
    AfterValidator(supported_day),
    Field(description=f"A calendar day (YYYY-MM-DD), {FIRST_DAY} to {LAST_DAY}."),
]
Instant = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_instant_text),
    AfterValidator(supported_instant),
    AfterValidator(real_utc_offset),
    Field(
        description="ISO 8601 with a UTC offset (-12:00 to +14:00), e.g. 2026-11-27T08:00:00+01:00."
    ),
]


# Named rules, not pydantic's generic `value_error`: a client tells "too early" from "too late".
_BEFORE_EARLIEST = PydanticCustomError("not_before_1970", "must be on or after 1970-01-01")
_TOO_FAR_AHEAD = PydanticCustomError("not_in_future", "must not be more than 2 days in the future")


def _sensible_instant(value: dt.datetime) -> dt.datetime:
    if value < EARLIEST:
        raise _BEFORE_EARLIEST
    if value > utcnow() + FUTURE_SLACK:
        raise _TOO_FAR_AHEAD
    return value


Timestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_instant_text),
    AfterValidator(supported_instant),
    AfterValidator(real_utc_offset),
    AfterValidator(_sensible_instant),
    Field(
        description="ISO 8601 with a UTC offset (-12:00 to +14:00), e.g. 2026-11-27T08:00:00+01:00"
    ),
]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: Any) -> M:
    """`data` as `model`; a failure is an InvalidInput (422) naming the first failing field the
    way the request validator does (`items[0].grams`, rule and detail), for data that did not
    come through a route's body: a PATCH merged over a stored record, a sync operation, an
    imported record."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = validation_errors(exc.errors())[0]
        raise InvalidInput(first["detail"], field=first["field"], rule=first["rule"]) from exc
