"""a person's running JSON import holds her account: users.import_running_until

Revision ID: c4e9a1f7b2d3
Revises: b3f81c6d2a47
Create Date: 2026-12-03 16:45:00

While her import writes its batches, her other writes (another device's sync push, the REST
API) are refused with 503 and Retry-After instead of landing between two batches and making
the file impossible to import (issue 13). The column says until when the lock holds: a crashed
import's lock expires by itself. Null: no import running.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fortify.core.db

revision: str = "c4e9a1f7b2d3"
down_revision: str | None = "b3f81c6d2a47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "import_running_until", fortify.core.db.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("import_running_until")
