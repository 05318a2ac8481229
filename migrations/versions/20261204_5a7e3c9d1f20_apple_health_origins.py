"""Apple Health provenance survives a move: apple_health_origins, apple_health_deletions

Revision ID: 5a7e3c9d1f20
Revises: e8b1c3f5a902
Create Date: 2026-12-04 17:30:00

An Apple Health import derives each entry's id from (person, the record's identity in Health),
so a repeat upload recognises what it wrote. After a JSON export was imported into another
account, the ids were the first account's, and a repeat upload there duplicated every record
and brought back the deleted ones (an outside probe, F1). The export now carries the accounts
the ids were derived from and the deleted entries' ids; these tables keep them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5a7e3c9d1f20"
down_revision: str | None = "e8b1c3f5a902"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "apple_health_origins",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_apple_health_origins_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "account_id", name=op.f("pk_apple_health_origins")),
    )
    op.create_table(
        "apple_health_deletions",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_apple_health_deletions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", "id", name=op.f("pk_apple_health_deletions")),
    )


def downgrade() -> None:
    op.drop_table("apple_health_deletions")
    op.drop_table("apple_health_origins")
