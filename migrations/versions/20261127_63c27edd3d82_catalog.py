"""catalog: foods (curated, USDA, people's own), favourites, recents, catalog meta

Revision ID: 63c27edd3d82
Revises: 08eb01435bde
Create Date: 2026-11-27 02:07:00.818827
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fortify.core.db

revision: str = "63c27edd3d82"
down_revision: str | None = "08eb01435bde"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_catalog_meta")),
    )
    op.create_table(
        "foods",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("synonyms", sa.JSON(), nullable=False),
        sa.Column("food_group", sa.String(length=100), nullable=False),
        sa.Column("nutrients_per_100g", sa.JSON(), nullable=False),
        sa.Column("servings_grams", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("portions", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", fortify.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fortify.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("deleted_at", fortify.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_foods_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_foods")),
        sa.UniqueConstraint("source", "source_id", name=op.f("uq_foods_source_source_id")),
    )
    with op.batch_alter_table("foods", schema=None) as batch_op:
        batch_op.create_index("ix_foods_owner_id_version", ["owner_id", "version"], unique=False)

    op.create_table(
        "food_favourites",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("food_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", fortify.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["food_id"],
            ["foods.id"],
            name=op.f("fk_food_favourites_food_id_foods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_food_favourites_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "food_id", name=op.f("pk_food_favourites")),
    )
    op.create_table(
        "food_recents",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("food_id", sa.Uuid(), nullable=False),
        sa.Column("last_used_at", fortify.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("use_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["food_id"],
            ["foods.id"],
            name=op.f("fk_food_recents_food_id_foods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_food_recents_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "food_id", name=op.f("pk_food_recents")),
    )
    with op.batch_alter_table("food_recents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_food_recents_user_id_last_used_at", ["user_id", "last_used_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("food_recents", schema=None) as batch_op:
        batch_op.drop_index("ix_food_recents_user_id_last_used_at")
    op.drop_table("food_recents")
    op.drop_table("food_favourites")
    with op.batch_alter_table("foods", schema=None) as batch_op:
        batch_op.drop_index("ix_foods_owner_id_version")
    op.drop_table("foods")
    op.drop_table("catalog_meta")
