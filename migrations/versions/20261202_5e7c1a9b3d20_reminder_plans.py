"""reminder plans; occurrences keyed by person

Revision ID: 5e7c1a9b3d20
Revises: 193e9ac98619
Create Date: 2026-12-02 21:40:00

Occurrences were unique on (reminder_id, due_at), but reminder ids are only unique per person
(client ids; an implicit reminder's id derives from its regimen item's id, and two people may
have items with the same id): the second person's occurrences were silently not planned. They
are now unique on (user_id, reminder_id, due_at).

`reminder_plans` records, per person, how far their occurrences are planned and from which
change number, so the planner only looks at people whose reminders changed or whose plan must
reach further. Everyone gets a row on the planner's first round, due at once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fortify.core.db

revision: str = "5e7c1a9b3d20"
down_revision: str | None = "193e9ac98619"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder_occurrences", schema=None) as batch_op:
        batch_op.drop_constraint("uq_reminder_occurrences_reminder_id_due_at", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_reminder_occurrences_user_id_reminder_id_due_at"),
            ["user_id", "reminder_id", "due_at"],
        )
    op.create_table(
        "reminder_plans",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("planned_version", sa.Integer(), nullable=False),
        sa.Column("planned_through", fortify.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_plan_at", fortify.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reminder_plans_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reminder_plans")),
    )
    with op.batch_alter_table("reminder_plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_plans_next_plan_at"), ["next_plan_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_plans_next_plan_at"))
    op.drop_table("reminder_plans")
    _drop_cross_person_duplicates()
    with op.batch_alter_table("reminder_occurrences", schema=None) as batch_op:
        batch_op.drop_constraint(
            "uq_reminder_occurrences_user_id_reminder_id_due_at", type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_reminder_occurrences_reminder_id_due_at"), ["reminder_id", "due_at"]
        )


def _drop_cross_person_duplicates() -> None:
    """The old key cannot hold two people's occurrences of one reminder id and instant: keep
    the earliest planned."""
    connection = op.get_bind()
    occ = sa.table(
        "reminder_occurrences",
        sa.column("id", sa.Uuid()),
        sa.column("reminder_id", sa.Uuid()),
        sa.column("due_at"),
        sa.column("created_at"),
    )
    seen: set[tuple[object, object]] = set()
    extra: list[object] = []
    rows = connection.execute(
        sa.select(occ.c.id, occ.c.reminder_id, occ.c.due_at).order_by(
            occ.c.reminder_id, occ.c.due_at, occ.c.created_at, occ.c.id
        )
    )
    for occ_id, reminder_id, due_at in rows:
        if (reminder_id, due_at) in seen:
            extra.append(occ_id)
        seen.add((reminder_id, due_at))
    for occ_id in extra:
        connection.execute(sa.delete(occ).where(occ.c.id == occ_id))
