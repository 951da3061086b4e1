"""The audit trail: every decision, disposition, comment, list load and rule change, hash-chained.

Each entry's ``hash`` is the sha256 of a canonical JSON serialization of its own fields (seq,
time, actor, action, subject, payload text) and ``prev_hash``, the hash of the entry before it
(64 zeros for the first). Changing, removing or inserting any entry breaks the chain from there on;
:func:`verify_chain` walks it and names the first entry that does not add up.

Appends are serialized: on PostgreSQL the single ``audit_head`` row is locked with
``SELECT ... FOR UPDATE``; on SQLite a write to that row takes the database write lock (WAL allows
one writer) before the head is read. Both locks last until the caller's transaction ends, so call
:func:`append_audit` inside the transaction whose change it records::

    with session_scope(engine) as session:
        ...change something...
        append_audit(session, actor="alice", action="case.dispose", subject="case:12",
                     payload={"disposition": "released", "reason": "known customer"})
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Engine, Table, func, select, update
from sqlalchemy.orm import Session

from precursor_watch.domain.json_text import JsonText, canonical_json, json_string
from precursor_watch.errors import AuditChainBrokenError, StorageError
from precursor_watch.storage.audit_tables import (
    GENESIS_HASH,
    HEAD_ROW_ID,
    AuditEntryRow,
    AuditHeadRow,
)
from precursor_watch.storage.bulk_insert import insert_tuples

VERIFY_CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    created_at: str
    actor: str
    action: str
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainStatus:
    """An intact chain: how many entries and the hash of the newest (64 zeros when empty)."""

    count: int
    head_hash: str


def entry_hash(
    seq: int, created_at: str, actor: str, action: str, subject: str, payload: str, prev_hash: str
) -> str:
    """sha256 over the canonical serialization of an entry's fields and the previous hash:
    ``canonical_json({"seq": seq, "created_at": ..., "prev_hash": prev_hash})``, written here
    member by member in sorted key order (a test holds the two equal)."""
    blob = (
        f'{{"action":{json_string(action)},"actor":{json_string(actor)},'
        f'"created_at":{json_string(created_at)},"payload":{json_string(payload)},'
        f'"prev_hash":{json_string(prev_hash)},"seq":{int(seq)},"subject":{json_string(subject)}}}'
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def utc_stamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _lock_head(session: Session) -> AuditHeadRow:
    """Take the append lock and return the head row as last committed."""
    if session.get_bind().dialect.name == "postgresql":
        stmt = select(AuditHeadRow).where(AuditHeadRow.id == HEAD_ROW_ID).with_for_update()
    else:
        # A write takes SQLite's single write lock (or finds it already held by this transaction).
        session.execute(
            update(AuditHeadRow).where(AuditHeadRow.id == HEAD_ROW_ID).values(seq=AuditHeadRow.seq)
        )
        stmt = select(AuditHeadRow).where(AuditHeadRow.id == HEAD_ROW_ID)
    head = session.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()
    if head is None:
        raise StorageError("audit_head row is missing: the database was not migrated by 0003")
    return head


def append_audit(
    session: Session,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry to the chain in the caller's transaction and return it."""
    return append_audit_many(session, [(actor, action, subject, payload)], at=at)[0]


AUDIT_COLUMNS = ("seq", "created_at", "actor", "action", "subject", "payload", "prev_hash", "hash")

# actor, action, subject, payload (an object, or its canonical JSON as ``JsonText``)
AuditItem = tuple[str, str, str, Mapping[str, Any] | JsonText | None]


def _payload_text(payload: Mapping[str, Any] | JsonText | None) -> str:
    if isinstance(payload, JsonText):
        return str(payload)
    return canonical_json(dict(payload or {}))


def append_audit_many(
    session: Session,
    items: list[AuditItem],
    *,
    at: datetime | None = None,
    entries_wanted: bool = True,
) -> list[AuditEntry]:
    """Append several entries under one lock (a batch partition's decisions), in order, and
    return them (nothing when ``entries_wanted`` is false: a batch does not read them). A
    payload given as ``JsonText`` must be canonical (``canonical_json``/``canonical_with``)."""
    if not items:
        return []
    head = _lock_head(session)
    seq, prev = head.seq, head.hash
    created_at = utc_stamp(at)
    rows: list[tuple[str | int, ...]] = []
    entries: list[AuditEntry] = []
    for actor, action, subject, payload in items:
        seq += 1
        payload_text = _payload_text(payload)
        digest = entry_hash(seq, created_at, actor, action, subject, payload_text, prev)
        rows.append((seq, created_at, actor, action, subject, payload_text, prev, digest))
        if entries_wanted:
            entries.append(
                AuditEntry(
                    seq,
                    created_at,
                    actor,
                    action,
                    subject,
                    json.loads(payload_text)
                    if isinstance(payload, JsonText)
                    else dict(payload or {}),
                    prev,
                    digest,
                )
            )
        prev = digest
    insert_tuples(session, cast(Table, AuditEntryRow.__table__), AUDIT_COLUMNS, rows)
    session.execute(
        update(AuditHeadRow).where(AuditHeadRow.id == HEAD_ROW_ID).values(seq=seq, hash=prev)
    )
    return entries


RULES_SUBJECT = "rules"


def record_rule_set(
    session: Session, label: str, rules: Mapping[str, str] | None = None, *, actor: str = "system"
) -> AuditEntry | None:
    """Append ``rules.changed`` when ``label`` (``name@version``) differs from the rule set the
    chain last recorded; ``rules`` maps rule id -> version. None when nothing changed."""
    _lock_head(session)  # read the last record under the append lock: no duplicate entries
    last = session.execute(
        select(AuditEntryRow.payload)
        .where(AuditEntryRow.subject == RULES_SUBJECT, AuditEntryRow.action == "rules.changed")
        .order_by(AuditEntryRow.seq.desc())
        .limit(1)
    ).scalar_one_or_none()
    previous = json.loads(last).get("label") if last else None
    if previous == label:
        return None
    payload = {"label": label, "previous": previous, "rules": dict(sorted((rules or {}).items()))}
    return append_audit(session, actor, "rules.changed", RULES_SUBJECT, payload)


def _to_entry(row: AuditEntryRow) -> AuditEntry:
    try:
        payload = json.loads(row.payload)
    except ValueError:
        payload = {"unreadable_payload": row.payload}
    return AuditEntry(
        row.seq,
        row.created_at,
        row.actor,
        row.action,
        row.subject,
        payload,
        row.prev_hash,
        row.hash,
    )


def read_entries(
    session: Session, subject: str | None = None, limit: int = 100, before_seq: int | None = None
) -> list[AuditEntry]:
    """The newest entries first, optionally for one subject (``case:12``, ``order:A-1``...)."""
    stmt = select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(limit)
    if subject is not None:
        stmt = stmt.where(AuditEntryRow.subject == subject)
    if before_seq is not None:
        stmt = stmt.where(AuditEntryRow.seq < before_seq)
    return [_to_entry(row) for row in session.execute(stmt).scalars()]


def _walk(engine: Engine) -> Iterator[AuditEntryRow]:
    last = 0
    with Session(engine) as session:
        while True:
            stmt = (
                select(AuditEntryRow)
                .where(AuditEntryRow.seq > last)
                .order_by(AuditEntryRow.seq)
                .limit(VERIFY_CHUNK)
            )
            rows = list(session.execute(stmt).scalars())
            if not rows:
                return
            yield from rows
            last = rows[-1].seq
            session.expunge_all()


def _fields_hash(row: AuditEntryRow) -> str:
    return entry_hash(
        row.seq, row.created_at, row.actor, row.action, row.subject, row.payload, row.prev_hash
    )


def verify_chain(engine: Engine) -> ChainStatus:
    """Walk the whole chain in seq order (bounded memory). Raise :class:`AuditChainBrokenError`
    naming the first entry whose seq, link or content does not add up; else return the status."""
    expected_seq, prev = 1, GENESIS_HASH
    for row in _walk(engine):
        where = f"audit entry seq {row.seq} ({row.action} {row.subject})"
        if row.seq != expected_seq:
            raise AuditChainBrokenError(
                f"audit chain broken at seq {expected_seq}: entries {expected_seq}..{row.seq - 1} "
                "are missing (deleted)",
                field=str(expected_seq),
            )
        if row.prev_hash != prev:
            raise AuditChainBrokenError(
                f"{where}: prev_hash {row.prev_hash[:16]}... does not match the hash of the entry "
                f"before it ({prev[:16]}...): an entry was inserted, removed or rewritten",
                field=str(row.seq),
            )
        recomputed = _fields_hash(row)
        if recomputed != row.hash:
            raise AuditChainBrokenError(
                f"{where}: stored hash {row.hash[:16]}... but its fields hash to "
                f"{recomputed[:16]}...: the entry's time, actor, action, subject or payload was "
                "changed after it was written",
                field=str(row.seq),
            )
        expected_seq, prev = row.seq + 1, row.hash
    count = expected_seq - 1
    with Session(engine) as session:
        head = session.get(AuditHeadRow, HEAD_ROW_ID)
        total = session.execute(select(func.count()).select_from(AuditEntryRow)).scalar_one()
    if head is None:
        raise AuditChainBrokenError("the audit_head row is missing", field="audit_head")
    if head.seq != count or head.hash != prev or total != count:
        raise AuditChainBrokenError(
            f"audit chain broken after seq {count}: the head records seq {head.seq} "
            f"({head.hash[:16]}...) but the log ends at seq {count} ({prev[:16]}...): newest "
            "entries were deleted or the head was altered",
            field=str(count + 1),
        )
    return ChainStatus(count, prev)
