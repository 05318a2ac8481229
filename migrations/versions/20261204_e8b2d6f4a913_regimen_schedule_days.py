"""regimen items: schedule_days (the days an item's times are for)

Revision ID: e8b2d6f4a913
Revises: c4e9a1f7b2d3
Create Date: 2026-12-04 17:05:00

An item taken on some days only (anastrozole 0.5 mg on Monday and Thursday) could say so only
through a stored dose reminder; created through the API with times and no reminder, its
implicit reminder fired every day (issue #14). The item now carries its days: the implicit
reminder fires on them. Existing items are every day, as their implicit reminders were: null.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e8b2d6f4a913"
down_revision: str | None = "c4e9a1f7b2d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("regimen_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("schedule_days", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("regimen_items", schema=None) as batch_op:
        batch_op.drop_column("schedule_days")
