"""profiles never saved get a change number, so every phone's pull carries them

Revision ID: b3f81c6d2a47
Revises: 7d2e4b9c1a55
Create Date: 2026-12-03 14:20:00

A new account's profile had change number 0 until first saved, so it was in no sync pull and
the phone could not know the account's first day (the profile's created_at): it scored days
before sign-up that the server does not. New accounts start at change number 1
(accounts.service._new_user); existing never-saved profiles take their person's next number.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b3f81c6d2a47"
down_revision: str | None = "7d2e4b9c1a55"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Both SET clauses read the old sync_version (SQL semantics on SQLite and PostgreSQL).
    op.execute(
        "UPDATE users SET sync_version = sync_version + 1, profile_version = sync_version + 1"
        " WHERE profile_version = 0"
    )


def downgrade() -> None:
    # Nothing to undo: a change number only ever grows, and the profile was unchanged.
    pass
