"""doses: an index for each regimen item's earliest live dose

Revision ID: 7d2e4b9c1a55
Revises: 7a2d4c9e1f60
Create Date: 2026-12-03 14:00:00

Every computed day report reads each regimen item's earliest live dose (its start, PROTOCOL.md
§1) with one grouped query; without an index on (user_id, regimen_item_id, at) that query
walked the person's whole history of doses (0.65 ms of a 5 ms report on a year of history).
Partial: only live doses of an item are ever asked for.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d2e4b9c1a55"
down_revision: str | None = "7a2d4c9e1f60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_OF_AN_ITEM = "deleted_at IS NULL AND regimen_item_id IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_doses_user_id_regimen_item_id_at",
        "doses",
        ["user_id", "regimen_item_id", "at"],
        unique=False,
        sqlite_where=sa.text(LIVE_OF_AN_ITEM),
        postgresql_where=sa.text(LIVE_OF_AN_ITEM),
    )


def downgrade() -> None:
    op.drop_index("ix_doses_user_id_regimen_item_id_at", table_name="doses")
