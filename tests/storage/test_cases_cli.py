"""`precursor-watch cases ...` works a case end to end and exports its report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from precursor_watch.cli.main import main
from precursor_watch.domain.findings import Decision, Finding, input_hash
from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.domain.provenance import DataVersions
from precursor_watch.screening.batch_records import DecisionToStore
from precursor_watch.storage import db
from precursor_watch.storage.audit import verify_chain
from precursor_watch.storage.decisions import record_decisions


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cases_commands(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("PRECURSOR_WATCH_DB", database_url)
    engine = db.open_database(database_url)
    finding = Finding("ORD-RF-PAYMENT", "1", OrderOutcome.REVIEW, "Paid in bitcoin.")
    decision = Decision.from_findings("X-1", (finding,), DataVersions("kb"), input_hash({"x": 1}))
    with db.session_scope(engine) as session:
        record_decisions(session, [DecisionToStore(decision, order_data={"order_id": "X-1"})])

    code, out, _ = _run(["cases", "list", "--json"], capsys)
    case = json.loads(out.splitlines()[0])
    assert code == 0 and (case["order_id"], case["status"]) == ("X-1", "open")
    cid = str(case["id"])
    assert _run(["cases", "assign", cid, "bob", "--user", "ann"], capsys)[0] == 0
    assert (
        _run(["cases", "comment", cid, "asked for end-use declaration", "--user", "bob"], capsys)[0]
        == 0
    )
    code, _, err = _run(["cases", "dispose", cid, "approved", "--reason", "x"], capsys)
    assert code == 2 and "approved" in err  # not a disposition
    args = ["cases", "dispose", cid, "false_positive", "--reason", "known buyer", "--user", "bob"]
    assert _run(args, capsys)[0] == 0
    code, out, _ = _run(["cases", "show", cid], capsys)
    assert "status closed" in out and "REVIEW" in out and "false_positive (known buyer)" in out
    report = tmp_path / "sor.html"
    assert _run(["cases", "report", cid, "--format", "html", "--out", str(report)], capsys)[0] == 0
    assert "Suspicious order report" in report.read_text(encoding="utf-8")
    code, out, _ = _run(["cases", "report", cid], capsys)
    assert json.loads(out)["basis"]["human_disposition"]["by"] == "bob"
    assert _run(["cases", "show", "999"], capsys)[0] == 7
    assert verify_chain(engine).count == 1 + 3 + 2  # decision, assign/comment/dispose, 2 reports
