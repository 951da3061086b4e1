"""`precursor-watch audit verify` proves the chain or names the first broken entry (exit 9)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from precursor_watch.cli.main import main
from precursor_watch.storage import db
from precursor_watch.storage.audit import append_audit


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_verify_cli_intact_then_tampered(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRECURSOR_WATCH_DB", database_url)
    engine = db.open_database(database_url)
    for i in range(3):
        with db.session_scope(engine) as session:
            append_audit(session, "alice", "list.load", f"list:test-{i}", {"entities": 10 + i})
    code, out, _ = _run(["audit", "verify"], capsys)
    assert code == 0 and out.startswith("intact: 3 entries, head ")

    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(
            text("UPDATE audit_log SET payload = :p WHERE seq = 2"), {"p": '{"entities":99}'}
        )
    code, out, err = _run(["audit", "verify"], capsys)
    assert code == 9
    assert "seq 2 (list.load list:test-1)" in err and "payload" in err

    code, out, _ = _run(["audit", "log", "--limit", "2"], capsys)
    assert code == 0 and out.splitlines()[0].split()[0] == "3"
