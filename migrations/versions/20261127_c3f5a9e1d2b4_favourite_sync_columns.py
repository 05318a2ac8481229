"""favourites as sync records: version and tombstone columns

Revision ID: c3f5a9e1d2b4
Revises: a8a09d6379ec
Create Date: 2026-11-27 05:10:00

Favourites become a sync entity: a removal leaves a tombstone (`deleted_at`) and every write
stamps the person's change number (`version`). Favourites that exist already get numbers from
their owner's counter, after everything the owner wrote so far, so the next pull (from any
cursor) brings them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fortify.core.db

revision: str = "c3f5a9e1d2b4"
down_revision: str | None = "a8a09d6379ec"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("food_favourites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("deleted_at", fortify.core.db.UTCDateTime(timezone=True), nullable=True)
        )
    _number_existing_favourites()
    with op.batch_alter_table("food_favourites", schema=None) as batch_op:
        batch_op.alter_column("version", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            "ix_food_favourites_user_id_version", ["user_id", "version"], unique=False
        )


def _number_existing_favourites() -> None:
    connection = op.get_bind()
    favourites = sa.table(
        "food_favourites",
        sa.column("user_id", sa.Uuid()),
        sa.column("food_id", sa.Uuid()),
        sa.column("created_at"),
        sa.column("version", sa.Integer()),
    )
    users = sa.table("users", sa.column("id", sa.Uuid()), sa.column("sync_version", sa.Integer()))
    rows = connection.execute(
        sa.select(favourites.c.user_id, favourites.c.food_id).order_by(
            favourites.c.user_id, favourites.c.created_at, favourites.c.food_id
        )
    ).all()
    by_user: dict[object, list[object]] = {}
    for user_id, food_id in rows:
        by_user.setdefault(user_id, []).append(food_id)
    for user_id, food_ids in by_user.items():
        last = connection.execute(
            sa.update(users)
            .where(users.c.id == user_id)
            .values(sync_version=users.c.sync_version + len(food_ids))
            .returning(users.c.sync_version)
        ).scalar_one()
        first = int(last) - len(food_ids) + 1
        for n, food_id in enumerate(food_ids):
            connection.execute(
                sa.update(favourites)
                .where(favourites.c.user_id == user_id, favourites.c.food_id == food_id)
                .values(version=first + n)
            )


def downgrade() -> None:
    # Tombstones have no place in the old table: only live favourites stay.
    op.execute("DELETE FROM food_favourites WHERE deleted_at IS NOT NULL")
    with op.batch_alter_table("food_favourites", schema=None) as batch_op:
        batch_op.drop_index("ix_food_favourites_user_id_version")
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("version")
