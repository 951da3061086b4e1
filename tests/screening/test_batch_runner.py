"""The in-process batch runner on SQLite and PostgreSQL: outputs, cases, audit, idempotent rerun."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from precursor_watch.samples.generator import write_sample
from precursor_watch.screening.batch import BatchOptions, BatchProgress, run_batch
from precursor_watch.screening.context import CustomerHistory, ScreeningContext
from precursor_watch.storage import db
from precursor_watch.storage.audit import read_entries, verify_chain
from precursor_watch.storage.audit_tables import AuditEntryRow
from precursor_watch.storage.case_tables import CaseRow, CustomerHistoryRow, DecisionRow
from precursor_watch.storage.customer_history import DbCustomerHistory
from precursor_watch.storage.runs import DbRunStore

AS_OF = date(2026, 6, 1)


def _context(day: date, history: CustomerHistory) -> ScreeningContext:
    return ScreeningContext.default(as_of=day, history=history)


def _count(engine: object, table: type) -> int:
    with db.session_scope(engine) as session:  # type: ignore[arg-type]
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def test_batch_stores_decisions_cases_history_and_audit(database_url: str, tmp_path: Path) -> None:
    source = tmp_path / "orders.jsonl"
    write_sample(source, 400, seed=21)
    engine = db.open_database(database_url)
    seen: list[BatchProgress] = []
    options = BatchOptions(out_dir=tmp_path / "out", partition_bytes=60_000, as_of=AS_OF)
    result = run_batch(
        source,
        options,
        DbRunStore(engine),
        DbCustomerHistory(engine),
        _context,
        progress=seen.append,
    )
    lines = (tmp_path / "out" / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == result.orders > 100
    first = json.loads(lines[0])
    assert first["input_lines"][0] == 1 and first["versions"]["rule_set"]
    assert [p.partition for p in seen] == list(range(result.partitions))
    assert seen[-1].bytes_done == seen[-1].bytes_total == source.stat().st_size
    assert _count(engine, DecisionRow) == result.orders
    assert _count(engine, CaseRow) == result.flagged
    assert _count(engine, CustomerHistoryRow) == 400
    status = verify_chain(engine)
    assert (
        status.count == result.orders + 3
    )  # per decision, batch.started, rules.changed, .finished
    with db.session_scope(engine) as session:
        entries = {e.action: e for e in read_entries(session, limit=5)}
    # the audit pins the sha256 of every output file as written (hashed while assembling)
    outputs = entries["batch.finished"].payload["outputs"]
    assert outputs == {
        name: hashlib.sha256((tmp_path / "out" / name).read_bytes()).hexdigest()
        for name in ("decisions.jsonl", "decisions.csv", "errors.csv", "report.html")
    }
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert f"{result.orders:,} orders screened" in report
    # the outputs were written once: the state folder keeps the manifest and small records only
    state = sorted(p.name for p in (tmp_path / "out" / ".precursor-watch-run").iterdir())
    assert state == ["manifest.json"] + [f"part-{k:05d}.json" for k in range(result.partitions)]

    again = run_batch(source, options, DbRunStore(engine), DbCustomerHistory(engine), _context)
    assert again.run_id == result.run_id and again.resumed_partitions == result.partitions
    assert _count(engine, DecisionRow) == result.orders  # nothing screened twice
    assert verify_chain(engine).count == status.count

    other = run_batch(
        source,
        BatchOptions(out_dir=tmp_path / "second", partition_bytes=60_000, as_of=AS_OF),
        DbRunStore(engine),
        DbCustomerHistory(engine),
        _context,
    )
    assert other.run_id == f"{result.run_id}-2"  # screening the file again is a new run
    assert _count(engine, DecisionRow) == 2 * result.orders


def test_a_second_run_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    import pytest

    from precursor_watch.errors import ConfigurationError
    from precursor_watch.screening.resume import RunState

    source = tmp_path / "orders.csv"
    write_sample(source, 20, seed=2)
    engine = db.open_database(f"sqlite:///{tmp_path / 'x.db'}")
    held = RunState(tmp_path / "out").lock()
    options = BatchOptions(out_dir=tmp_path / "out", as_of=AS_OF)
    with pytest.raises(ConfigurationError, match="in use by another screening run"):
        run_batch(source, options, DbRunStore(engine), DbCustomerHistory(engine), _context)
    held.close()
    result = run_batch(source, options, DbRunStore(engine), DbCustomerHistory(engine), _context)
    assert result.orders > 0


def test_run_batch_in_database_is_the_command_as_a_function(
    database_url: str, tmp_path: Path
) -> None:
    from precursor_watch.storage.runs import run_batch_in_database

    source = tmp_path / "orders.parquet"
    write_sample(source, 60, seed=4)
    seen: list[BatchProgress] = []
    result = run_batch_in_database(
        source,
        tmp_path / "out",
        url=database_url,
        actor="web:alice",
        progress=seen.append,
        as_of=AS_OF,
    )
    assert seen and seen[-1].partition == result.partitions - 1
    engine = db.open_database(database_url)
    with db.session_scope(engine) as session:
        entries = read_entries(session, limit=1000)
    assert {e.actor for e in entries} == {"web:alice"}
    # no list loaded: every order says its parties were not screened, none is cleared on them
    rules = {
        f["rule_id"]
        for line in (tmp_path / "out" / "decisions.jsonl").read_text().splitlines()
        for f in json.loads(line)["findings"]
    }
    assert "ORD-PARTY-UNSCREENED" in rules
    assert result.flagged == result.orders


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("missing.csv", None, "no such file"),
        ("empty.csv", b"", "empty"),
        ("unrelated.jsonl", b'{"id": "A-1", "colour": "red"}\n', "no column 'product_name'"),
        ("unrelated.csv", b"colour,size\nred,3\n", "no column 'order_id'"),
    ],
)
def test_unreadable_input_exits_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    from precursor_watch.cli.main import main

    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SystemExit) as info:
        main(["screen", str(path), "--out", str(tmp_path / "out"), "--quiet"])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_each_decision_is_serialized_once_and_its_digest_pins_what_is_stored(
    tmp_path: Path,
) -> None:
    """decisions.jsonl lines are canonical JSON; the audit entry of each decision pins the sha256
    of that JSON (without input_lines), and the stored row holds the same findings and versions."""
    import hashlib

    from precursor_watch.domain.json_text import canonical_json

    source = tmp_path / "orders.csv"
    write_sample(source, 300, seed=5)
    engine = db.open_database(f"sqlite:///{tmp_path / 'pw.db'}")
    options = BatchOptions(out_dir=tmp_path / "out", partition_bytes=40_000, as_of=AS_OF)
    run_batch(source, options, DbRunStore(engine), DbCustomerHistory(engine), _context)
    lines = (tmp_path / "out" / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    assert [canonical_json(doc) for doc in docs] == lines
    with db.session_scope(engine) as session:
        entries = sorted(
            (e for e in read_entries(session, limit=10_000) if e.action == "decision.recorded"),
            key=lambda e: e.seq,
        )
        rows = list(session.execute(select(DecisionRow).order_by(DecisionRow.id)).scalars())
    assert len(entries) == len(rows) == len(docs) > 100
    for doc, row, entry in zip(docs, rows, entries, strict=True):
        assert row.order_id == doc["order_id"] == entry.subject.removeprefix("order:")
        assert entry.payload["decision_id"] == row.id
        assert row.findings == doc["findings"] and row.versions == doc["versions"]
        del doc["input_lines"]
        expected = hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()
        assert entry.payload["decision_sha256"] == expected
        assert entry.payload["rule_ids"] == sorted({f["rule_id"] for f in doc["findings"]})
        assert ("case_id" in entry.payload) == (doc["decision"] != "clear")
    with db.session_scope(engine) as session:
        stored = session.execute(select(AuditEntryRow.payload)).scalars().all()
    assert all(text == canonical_json(json.loads(text)) for text in stored)  # canonical payloads
