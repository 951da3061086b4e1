"""The output files built while partitions commit: only a run that appended every partition, in
order, ends by renaming them; anything else leaves no temporary file behind."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from precursor_watch.reports.tally import ReportTally
from precursor_watch.screening.assembly import OutputAssembly

HEADERS = {"decisions.jsonl": "", "decisions.csv": "order_id,decision\n"}


def _pieces(index: int) -> dict[str, bytes]:
    tally = ReportTally()
    tally.add_errors(index + 1)
    return {
        "decisions.jsonl": f'{{"order_id":"O-{index}","note":"Zürich"}}\n'.encode(),
        "decisions.csv": f"O-{index},clear\n".encode(),
        "tally.json": json.dumps(tally.to_json()).encode(),
    }


def _tmp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.tmp"))


def test_a_run_appended_in_order_ends_with_its_files_and_their_digests(tmp_path: Path) -> None:
    assembly = OutputAssembly(tmp_path, HEADERS)
    tallies = [assembly.add(i, _pieces(i)) for i in range(3)]
    assert [t.error_rows for t in tallies] == [1, 2, 3]
    assert _tmp_files(tmp_path) == ["decisions.csv.tmp", "decisions.jsonl.tmp"]
    assert not assembly.complete(4)
    assert assembly.complete(3)
    digests = assembly.finish()
    csv = (tmp_path / "decisions.csv").read_bytes()
    assert csv == b"order_id,decision\nO-0,clear\nO-1,clear\nO-2,clear\n"
    assert digests == {
        name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() for name in HEADERS
    }
    assert assembly.tally.error_rows == 6
    assert _tmp_files(tmp_path) == []


def test_a_partition_out_of_order_abandons_the_assembly(tmp_path: Path) -> None:
    assembly = OutputAssembly(tmp_path, HEADERS)
    assembly.add(0, _pieces(0))
    assert assembly.add(2, _pieces(2)).error_rows == 3  # its tally is still read
    assembly.add(1, _pieces(1))
    assert not assembly.complete(3)
    assert _tmp_files(tmp_path) == []
    assert not (tmp_path / "decisions.jsonl").exists()


def test_a_resumed_run_never_ends_from_the_assembly(tmp_path: Path) -> None:
    assembly = OutputAssembly(tmp_path, HEADERS)
    assembly.abandon()  # partition 0 was committed by an interrupted run
    assembly.add(1, _pieces(1))
    assert not assembly.complete(2)
    assert _tmp_files(tmp_path) == []


def test_abandoning_after_the_files_are_in_place_removes_nothing(tmp_path: Path) -> None:
    assembly = OutputAssembly(tmp_path, HEADERS)
    assembly.add(0, _pieces(0))
    assembly.finish()
    assembly.abandon()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decisions.csv", "decisions.jsonl"]


def test_a_run_of_no_partition_ends_with_the_headers_alone(tmp_path: Path) -> None:
    assembly = OutputAssembly(tmp_path, HEADERS)
    assert assembly.complete(0)
    assembly.finish()
    assert (tmp_path / "decisions.csv").read_bytes() == b"order_id,decision\n"
    assert (tmp_path / "decisions.jsonl").read_bytes() == b""
