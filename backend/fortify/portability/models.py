"""What an account carries over from an earlier one about its Apple Health records.

An Apple Health import gives each record an id derived from (person, the record's identity in
Health), so a repeat upload of the same export.zip finds what it wrote (apple_health.py). A
JSON export imported into another account keeps the ids, which were derived from the first
account: so the new account remembers that account (`AppleHealthOrigin`), and a repeat upload
there derives the ids both ways. It also remembers the entries deleted in the first account
(`AppleHealthDeletion`): the export holds no deleted records, and without them a repeat upload
would bring back what she had deleted.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from fortify.core.db import Base


class AppleHealthOrigin(Base):
    """An account whose Apple Health import derived ids of records this account holds."""

    __tablename__ = "apple_health_origins"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class AppleHealthDeletion(Base):
    """An entry deleted in an earlier account: a repeat Apple Health upload leaves it out."""

    __tablename__ = "apple_health_deletions"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
