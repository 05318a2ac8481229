"""regimen items: set_by_care_team (protocol v1.1)

Revision ID: d15c4e7a0b11
Revises: c3f5a9e1d2b4
Create Date: 2026-12-02 21:30:00

A regimen item can be marked "prescribed or recommended by my care team"; its doses then stay
out of the supplement upper-limit flags (PROTOCOL.md §1, §4). Existing items are the person's
own choice until they say otherwise: false.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d15c4e7a0b11"
down_revision: str | None = "c3f5a9e1d2b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("regimen_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("set_by_care_team", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("regimen_items", schema=None) as batch_op:
        batch_op.drop_column("set_by_care_team")
