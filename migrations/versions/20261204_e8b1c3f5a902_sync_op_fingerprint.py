"""an answered sync operation keeps its content's fingerprint: sync_ops.fingerprint

Revision ID: e8b1c3f5a902
Revises: d7a2c9e4f1b8
Create Date: 2026-12-04 17:15:00

A push whose op_id was answered before was answered `duplicate` whatever it held, so a
different change sent under a reused op_id (another device, a reinstall, a client that fixed a
refused change and resent it) was dropped while the client heard "saved" (an outside probe,
F3). The column holds the SHA-256 of the operation's entity, id, kind and fields, so a known
op_id with other content is refused (`op_id_reused`) instead. Null for operations answered
before this column: they are still answered `duplicate` (they age out in 90 days).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e8b1c3f5a902"
down_revision: str | None = "d7a2c9e4f1b8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_ops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_ops", schema=None) as batch_op:
        batch_op.drop_column("fingerprint")
