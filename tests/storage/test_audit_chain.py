"""The audit chain proves itself intact and names the first entry changed behind its back."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import Engine, text

from precursor_watch.errors import AuditChainBrokenError
from precursor_watch.storage import db
from precursor_watch.storage.audit import (
    GENESIS_HASH,
    append_audit,
    entry_hash,
    read_entries,
    verify_chain,
)


def _fill(engine: Engine, n: int) -> None:
    for i in range(n):
        with db.session_scope(engine) as session:
            append_audit(session, "alice", "test.event", f"thing:{i}", {"i": i, "note": "héllo"})


def _allow_tampering(engine: Engine) -> None:
    """What a database administrator could do: switch the append-only guard off."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_empty_chain_is_intact(database_url: str) -> None:
    status = verify_chain(db.open_database(database_url))
    assert (status.count, status.head_hash) == (0, GENESIS_HASH)


def test_entries_link_and_hash_their_fields(database_url: str) -> None:
    engine = db.open_database(database_url)
    _fill(engine, 5)
    status = verify_chain(engine)
    with db.session_scope(engine) as session:
        entries = list(reversed(read_entries(session)))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    assert status.count == 5 and status.head_hash == entries[-1].hash
    assert entries[2].payload == {"i": 2, "note": "héllo"}


def test_one_changed_payload_byte_is_named(database_url: str) -> None:
    engine = db.open_database(database_url)
    _fill(engine, 6)
    _allow_tampering(engine)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET payload = REPLACE(payload, '3', '4') WHERE seq = 4")
        )
    with pytest.raises(AuditChainBrokenError) as info:
        verify_chain(engine)
    assert "seq 4" in info.value.message
    assert "payload" in info.value.message
    assert info.value.field == "4"


def test_rewritten_entry_with_fresh_hash_breaks_the_next_link(database_url: str) -> None:
    engine = db.open_database(database_url)
    _fill(engine, 4)
    _allow_tampering(engine)
    with engine.begin() as conn:
        row = conn.execute(text("SELECT * FROM audit_log WHERE seq = 2")).mappings().one()
        forged = entry_hash(
            2,
            row["created_at"],
            "mallory",
            row["action"],
            row["subject"],
            row["payload"],
            row["prev_hash"],
        )
        conn.execute(
            text("UPDATE audit_log SET actor = 'mallory', hash = :h WHERE seq = 2"), {"h": forged}
        )
    with pytest.raises(AuditChainBrokenError, match=r"seq 3.*prev_hash"):
        verify_chain(engine)


@pytest.mark.parametrize("seq, where", [(2, "seq 2"), (5, "after seq 4")])
def test_deleted_entry_is_named(database_url: str, seq: int, where: str) -> None:
    engine = db.open_database(database_url)
    _fill(engine, 5)
    _allow_tampering(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": seq})
    with pytest.raises(AuditChainBrokenError, match=where):
        verify_chain(engine)


def test_the_log_refuses_update_and_delete(database_url: str) -> None:
    engine = db.open_database(database_url)
    _fill(engine, 1)
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    assert verify_chain(engine).count == 1


def test_concurrent_appends_never_fork_the_chain(database_url: str) -> None:
    engine = db.open_database(database_url)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            for i in range(15):
                with db.session_scope(engine) as session:
                    append_audit(session, name, "test.concurrent", f"{name}:{i}", {"i": i})
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert verify_chain(engine).count == 60


def test_rule_set_changes_are_recorded_once(database_url: str) -> None:
    from precursor_watch.storage.audit import record_rule_set

    engine = db.open_database(database_url)
    with db.session_scope(engine) as session:
        first = record_rule_set(session, "orders@1", {"ORD-A": "1"}, actor="alice")
        assert first is not None and first.payload["previous"] is None
        assert record_rule_set(session, "orders@1", {"ORD-A": "1"}) is None
    with db.session_scope(engine) as session:
        second = record_rule_set(session, "orders@2", {"ORD-A": "2"})
        assert second is not None and second.payload["previous"] == "orders@1"
    assert verify_chain(engine).count == 2


def test_entry_hash_is_the_sha256_of_the_plain_canonical_json() -> None:
    """``entry_hash`` composes the serialization; it must equal the documented formula."""
    import hashlib

    from precursor_watch.domain.json_text import canonical_json
    from precursor_watch.storage.audit import entry_hash

    fields = {
        "seq": 7,
        "created_at": "2026-11-23T10:00:00.000000Z",
        "actor": "analyste·李",
        "action": "case.disposed",
        "subject": 'order:"X-1"\n',
        "payload": canonical_json({"note": "α", "n": [1, 2]}),
        "prev_hash": "0" * 64,
    }
    plain = hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()
    assert entry_hash(**fields) == plain  # type: ignore[arg-type]
