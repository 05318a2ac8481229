"""Import an Apple Health export (export.zip → apple_health_export/export.xml).

The XML can be gigabytes (every heart beat and step the phone ever counted), so it is read as a
stream by expat itself, with no element tree, and only three things are kept: workouts (mapped
to the activity catalog), dietary calcium and vitamin D (each record becomes a meal entry named
"Apple Health" holding that one nutrient), and body mass.

Re-importing is safe. Each entry's id is a UUID5 of (person, the record's identity in Health:
its type, source, start and end), so the same record always lands on the same entry: unchanged
ones are left alone, changed ones (a corrected value) are rewritten, and new ones are added.
An entry the person deleted in Fortify stays deleted. After a move (her JSON export imported
into another account) the entries keep the first account's ids: the new account knows that
account, and the entries deleted there (provenance.py), so a repeat upload there looks for each
record under both ids and adds nothing twice. Parsing is pure (`read_export`); writing
(`import_export`) takes a progress callback that the CLI turns into a progress bar.

An import brings at most `max_records` records (a 413 before anything is written), and writes
them in batches, each committed, so it never holds SQLite's single writer for long; the ids
make a rerun after a failure midway finish the job without duplicating anything.

The upload is hostile until proven otherwise: the zip is opened by `core.zips` (damage is a 422;
an export.xml unpacking past `MAX_XML_BYTES` or `MAX_COMPRESSION_RATIO` is a 413) and the XML is
bounded by `XmlLimits` (elements, depth, token length; no entity declarations), so the memory a
parse needs does not depend on the input (tests/portability/test_apple_health_limits.py).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import time
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core import zips
from fortify.core.clock import utcnow
from fortify.core.errors import InvalidInput, PayloadTooLarge
from fortify.entries import service as entries
from fortify.entries.kinds import KINDS
from fortify.portability import provenance
from fortify.scoring.units import IU_PER_MCG_VITAMIN_D

APPLE_NAMESPACE = uuid.UUID("a3c1f0a4-7c5e-4f0e-9b0a-1d2e3f4a5b6c")
BATCH = 500
MEAL_NAME = provenance.MEAL_NAME
# Years of heart rate and steps make exports of a few gigabytes that deflate 10-30 times; a
# member that unpacks to more than 100 times its size is a zip bomb, not an export.
MAX_XML_BYTES = 4 << 30
MAX_COMPRESSION_RATIO = 100.0
#: Records Fortify keeps (workouts, calcium, vitamin D, body mass) per import (core/config.py).
MAX_RECORDS = 20_000

WORKOUT_ACTIVITIES: dict[str, str] = {
    "HKWorkoutActivityTypeWalking": "brisk_walking",
    "HKWorkoutActivityTypeRunning": "jogging",
    "HKWorkoutActivityTypeSwimming": "swimming",
    "HKWorkoutActivityTypeCycling": "cycling",
    "HKWorkoutActivityTypeYoga": "yoga",
    "HKWorkoutActivityTypeTraditionalStrengthTraining": "lifting_weights",
    "HKWorkoutActivityTypeFunctionalStrengthTraining": "lifting_weights",
    "HKWorkoutActivityTypeDance": "dancing",
    "HKWorkoutActivityTypeHiking": "hiking",
    "HKWorkoutActivityTypeElliptical": "elliptical",
    "HKWorkoutActivityTypeStairClimbing": "stair_climbing",
}
CALCIUM = "HKQuantityTypeIdentifierDietaryCalcium"
VITAMIN_D = "HKQuantityTypeIdentifierDietaryVitaminD"
BODY_MASS = "HKQuantityTypeIdentifierBodyMass"
_MG = {"mg": 1.0, "g": 1000.0, "mcg": 0.001, "µg": 0.001}
_VITAMIN_D_IU = {"mcg": IU_PER_MCG_VITAMIN_D, "µg": IU_PER_MCG_VITAMIN_D, "IU": 1.0}
_VITAMIN_D_IU["mg"] = 1000 * IU_PER_MCG_VITAMIN_D


@dataclass(frozen=True)
class Mapped:
    """One Health record as a Fortify entry: the kind, its derived id and its payload."""

    kind: str
    key: str  # the record's identity in Health (type|source|start|end)
    payload: dict[str, Any]


#: Skip reasons that tell what is stored: never said to a write-only token (F4).
STORED_REASONS = frozenset({"deleted_in_fortify", "changed_in_fortify"})


@dataclass
class Counts:
    written: Counter[str]
    unchanged: int
    skipped: Counter[str]
    # Per kind, the records that hit something stored (unchanged, or deleted in Fortify).
    settled: Counter[str] = field(default_factory=Counter)

    def as_dict(self, *, can_read: bool = True) -> dict[str, Any]:
        if not can_read:
            # F4: a write-only token may not learn what is stored, and "unchanged" (or a
            # STORED_REASONS skip) would confirm a guessed record. So it hears only how many
            # records of each kind were accepted, stored ones and new ones together, and the
            # skips the file alone explains.
            accepted = self.written + self.settled
            return {
                "workouts": accepted["workouts"],
                "meals": accepted["meals"],
                "measurements": accepted["measurements"],
                "unchanged": 0,
                "skipped": {k: n for k, n in self.skipped.items() if k not in STORED_REASONS},
            }
        return {
            "workouts": self.written["workouts"],
            "meals": self.written["meals"],
            "measurements": self.written["measurements"],
            "unchanged": self.unchanged,
            "skipped": dict(self.skipped),
        }


def _when(value: str | None) -> dt.datetime | None:
    """Health's "2024-01-31 08:15:00 +0100"."""
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return None


def _number(value: str | None) -> float | None:
    """A finite number, or None: "nan", "inf" and "1e400" parse as floats but are no amount
    (a NaN duration reached round() and was a 500)."""
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def _key(attrs: dict[str, str], kind_attr: str) -> str:
    return "|".join(
        attrs.get(name, "") for name in (kind_attr, "sourceName", "startDate", "endDate")
    )


def _workout(attrs: dict[str, str], skipped: Counter[str]) -> Mapped | None:
    activity_type = attrs.get("workoutActivityType", "")
    activity = WORKOUT_ACTIVITIES.get(activity_type)
    if activity is None:
        skipped[f"workout:{activity_type.removeprefix('HKWorkoutActivityType') or '?'}"] += 1
        return None
    start, end = _when(attrs.get("startDate")), _when(attrs.get("endDate"))
    duration = _number(attrs.get("duration"))
    if duration is not None:
        unit = attrs.get("durationUnit", "min")
        minutes = duration / 60 if unit == "s" else duration * 60 if unit == "hr" else duration
    elif start and end:
        minutes = (end - start).total_seconds() / 60
    else:
        minutes = None
    if start is None or minutes is None or minutes <= 0:
        # No start, no length, or a length of zero or less (an end before its start): no workout.
        skipped["invalid"] += 1
        return None
    payload = {
        "activity": activity,
        "started_at": start.isoformat(),
        "minutes": max(1, round(minutes)),
        "intensity": "moderate",
    }
    return Mapped("workouts", _key(attrs, "workoutActivityType"), payload)


def _record(attrs: dict[str, str], skipped: Counter[str]) -> Mapped | None:
    kind = attrs.get("type")
    if kind not in (CALCIUM, VITAMIN_D, BODY_MASS):
        return None  # steps, heart rate…: not Fortify's, and not worth counting
    start = _when(attrs.get("startDate"))
    value = _number(attrs.get("value"))
    unit = attrs.get("unit", "")
    if start is None or value is None:
        skipped["invalid"] += 1
        return None
    key = _key(attrs, "type")
    if kind == BODY_MASS:
        if unit not in ("kg", "lb"):
            skipped["unknown_unit"] += 1
            return None
        payload = {"measured_at": start.isoformat(), f"weight_{unit}": value}
        return Mapped("measurements", key, payload)
    if kind == CALCIUM:
        factor, nutrient, label = _MG.get(unit), "calcium_mg", "Calcium"
    else:
        factor, nutrient, label = _VITAMIN_D_IU.get(unit), "vitamin_d_iu", "Vitamin D"
    if factor is None:
        skipped["unknown_unit"] += 1
        return None
    source = attrs.get("sourceName") or "Health"
    item = {
        "food_name": f"{label} ({source})",
        "grams": 0,
        "nutrients": {nutrient: round(value * factor, 3)},
    }
    payload = {"eaten_at": start.isoformat(), "name": MEAL_NAME, "items": [item]}
    return Mapped("meals", key, payload)


@dataclass(frozen=True)
class XmlLimits:
    """What one export.xml may hold. A real export is 4-6 levels deep, a few million elements
    and never has a tag longer than a few kilobytes."""

    max_elements: int = 50_000_000
    max_depth: int = 16
    # Bytes read since the last complete piece of XML (a tag, a run of text): what expat has to
    # buffer for a token that has not ended yet.
    max_token_bytes: int = 1 << 20


CHUNK_BYTES = 1 << 16


def read_export(
    stream: IO[bytes], skipped: Counter[str], limits: XmlLimits | None = None
) -> Iterator[Mapped]:
    """The Fortify entries in an export.xml stream, in file order.

    Memory stays bounded whatever the input: expat is driven directly, so no element tree is
    built (not even the root's list of children) and no text is collected; only the attributes
    of the root's Record and Workout children are read, as each starts. What expat itself
    buffers is bounded by the depth and token limits."""
    limits = limits or XmlLimits()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    ready: list[Mapped] = []
    depth = 0
    elements = 0
    last_event_at = 0  # byte offset of the last complete piece of XML

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth, elements, last_event_at
        depth += 1
        elements += 1
        last_event_at = parser.CurrentByteIndex
        if depth > limits.max_depth:
            raise InvalidInput(
                f"export.xml nests elements deeper than {limits.max_depth} levels.",
                field="file",
                rule="max_depth",
            )
        if elements > limits.max_elements:
            raise PayloadTooLarge(
                f"export.xml holds more than {limits.max_elements} elements.",
                field="file",
                rule="max_elements",
            )
        if depth != 2:  # only HealthData's children
            return
        mapped = None
        if tag == "Workout":
            mapped = _workout(attrs, skipped)
        elif tag == "Record":
            mapped = _record(attrs, skipped)
        if mapped is not None:
            ready.append(mapped)

    def end(_tag: str) -> None:
        nonlocal depth, last_event_at
        depth -= 1
        last_event_at = parser.CurrentByteIndex

    def text(_data: str) -> None:
        nonlocal last_event_at
        last_event_at = parser.CurrentByteIndex

    def no_entities(name: str, *_args: object) -> None:
        # defusedxml's rule: an export never declares entities, and expanding them is how a
        # small file becomes a large document.
        raise InvalidInput(
            f"export.xml declares the entity {name!r}; exports never do.",
            field="file",
            rule="no_entities",
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = no_entities
    parser.UnparsedEntityDeclHandler = no_entities
    fed = 0
    try:
        while chunk := stream.read(CHUNK_BYTES):
            parser.Parse(chunk, False)
            fed += len(chunk)
            if fed - last_event_at > limits.max_token_bytes:
                raise InvalidInput(
                    f"export.xml has a tag or comment longer than {limits.max_token_bytes} bytes.",
                    field="file",
                    rule="max_token_bytes",
                )
            yield from ready
            ready.clear()
        parser.Parse(b"", True)
        yield from ready
    except expat.ExpatError as exc:
        raise InvalidInput(
            f"export.xml is not well-formed XML: {expat.ErrorString(exc.code)} "
            f"(line {exc.lineno}, column {exc.offset})",
            field="file",
            rule="format",
        ) from exc


class _Counting(io.RawIOBase):
    """A read-only stream that reports how many bytes have been read."""

    def __init__(self, raw: IO[bytes], progress: Callable[[int], None]) -> None:
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._progress(len(data))
        return len(data)


def export_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The export.xml inside the zip (apple_health_export/export.xml; any folder accepted)."""
    for info in archive.infolist():
        name = info.filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
        if name == "export.xml":
            return info
    raise InvalidInput(
        "The zip holds no export.xml: upload the export.zip that Health → Export All Health "
        "Data makes.",
        field="file",
        rule="apple_health_export",
    )


def import_export(
    session: Session,
    user: User,
    source: IO[bytes],
    progress: Callable[[int], None] = lambda _n: None,
    total: Callable[[int], None] = lambda _n: None,
    max_xml_bytes: int = MAX_XML_BYTES,
    max_records: int = MAX_RECORDS,
    commit: Callable[[], None] | None = None,
    can_read: bool = True,
) -> dict[str, Any]:
    """Read the zip and write its entries; `total(n)` is told the XML's size in bytes first,
    then `progress(k)` after every k bytes read.

    Two steps. The whole export.xml is read first, keeping only the records Fortify maps (at
    most `max_records`, else a 413 before anything is written). Then they are written `BATCH`
    at a time, `commit()` after each: a long import must not hold SQLite's single writer for
    minutes (everybody else's writes wait at most 5 s, then fail with 503). Committing part of
    an import is safe because an entry's id is derived from its record: a rerun after a crash,
    a timeout or a 503 finds the written ones (unchanged) and writes the rest, never twice."""
    archive = zips.open_archive(source)
    member = export_member(archive)
    total(member.file_size)
    counts = Counts(written=Counter(), unchanged=0, skipped=Counter())
    limits = zips.ZipLimits(max_bytes=max_xml_bytes, max_ratio=MAX_COMPRESSION_RATIO)
    # A record listed twice in one export (same type, source, start and end: it happens, even
    # with two different values) is one entry, written as it was last listed; every earlier
    # listing is counted under `duplicate`, so each record of the file is accounted for.
    records: dict[tuple[str, str], Mapped] = {}
    listed = 0  # records Fortify keeps, as the file lists them (duplicates too)
    with archive, zips.open_member(archive, member, limits) as raw:
        stream = io.BufferedReader(_Counting(raw, progress), buffer_size=CHUNK_BYTES)
        for mapped in read_export(stream, counts.skipped, XmlLimits()):
            listed += 1
            identity = (mapped.kind, mapped.key)
            if identity in records:
                counts.skipped["duplicate"] += 1
                del records[identity]  # re-inserted below: file order is that of the last listing
            records[identity] = mapped
            if listed > max_records:
                raise PayloadTooLarge(
                    f"export.xml holds more than {max_records} records that Fortify keeps "
                    "(workouts, dietary calcium and vitamin D, body mass); one import takes "
                    f"at most {max_records}.",
                    field="file",
                    rule="max_records",
                )
    # What the request did before (a session's last use) is written now, and each batch below
    # is a short transaction of its own (without `commit`, the caller's one transaction).
    if commit is not None:
        commit()
    batch: list[Mapped] = []
    for mapped in records.values():
        batch.append(mapped)
        if len(batch) >= BATCH:
            _write_batch(session, user, batch, counts, commit)
            batch = []
    _write_batch(session, user, batch, counts, commit)
    return counts.as_dict(can_read=can_read)


# Between two batches on SQLite, the import lets go of the writer for this long: a writer
# waiting in SQLite's busy handler checks again every 100 ms (once it has waited a while), and
# a shorter gap could pass between two of its checks every time.
WRITER_PAUSE_SECONDS = 0.1


def _write_batch(
    session: Session,
    user: User,
    batch: list[Mapped],
    counts: Counts,
    commit: Callable[[], None] | None,
) -> None:
    if not batch:
        return
    _write(session, user, batch, counts)
    session.flush()
    if commit is None:
        return
    commit()
    if session.get_bind().dialect.name == "sqlite":
        time.sleep(WRITER_PAUSE_SECONDS)


def entry_id(user_id: uuid.UUID, key: str) -> uuid.UUID:
    return uuid.uuid5(APPLE_NAMESPACE, f"{user_id}|{key}")


def _write(session: Session, user: User, batch: list[Mapped], counts: Counts) -> None:
    # Her own account's ids first: a record is looked for under each, and the first found wins.
    accounts = [user.id, *provenance.origins(session, user.id)]
    by_kind: dict[str, dict[uuid.UUID, tuple[list[uuid.UUID], Any]]] = {}
    for mapped in batch:
        kind = KINDS[mapped.kind]
        try:
            data = kind.fields.model_validate(mapped.payload)
        except ValidationError:
            counts.skipped["invalid"] += 1
            continue
        ids = [entry_id(account, mapped.key) for account in accounts]
        by_kind.setdefault(mapped.kind, {})[ids[0]] = (ids, data)
    for name, records in by_kind.items():
        kind = KINDS[name]
        every_id = [row_id for ids, _data in records.values() for row_id in ids]
        existing = entries.rows_by_id(session, user.id, kind, every_id)
        gone = provenance.deleted(session, user.id, name) if len(accounts) > 1 else set()
        new_rows = []
        for row_id, (ids, data) in records.items():
            row = next((existing[i] for i in ids if i in existing), None)
            if row is None and gone.intersection(ids):  # deleted in the account she moved from
                counts.skipped["deleted_in_fortify"] += 1
                counts.settled[name] += 1
            elif row is None:
                new_rows.append((row_id, data))
            elif row.deleted_at is not None:
                counts.skipped["deleted_in_fortify"] += 1
                counts.settled[name] += 1
            elif entries.same_content(session, user.id, kind, row, data):
                counts.unchanged += 1
                counts.settled[name] += 1
            elif row.updated_at != row.created_at:
                # Changed since it came in (she corrected it in Fortify, or an earlier import
                # did): hers stays. An outside probe saw a re-upload put the Health value back
                # over her correction, with no conflict kept.
                counts.skipped["changed_in_fortify"] += 1
                counts.settled[name] += 1
            else:
                entries.write_row(session, user.id, kind, row, data)
                counts.written[name] += 1
        if new_rows:
            _insert(session, user, name, new_rows)
            counts.written[name] += len(new_rows)


def _insert(session: Session, user: User, name: str, rows: list[tuple[uuid.UUID, Any]]) -> None:
    """Insert new entries in one statement, with change numbers taken in one UPDATE."""
    kind = KINDS[name]
    first = accounts.take_versions(session, user.id, len(rows))
    now = utcnow()
    values = [
        {"user_id": user.id, "id": row_id, "created_at": now, "updated_at": now}
        | {"version": first + n}
        | kind.columns(entries.prepare(session, user.id, kind, data))
        for n, (row_id, data) in enumerate(rows)
    ]
    session.execute(insert(kind.model), values)
