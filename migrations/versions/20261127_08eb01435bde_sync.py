"""sync: answered operations, conflicts, purge horizons

Revision ID: 08eb01435bde
Revises: ae998d170684
Create Date: 2026-11-27 02:07:00.772292
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fortify.core.db

revision: str = "08eb01435bde"
down_revision: str | None = "ae998d170684"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("losing_value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("winning_value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("losing_device", sa.String(length=100), nullable=True),
        sa.Column("winning_device", sa.String(length=100), nullable=True),
        sa.Column("created_at", fortify.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", fortify.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sync_conflicts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sync_conflicts_user_id_created_at", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "sync_horizons",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("min_valid_version", sa.Integer(), nullable=False),
        sa.Column("purged_at", fortify.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sync_horizons_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_sync_horizons")),
    )
    op.create_table(
        "sync_ops",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("op_id", sa.String(length=100), nullable=False),
        sa.Column("device_id", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", fortify.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sync_ops_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "op_id", name=op.f("pk_sync_ops")),
    )
    with op.batch_alter_table("sync_ops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_ops_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_sync_ops_user_id_version", ["user_id", "version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_ops", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_ops_user_id_version")
        batch_op.drop_index(batch_op.f("ix_sync_ops_created_at"))

    op.drop_table("sync_ops")
    op.drop_table("sync_horizons")
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflicts_user_id_created_at")

    op.drop_table("sync_conflicts")
