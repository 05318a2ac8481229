"""A zip of CSV files for spreadsheets: one per entry kind, plus the daily scores and totals.

Spreadsheet habits decide the format: UTF-8 with a byte-order mark (Excel otherwise reads it as
the local code page), comma separated, CRLF line ends (RFC 4180), ISO 8601 timestamps with
their UTC offset plus a `local_date` column to sort and pivot by, units in the column names
(`calcium_mg`, `weight_kg`), one meal row per item. A text cell that starts with = + - @ is
prefixed with an apostrophe, so a meal named "=HYPERLINK(…)" is shown, never run (CSV
injection); numbers are written as numbers.

The zip is streamed as it is made (`stream`): each file's rows are read `ROW_BATCH` at a time,
written through the standard library's `zipfile` into a write-only sink (so the zip needs no
seek: each member's sizes follow it in a data descriptor), and what the sink holds is handed on
after every `CSV_CHUNK_CHARS` of text. An outside probe (F10) measured the zip built whole in
memory: 58 s and 550 MB more for an account of 3,000 meals of 30 items; the memory is now
bounded by one batch of rows and one chunk, whatever the account's size. The standard library
rather than a streaming-zip package: a member written through `ZipFile.open(name, "w")` is
already streamed, and it keeps the exact files (and their deflate compression) the export made.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core.clock import local_today
from fortify.days.service import day_series, first_day, scored_until
from fortify.entries.kinds import KINDS, localized
from fortify.scoring import tables
from fortify.scoring.activities import ACTIVITY_CLASSES
from fortify.scoring.model import DayReport

NUTRIENTS = tables.NUTRIENT_KEYS
SERVINGS = tables.SERVING_GROUPS
SERVING_COLUMNS = tuple(f"{s}_servings" for s in SERVINGS)
MAX_SCORE_DAYS = 3660
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, list | tuple):
        return _cell("; ".join(str(v) for v in value))
    if isinstance(value, float):
        return round(value, 4)
    return value


#: Characters of CSV text gathered before they are compressed into the zip and handed on.
CSV_CHUNK_CHARS = 64 * 1024


def csv_pieces(rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV of `rows` (the first is the header) in UTF-8 pieces of about `CSV_CHUNK_CHARS`,
    the first with the byte-order mark: joined, the bytes a spreadsheet opens."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    mark = "\ufeff"
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        if buffer.tell() >= CSV_CHUNK_CHARS:
            yield (mark + buffer.getvalue()).encode()
            mark = ""
            buffer.seek(0)
            buffer.truncate()
    yield (mark + buffer.getvalue()).encode()


#: Rows read from the database at a time by the exports (CSV and FHIR).
ROW_BATCH = 500
#: Meals read at a time: a meal holds up to 100 items, each with its nutrients and servings
#: (some 1.5 KiB parsed an item); 500 meals of 30 items were 23 MiB a batch.
MEAL_BATCH = 50
#: Days of daily scores computed at a time: each chunk's History holds its days' entries.
SCORE_DAYS = 61


def entry_rows(
    session: Session, user: User, kind_name: str, batch: int = ROW_BATCH
) -> Iterator[Any]:
    """The person's live entries of a kind in time order, read `batch` at a time: an
    account of 40,000 weights is never held in memory at once."""
    model = KINDS[kind_name].model
    order = model.at if KINDS[kind_name].time_field else model.created_at
    stmt = (
        select(model)
        .where(model.user_id == user.id, model.deleted_at.is_(None))
        .order_by(order, model.id)
        .execution_options(yield_per=batch)
    )
    return iter(session.scalars(stmt))


def _when(row: Any, zone: Any) -> tuple[str, str]:
    """The moment in her zone, and its day there: one clock for every row (a dose the server
    logged from a reminder is stored in UTC, one she typed with her offset; a nurse sorting
    the sheet must not read the same minute six hours apart)."""
    at = localized(row).astimezone(zone)
    return at.isoformat(), at.date().isoformat()


def _amounts(values: dict[str, Any] | None, keys: Sequence[str]) -> list[Any]:
    values = values or {}
    return [values.get(k) for k in keys]


Rows = Iterator[Sequence[Any]]


def meals_csv(session: Session, user: User, zone: Any) -> Rows:
    header = ["meal_id", "eaten_at", "local_date", "meal", "food", "food_id", "grams"]
    yield [*header, *NUTRIENTS, *SERVING_COLUMNS, "note"]
    for meal in entry_rows(session, user, "meals", MEAL_BATCH):
        eaten_at, day = _when(meal, zone)
        for item in meal.items or [{}]:
            yield [
                meal.id,
                eaten_at,
                day,
                meal.name,
                item.get("food_name"),
                item.get("food_id"),
                item.get("grams"),
                *_amounts(item.get("nutrients"), NUTRIENTS),
                *_amounts(item.get("servings"), SERVINGS),
                meal.note,
            ]


def doses_csv(session: Session, user: User, zone: Any) -> Rows:
    names = {r.id: r.name for r in entry_rows(session, user, "regimen")}
    header = ["dose_id", "taken_at", "local_date", "medicine_or_supplement", "regimen_item_id"]
    yield [*header, "kind", "form", "units", *NUTRIENTS, *SERVING_COLUMNS]
    for d in entry_rows(session, user, "doses"):
        yield [
            d.id,
            *_when(d, zone),
            names.get(d.regimen_item_id, ""),
            d.regimen_item_id,
            d.kind,
            d.form,
            d.units,
            *_amounts(d.nutrients, NUTRIENTS),
            *_amounts(d.servings, SERVINGS),
        ]


def regimen_csv(session: Session, user: User, zone: Any) -> Rows:
    header = ["regimen_item_id", "name", "kind", "form", "default_units", "schedule_times"]
    header += ["schedule_days", "prescribed_daily", "started_on", "active", "set_by_care_team"]
    yield header + [f"{n}_per_unit" for n in NUTRIENTS]
    for r in entry_rows(session, user, "regimen"):
        yield [
            r.id,
            r.name,
            r.kind,
            r.form,
            r.default_units,
            r.schedule_times,
            r.schedule_days,
            r.prescribed_daily,
            r.started_on.isoformat() if r.started_on else None,
            r.active,
            r.set_by_care_team,
            *_amounts(r.nutrients_per_unit, NUTRIENTS),
        ]


def workouts_csv(session: Session, user: User, zone: Any) -> Rows:
    flags = ["aerobic", "weight_bearing", "resistance", "high_impact", "low_impact"]
    header = ["workout_id", "started_at", "local_date", "activity", "minutes", "intensity"]
    yield [*header, *flags, "muscle_groups"]
    for w in entry_rows(session, user, "workouts"):
        yield (
            [w.id, *_when(w, zone), w.activity, w.minutes, w.intensity]
            + [getattr(w, f) for f in flags]
            + [w.muscle_groups]
        )


def symptoms_csv(session: Session, user: User, zone: Any) -> Rows:
    header = ["symptom_id", "measured_at", "local_date", "worst_pain_0_10"]
    yield [*header, "morning_stiffness_minutes", "locations", "note"]
    for s in entry_rows(session, user, "symptoms"):
        yield [
            s.id,
            *_when(s, zone),
            s.worst_pain_0_10,
            s.morning_stiffness_minutes,
            s.locations,
            s.note,
        ]


def labs_csv(session: Session, user: User, zone: Any) -> Rows:
    header = ["lab_id", "measured_at", "local_date", "test", "value", "unit"]
    yield [*header, "value_canonical", "unit_canonical", "site"]
    for lab in entry_rows(session, user, "labs"):
        yield [
            lab.id,
            *_when(lab, zone),
            lab.kind,
            lab.value,
            lab.unit,
            lab.value_canonical,
            lab.unit_canonical,
            lab.site,
        ]


def measurements_csv(session: Session, user: User, zone: Any) -> Rows:
    header = ["measurement_id", "measured_at", "local_date", "weight_kg"]
    yield [*header, "entered_value", "entered_unit"]
    for m in entry_rows(session, user, "measurements"):
        yield [m.id, *_when(m, zone), m.weight_kg, m.weight_entered, m.entered_unit]


SCORE_HEADER = (
    "date",
    "entry_count",
    "overall",
    "bone",
    "heart",
    "joint",
    "calcium_mg",
    "calcium_food_mg",
    "calcium_supplement_mg",
    "largest_calcium_sitting_mg",
    "vitamin_d_iu",
    "vitamin_d_iu_7day_avg",
    "magnesium_mg",
    "vitamin_k_mcg",
    "epa_dha_mg",
    "epa_dha_mg_7day_avg",
    "ala_g",
    "fiber_g",
    *SERVING_COLUMNS,
    *(f"{c}_minutes_7day" for c in ACTIVITY_CLASSES),
    *(f"{c}_days_7day" for c in ACTIVITY_CLASSES),
    "flags",
)


def score_row(report: DayReport) -> list[Any]:
    t = report.totals
    return [
        report.date.isoformat(),
        report.entry_count,
        report.overall,
        report.bone,
        report.heart,
        report.joint,
        t.calcium_mg,
        t.calcium_food_mg,
        t.calcium_supplement_mg,
        t.largest_calcium_sitting_mg,
        t.vitamin_d_iu,
        t.vitamin_d_iu_7day_avg,
        t.magnesium_mg,
        t.vitamin_k_mcg,
        t.epa_dha_mg,
        t.epa_dha_mg_7day_avg,
        t.ala_g,
        t.fiber_g,
        *(t.servings.get(s, 0.0) for s in SERVINGS),
        *(t.minutes_w7.get(c, 0.0) for c in ACTIVITY_CLASSES),
        *(t.days_w7.get(c, 0) for c in ACTIVITY_CLASSES),
        [f.key for f in report.flags],
    ]


def logged_days(session: Session, user: User) -> tuple[dt.date, dt.date] | None:
    """The first and last local day with a timed entry, or None when there is none."""
    zone = _zone(user)
    found: list[dt.date] = []
    for kind in KINDS.values():
        if kind.time_field is None:
            continue
        model = kind.model
        for pick in (model.at.asc(), model.at.desc()):
            stmt = (
                select(model.at, model.utc_offset_minutes)
                .where(model.user_id == user.id, model.deleted_at.is_(None))
                .order_by(pick)
                .limit(1)
            )
            row = session.execute(stmt).first()
            if row is not None:
                at = row[0] if row[0].tzinfo else row[0].replace(tzinfo=dt.UTC)
                found.append(at.astimezone(zone).date())
    if not found:
        return None
    return min(found), max(found)


def _zone(user: User) -> ZoneInfo:
    return ZoneInfo(user.time_zone)


def daily_scores_csv(session: Session, user: User, first: dt.date, last: dt.date) -> Rows:
    yield SCORE_HEADER
    start = first
    while start <= last:  # one History per chunk keeps memory flat
        end = min(last, start + dt.timedelta(days=SCORE_DAYS - 1))
        for report in day_series(session, user, start, end):
            yield score_row(report)
        start = end + dt.timedelta(days=1)


ENTRY_FILES: dict[str, Callable[[Session, User, Any], Rows]] = {
    "meals.csv": meals_csv,
    "doses.csv": doses_csv,
    "regimen.csv": regimen_csv,
    "workouts.csv": workouts_csv,
    "symptoms.csv": symptoms_csv,
    "labs.csv": labs_csv,
    "measurements.csv": measurements_csv,
}

README = """Fortify export: one CSV per kind of entry, plus daily_scores.csv.

Files are UTF-8 (with a byte-order mark), comma-separated. Timestamps are ISO 8601 in your
time zone ({zone}), with its UTC offset; local_date is the day there.
Units are in the column names: _mg milligrams, _mcg micrograms, _g grams, _iu international
units, _kg kilograms, _minutes minutes, _servings servings (PROTOCOL.md). An empty cell means
"unknown", never zero. measurements.csv: weight_kg is always kilograms (a weight typed in
pounds is converted, 1 lb = 0.45359237 kg); entered_value and entered_unit are the weight as
it was typed (kg or lb). daily_scores.csv has one row per day from {first} to {last} (none
after the day of the export, nor before your first day in the app): the four scores (0-100)
and the totals they were computed from; _7day columns are sums over the seven days ending
that day, _7day_avg columns their average.
"""


class _Sink:
    """The write-only file `zipfile` writes the zip into: what it wrote waits here until the
    stream takes it. No `tell` or `seek`, so `zipfile` streams (sizes in data descriptors)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes, /) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts.clear()
        return out


def _member(name: str) -> zipfile.ZipInfo:
    """A member as `ZipFile.writestr` makes one: deflated, now, readable by its owner."""
    info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def zip_chunks(
    session: Session,
    user: User,
    first: dt.date | None = None,
    last: dt.date | None = None,
    today: dt.date | None = None,
) -> Iterator[bytes]:
    """The zip in pieces, with daily scores from `first` to `last` (default: the logged days),
    stopping at her `today` (default: by the real clock)."""
    zone = _zone(user)
    today = today or local_today(zone)
    if first is None or last is None:
        span = logged_days(session, user)
        first = first or (span[0] if span else today)
        last = last or (span[1] if span else today)
    # No scores after her today (days.service.scored_until), as in the app: an entry may be
    # dated up to two days ahead, and `to` may be any day.
    last = scored_until(last, today)
    first = max(first, last - dt.timedelta(days=MAX_SCORE_DAYS - 1))
    # No scores before the person's first day (days.service.first_day), as in the app.
    first = max(first, min(first_day(session, user), last))
    files: list[tuple[str, Rows]] = [
        (name, build(session, user, zone)) for name, build in ENTRY_FILES.items()
    ]
    files.append(("daily_scores.csv", daily_scores_csv(session, user, first, last)))
    readme = README.format(zone=user.time_zone, first=first, last=last)
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in files:
            with archive.open(_member(name), "w") as member:
                for piece in csv_pieces(rows):
                    member.write(piece)
                    if chunk := sink.take():
                        yield chunk
        # Her account deleted while the zip was read: cut short (the answer has begun; a zip
        # without its directory does not open), never one that looks whole with files missing.
        accounts.confirm_account(session, user.id)
        archive.writestr(_member("README.txt"), readme)
    yield sink.take()


def csv_zip(
    session: Session,
    user: User,
    first: dt.date | None = None,
    last: dt.date | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The whole zip at once (`zip_chunks` joined): for a caller that wants the bytes."""
    return b"".join(zip_chunks(session, user, first, last, today))


def stream(
    factory: sessionmaker[Session],
    user_id: uuid.UUID,
    first: dt.date | None,
    last: dt.date | None,
    today: dt.date,
) -> Iterator[bytes]:
    """`zip_chunks` on a session of its own: a streamed answer outlives the request's. Her
    account deleted since the request signed in: the 401 `account_deleted`, raised before the
    first piece (the route starts the stream before it answers, portability/gate.py)."""
    with factory() as session:
        user = accounts.get_person(session, user_id)
        if user is None:
            raise accounts.account_gone()
        yield from zip_chunks(session, user, first, last, today)
