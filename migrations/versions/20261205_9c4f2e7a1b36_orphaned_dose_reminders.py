"""stored dose reminders of deleted regimen items become tombstones

Revision ID: 9c4f2e7a1b36
Revises: 5a7e3c9d1f20
Create Date: 2026-12-05 00:00:00

A deleted regimen item now takes its stored dose reminders with it (issue #13, F5:
`entries.kinds.RegimenKind.on_tombstone`). Those left behind before fired nothing, yet counted
toward the reminders cap, could not be edited (422 `exists`), and made an export that the
import refused (a reminder naming an item the file does not hold). Each becomes a tombstone
now, as if deleted with its item: its owner's next change number, after everything she wrote
so far, so every device's next pull deletes it too. An item missing altogether (its tombstone
purged) counts as deleted.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fortify.core.db

revision: str = "9c4f2e7a1b36"
down_revision: str | None = "5a7e3c9d1f20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    stamp = fortify.core.db.UTCDateTime(timezone=True)
    reminders = sa.table(
        "reminders",
        sa.column("user_id", sa.Uuid()),
        sa.column("id", sa.Uuid()),
        sa.column("regimen_item_id", sa.Uuid()),
        sa.column("created_at", stamp),
        sa.column("updated_at", stamp),
        sa.column("deleted_at", stamp),
        sa.column("version", sa.Integer()),
    )
    items = sa.table(
        "regimen_items",
        sa.column("user_id", sa.Uuid()),
        sa.column("id", sa.Uuid()),
        sa.column("deleted_at", stamp),
    )
    users = sa.table("users", sa.column("id", sa.Uuid()), sa.column("sync_version", sa.Integer()))
    live_item = (
        sa.select(items.c.id)
        .where(
            items.c.user_id == reminders.c.user_id,
            items.c.id == reminders.c.regimen_item_id,
            items.c.deleted_at.is_(None),
        )
        .exists()
    )
    orphans = connection.execute(
        sa.select(reminders.c.user_id, reminders.c.id)
        .where(
            reminders.c.deleted_at.is_(None),
            reminders.c.regimen_item_id.is_not(None),
            ~live_item,
        )
        .order_by(reminders.c.user_id, reminders.c.created_at, reminders.c.id)
    ).all()
    by_user: dict[object, list[object]] = {}
    for user_id, reminder_id in orphans:
        by_user.setdefault(user_id, []).append(reminder_id)
    now = fortify.core.db.utcnow()
    for user_id, reminder_ids in by_user.items():
        last = connection.execute(
            sa.update(users)
            .where(users.c.id == user_id)
            .values(sync_version=users.c.sync_version + len(reminder_ids))
            .returning(users.c.sync_version)
        ).scalar_one()
        first = int(last) - len(reminder_ids) + 1
        for n, reminder_id in enumerate(reminder_ids):
            connection.execute(
                sa.update(reminders)
                .where(reminders.c.user_id == user_id, reminders.c.id == reminder_id)
                .values(deleted_at=now, updated_at=now, version=first + n)
            )


def downgrade() -> None:
    # Nothing to undo: the reminders were dead already, and a change number only ever grows.
    pass
