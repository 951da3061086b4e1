"""Tables of the audit trail: an append-only, hash-chained log and its head pointer.

    audit_log   seq, time, actor, action, subject, payload (canonical JSON text), prev_hash, hash
    audit_head  one row (id 1): the seq and hash of the newest entry. Appenders lock this row
                (SELECT ... FOR UPDATE on PostgreSQL, the database write lock on SQLite), so
                concurrent appends are serialized and the chain never forks.

Times and payloads are stored as text exactly as they were hashed, so verification recomputes
the hash from the stored bytes. Triggers created by migration ``0003`` refuse UPDATE and DELETE on
``audit_log`` (and on ``decisions``); the hash chain detects a change made around them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from precursor_watch.storage.base import Base

GENESIS_HASH = "0" * 64
HEAD_ROW_ID = 1


class AuditEntryRow(Base):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    created_at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject: Mapped[str] = mapped_column(String(300), index=True)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
