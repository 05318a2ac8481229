"""ended_credentials: whose token it was, until the account is deleted

Revision ID: 7a2d4c9e1f60
Revises: 5e1f0a7c9b3d
Create Date: 2026-12-03 13:55:00

A phone signed out by a password change still holds the person's data; when she later deletes
her account elsewhere, that phone must learn the account is gone (issue #14). The record of an
ended token now names the account while it lives (no foreign key: deletion nulls it, so what
outlives the account is a hash, a reason and a time). Rows written before this stay unowned.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a2d4c9e1f60"
down_revision: str | None = "5e1f0a7c9b3d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ended_credentials", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_ended_credentials_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ended_credentials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ended_credentials_user_id"))
        batch_op.drop_column("user_id")
