"""Full export and import of a person's data, and account deletion.

The export is one JSON document (schemas.ExportDocument) built by walking the section registry
(sections.py). The import restores such a document into an empty account, exactly: same entry
ids, same timestamps and offsets, same creation times, so every day report of the new account
equals the old one's. Every record is validated (its schema, then the cross-record rules of
every section) and the account is settled against the file (a record it holds that the file
does not, or holds otherwise, is a 409) before the first write. Then the records are written a
batch per transaction, so a large import never holds SQLite's one writer for long; one cut
short midway is finished by sending the same file again (the records keep their ids, and those
written by the first run are found as the file has them and left alone).

Account deletion removes every row that refers to the person, table by table, in one
transaction (see `delete_account`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Table, delete, or_, select
from sqlalchemy.exc import IntegrityError, NoResultFound
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import ObjectDeletedError

from fortify.accounts import importlock
from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core.db import utcnow
from fortify.core.errors import Conflict, InvalidInput
from fortify.core.ratelimit import SignInLimiter
from fortify.core.security import verify_password
from fortify.models import metadata
from fortify.portability.schemas import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    KEEPS_NULLS,
    ExportDocument,
    section_record_model,
    without_nulls,
)
from fortify.portability.sections import SECTIONS, ImportContext

logger = logging.getLogger(__name__)


def export_document(session: Session, user: User) -> dict[str, Any]:
    """Everything the person has, as the JSON-ready export document. A record's null fields
    are left out (schemas.without_nulls): the import reads them back as null."""
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": utcnow().isoformat(),
    }
    for section in SECTIONS:
        records = section.export(session, user)
        if section.name not in KEEPS_NULLS:
            assert isinstance(records, list)
            model = section_record_model(section.name)
            records = [without_nulls(model, record) for record in records]
        document[section.name] = records
    return document


def document_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def content_etag(document: dict[str, Any]) -> str:
    """A tag of the document's content (everything but `exported_at`): dismissed conflicts
    change without a change number, so the export's tag hashes what it holds."""
    content = {k: v for k, v in document.items() if k != "exported_at"}
    return f'W/"{hashlib.sha256(document_bytes(content)).hexdigest()[:32]}"'


def import_document(
    session: Session,
    user: User,
    document: ExportDocument,
    commit: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Restore `document` into the person's account, empty or holding only part of this same
    file (an import cut short); returns counts per section. With `commit`, each batch is
    committed; without, the caller's one transaction holds it all."""
    user_id = user.id
    ctx = ImportContext(session=session, user=user, document=document, commit=commit)
    for section in SECTIONS:
        section.check(ctx)
    if commit is None:
        # One transaction: nothing of hers can land between batches; the mark only lets the
        # import's writes pass a lock left by an import of hers that died.
        importlock.mark_importing(session, user_id)
        try:
            return _settle_and_write(ctx)
        finally:
            importlock.mark_importing(session, None)
    # Batches committed as they go: her other writes wait until the import ends (503), held
    # by a lock committed before anything is read for the settling (accounts/importlock.py).
    importlock.begin(session, user_id)
    commit()
    try:
        result = _settle_and_write(ctx)
    except BaseException:
        _end_failed_import(session, user_id, commit)
        raise
    # With the last batch: her next write finds the whole file.
    importlock.end(session, user_id)
    commit()
    return result


def _end_failed_import(session: Session, user_id: uuid.UUID, commit: Callable[[], None]) -> None:
    """Let go of her lock after a failure; what the failed batch had not committed is dropped,
    as the request's rollback would. Should that fail too (the database gone), the lock
    expires by itself (importlock.LOCK_SECONDS), and the import's own error is answered."""
    try:
        session.rollback()
        importlock.end(session, user_id)
        commit()
    except Exception:
        logger.exception("could not clear the import lock of %s; it expires by itself", user_id)
        session.rollback()


def _settle_and_write(ctx: ImportContext) -> dict[str, Any]:
    session, user_id = ctx.session, ctx.user.id
    for section in SECTIONS:
        section.settle(ctx)
    try:
        imported = {section.name: section.write(ctx) for section in SECTIONS}
        session.flush()
    except (IntegrityError, NoResultFound, ObjectDeletedError) as exc:
        # Batches are committed as they go and her other writes wait meanwhile (importlock.py);
        # what still lands between two of them (her account deleted; a write after the lock
        # expired, the import having stalled for minutes) is met here, by the database's own
        # keys: found by an outside probe, where it was a 500 that said "nothing was saved"
        # while most of the file was. What is committed stays.
        session.rollback()
        # Her account gone: the one answer for a person deleted mid-request, the 401 (it was a
        # 410, or a 409 when her row, still in the session, was taken for her being there).
        accounts.confirm_account(session, user_id)
        raise Conflict(
            "While this import ran, another of your devices wrote records that this file "
            "holds. What was imported before that is kept. Let your other devices finish "
            "syncing, then send the same file again: it writes only what is still missing.",
            field="account",
            rule="changed_during_import",
        ) from exc
    present = {name: len(ids) for name, ids in ctx.present.items() if ids}
    return {"imported": imported, "skipped": dict(ctx.skipped), "present": present}


# --- account deletion --------------------------------------------------------------------------

OWNER_COLUMN_NAMES = frozenset({"user_id", "owner_id"})


def owner_columns(table: Table) -> list[Column[Any]]:
    """The columns of `table` that name a person: a foreign key to users.id, or a column
    called user_id / owner_id (some tables may keep one without a foreign key)."""
    out = []
    for column in table.columns:
        refers = any(fk.column.table.name == "users" for fk in column.foreign_keys)
        if refers or column.name in OWNER_COLUMN_NAMES:
            out.append(column)
    return out


def delete_account(
    session: Session,
    user: User,
    password: str,
    *,
    limiter: SignInLimiter | None = None,
    address: str = "unknown",
) -> dict[str, int]:
    """Delete the person and every row that refers to them, in the caller's transaction.

    Explicit deletes, children before parents (the reverse of the schema's dependency order),
    rather than trusting ON DELETE CASCADE: SQLite enforces foreign keys only when they are
    switched on for the connection, and a table may name the person without a foreign key.
    Rows of other people that point at the person's rows (a favourite of one of their foods)
    go first, so no foreign key is left dangling. Returns the rows deleted per table.
    """
    if limiter is not None:
        # Throttled with the account's sign-in attempts, each wrong answer audited.
        accounts.check_password(
            session,
            limiter,
            user,
            password,
            address=address,
            field="password",
            failed="account_deletion_failed",
        )
    elif not verify_password(user.password_hash, password):
        raise InvalidInput("The password is wrong.", field="password", rule="matches")
    # Two deletions (or a deletion and a password change) at once: one after the other.
    accounts.still_current(session, user, field="password")
    # Her other devices learn, the next time they call, that the account is gone (not merely
    # signed out), and clear what they hold.
    accounts.end_credentials(session, user, "account_deleted")
    # Pending ORM changes of this request (a token's last use) are written first, so that the
    # commit has nothing left to write to rows deleted below.
    session.flush()
    tables = list(reversed(metadata.sorted_tables))
    owned: dict[str, list[Column[Any]]] = {
        t.name: owner_columns(t) for t in tables if t.name != "users" and owner_columns(t)
    }
    counts: dict[str, int] = {}

    def count(table: Table, result: Any) -> None:
        counts[table.name] = counts.get(table.name, 0) + int(result.rowcount or 0)

    # 1. Rows that point (by foreign key) at rows the person owns, in any table.
    for table in tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                parent = fk.column.table
                if parent.name == "users" or parent.name not in owned or parent is table:
                    continue
                mine = select(fk.column).where(or_(*[c == user.id for c in owned[parent.name]]))
                count(table, session.execute(delete(table).where(column.in_(mine))))
    # 2. The person's own rows, children first.
    for table in tables:
        for column in owned.get(table.name, []):
            count(table, session.execute(delete(table).where(column == user.id)))
    # 3. The person.
    users = metadata.tables["users"]
    count(users, session.execute(delete(users).where(users.c.id == user.id)))
    session.expunge(user)
    session.flush()
    return {name: n for name, n in counts.items() if n}
