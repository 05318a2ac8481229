"""one sync push of a person at a time: users.sync_push_until

Revision ID: d7a2c9e4f1b8
Revises: e8b2d6f4a913
Create Date: 2026-12-04 17:00:00

Six concurrent 500-operation pushes of one person each waited for her row (PostgreSQL) or the
database's one writer (SQLite) behind the others, and on SQLite other people's writes waited
behind all six, into 503s (an outside probe, F9). A push now takes a lease on her row first
(accounts/pushlock.py); a second push of hers meanwhile is refused with 429 and Retry-After.
The column says until when the lease holds: a push whose process died lets go by itself. Null:
no push running.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fortify.core.db

revision: str = "d7a2c9e4f1b8"
down_revision: str | None = "e8b2d6f4a913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sync_push_until", fortify.core.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("sync_push_until")
