"""Write a generated history quickly: validated like any entry, inserted in bulk.

Each payload goes through its kind's write schema and column mapping (the same code as the REST
API), and the person's change counter is advanced once for the whole batch.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.accounts.schemas import AccountCreate, ProfileUpdate
from fortify.catalog import service as catalog
from fortify.core.clock import utcnow
from fortify.demo.generator import DemoEntry, generate
from fortify.entries import service as entries
from fortify.entries.kinds import KINDS

BATCH = 5000


def bulk_write(session: Session, user: User, generated: Iterable[DemoEntry]) -> dict[str, int]:
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    now = utcnow()
    for entry in generated:
        kind = KINDS[entry.kind]
        payload = dict(entry.payload)
        entry_id = uuid.UUID(payload.pop("id"))
        data = entries.prepare(session, user.id, kind, kind.fields.model_validate(payload))
        if entry.kind == "regimen":  # doses refer to the items: write them first
            row = kind.model(user_id=user.id, id=entry_id, created_at=now)
            session.add(row)
            entries.write_row(session, user.id, kind, row, data)
            counts[entry.kind] += 1
            continue
        by_kind[entry.kind].append(
            {"user_id": user.id, "id": entry_id, "created_at": now, "updated_at": now}
            | kind.columns(data)
        )
        counts[entry.kind] += 1
    total = sum(len(rows) for rows in by_kind.values())
    version = accounts.take_versions(session, user.id, total) - 1
    for name, rows in by_kind.items():
        for row in rows:
            version += 1
            row["version"] = version
        for start in range(0, len(rows), BATCH):
            session.execute(insert(KINDS[name].model), rows[start : start + BATCH])
    session.flush()
    return dict(counts)


def create_demo_person(
    session: Session,
    *,
    email: str,
    password: str,
    days: int,
    today: dt.date,
    seed: int = 7,
    busy: bool = False,
    time_zone: str = "Europe/London",
) -> tuple[User, dict[str, int]]:
    # Meals name curated foods; outside a running app nothing has loaded them yet.
    catalog.sync_curated(session)
    user = accounts.create_account(
        session, AccountCreate(email=email, password=password, display_name="Demo")
    )
    accounts.update_profile(
        session,
        user,
        ProfileUpdate(
            sex="female",
            birth_year=1958,
            height_cm=164,
            time_zone=time_zone,
            therapy_medicine="anastrozole",
            therapy_start_date=today - dt.timedelta(days=days + 200),
        ),
    )
    first = today - dt.timedelta(days=days - 1)
    counts = bulk_write(
        session,
        user,
        generate(seed=seed, first_day=first, days=days, time_zone=time_zone, busy=busy),
    )
    return user, counts
