"""SQLite: JSON values stored as numbers become JSON text again

Revision ID: 5e1f0a7c9b3d
Revises: 5e7c1a9b3d20
Create Date: 2026-12-02 21:45:00

A column declared JSON has NUMERIC affinity in SQLite, so a bare JSON number ("5", "1.0")
written as text was stored as an INTEGER or REAL, which the JSON reader cannot read: the first
sync conflict over a numeric field broke that person's conflicts list, export, dismiss and
restore. New writes store JSON as a BLOB (`core.db._sqlite_json_dumps`); this rewrites every
such value already written, in every JSON column, as the BLOB of its JSON text (an infinity,
which JSON cannot hold, becomes null). PostgreSQL stores JSON natively: nothing to do.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e1f0a7c9b3d"
down_revision: str | None = "5e7c1a9b3d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json_columns(connection: sa.Connection) -> list[tuple[str, str]]:
    inspector = sa.inspect(connection)
    return [
        (table, column["name"])
        for table in inspector.get_table_names()
        for column in inspector.get_columns(table)
        if isinstance(column["type"], sa.JSON)
    ]


_MAX_DOUBLE = 1.7976931348623157e308


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    for table, column in _json_columns(connection):
        c = f'"{column}"'
        text_of = f"CASE WHEN typeof({c}) = 'real' AND abs({c}) > {_MAX_DOUBLE} THEN 'null' "
        text_of += f"ELSE CAST({c} AS TEXT) END"
        connection.execute(
            sa.text(
                f'UPDATE "{table}" SET {c} = CAST({text_of} AS BLOB) '
                f"WHERE typeof({c}) IN ('integer', 'real')"
            )
        )


def downgrade() -> None:
    # BLOBs of JSON text read back the same as before; nothing to undo.
    pass
