"""A batch run killed with SIGKILL part way and run again gives exactly the output of an
uninterrupted run, and screens no order twice."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from precursor_watch.samples.generator import write_sample

OUTPUTS = ("decisions.jsonl", "decisions.csv", "errors.csv", "report.html")
CLI = "from precursor_watch.cli.main import main; main()"


def _sample(folder: Path) -> Path:
    """A generated order file with three planted bad rows."""
    path = folder / "orders.csv"
    write_sample(path, 1500, seed=7)
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    header = rows[0]
    rows[40][header.index("quantity")] = "twelve"
    rows[41][header.index("buyer_country")] = "Germany"
    rows[700].append("an extra cell")
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _start(source: Path, out: Path, home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PRECURSOR_WATCH_HOME": str(home)}
    env.pop("PRECURSOR_WATCH_DB", None)
    args = [str(source), "--out", str(out), "--partition-mb", "0.04", "--as-of", "2026-06-01"]
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "screen", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> dict[str, object]:
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    summary: dict[str, object] = json.loads(err.strip().splitlines()[-1])
    return summary


def _db_counts(home: Path) -> tuple[int, int, int]:
    with sqlite3.connect(home / "precursor-watch.db") as conn:
        decisions = conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
        distinct = conn.execute(
            "SELECT COUNT(DISTINCT order_id || '/' || input_hash) FROM decisions"
        ).fetchone()[0]
        committed = conn.execute("SELECT COUNT(*) FROM run_partitions").fetchone()[0]
    return decisions, distinct, committed


@pytest.mark.slow
def test_sigkill_and_rerun_equals_uninterrupted_run(tmp_path: Path) -> None:
    source = _sample(tmp_path)
    whole = _finish(_start(source, tmp_path / "whole", tmp_path / "home-whole"))
    assert whole["resumed_partitions"] == 0 and int(whole["partitions"]) >= 6  # type: ignore[call-overload]

    out, home = tmp_path / "killed", tmp_path / "home-killed"
    proc = _start(source, out, home)
    state = out / ".precursor-watch-run"
    deadline = time.monotonic() + 300
    while len(list(state.glob("part-*.json"))) < 3:
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / "report.html").exists(), "the run finished before the kill"
    _, _, committed_before = _db_counts(home)
    assert 1 <= committed_before < int(whole["partitions"])  # type: ignore[call-overload]

    resumed = _finish(_start(source, out, home))
    assert resumed["run_id"] == whole["run_id"]
    assert 1 <= int(resumed["resumed_partitions"]) < int(whole["partitions"])  # type: ignore[call-overload]
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name

    decisions, distinct, committed = _db_counts(home)
    assert (decisions, committed) == _db_counts(tmp_path / "home-whole")[::2]
    assert decisions == distinct == whole["orders"]
    errors = list(csv.DictReader((out / "errors.csv").open(encoding="utf-8")))
    assert {(e["line"], e["field"]) for e in errors} >= {
        ("41", "quantity"),
        ("42", "buyer_country"),
        ("701", ""),
    }
