"""The output files appended partition by partition in the state folder: written once, moved into
place when the run finishes, taken up again (checked, and cut back to the last committed
partition) when a run starts again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from precursor_watch.errors import StorageError
from precursor_watch.reports.tally import ReportTally
from precursor_watch.screening.assembly import OutputAssembly
from precursor_watch.screening.resume import RunState

HEADERS = {"decisions.jsonl": "", "decisions.csv": "order_id,decision\n"}
WHOLE_CSV = b"order_id,decision\nO-0,clear\nO-1,clear\nO-2,clear\n"


def _pieces(index: int) -> dict[str, bytes]:
    tally = ReportTally()
    tally.add_errors(index + 1)
    return {
        "decisions.jsonl": f'{{"order_id":"O-{index}","note":"Zürich"}}\n'.encode(),
        "decisions.csv": f"O-{index},clear\n".encode(),
        "tally.json": json.dumps(tally.to_json()).encode(),
    }


def _state(tmp_path: Path) -> RunState:
    state = RunState(tmp_path / "out")
    state.folder.mkdir(parents=True)
    return state


def _appended(state: RunState, partitions: int) -> None:
    """A run that appended ``partitions`` partitions and stopped (killed: files left open)."""
    assembly = OutputAssembly.start(state, HEADERS)
    for index in range(partitions):
        assembly.add(index, _pieces(index))
    assembly.close()


def test_a_run_ends_with_its_files_in_place_written_once(tmp_path: Path) -> None:
    state = _state(tmp_path)
    assembly = OutputAssembly.start(state, HEADERS)
    tallies = [assembly.add(i, _pieces(i)) for i in range(3)]
    assert [t.error_rows for t in tallies] == [1, 2, 3]
    assert state.read_record(1) is not None and state.read_record(1)["sizes"] == {
        "decisions.jsonl": len(_pieces(1)["decisions.jsonl"]),
        "decisions.csv": len(b"O-1,clear\n"),
    }
    digests = assembly.finish()
    assert (state.out_dir / "decisions.csv").read_bytes() == WHOLE_CSV
    assert digests == {
        name: hashlib.sha256((state.out_dir / name).read_bytes()).hexdigest() for name in HEADERS
    }
    assert assembly.tally.error_rows == 6
    # nothing but the small records stays behind: no second copy of the outputs
    left = sorted(p.name for p in state.folder.iterdir())
    assert left == ["part-00000.json", "part-00001.json", "part-00002.json"]


def test_a_resumed_run_cuts_off_the_partition_that_never_committed(tmp_path: Path) -> None:
    state = _state(tmp_path)
    _appended(state, 3)  # partition 2 appended, then the run was killed before its commit
    assembly = OutputAssembly.resume(state, HEADERS, committed=2)
    assert [t.error_rows for t in assembly.resumed] == [1, 2]
    assert assembly.tally.error_rows == 3
    assert (
        state.output("decisions.csv").read_bytes() == b"order_id,decision\nO-0,clear\nO-1,clear\n"
    )
    with pytest.raises(StorageError, match="partition 3 was appended where 2 was due"):
        assembly.add(3, _pieces(3))
    assembly.add(2, _pieces(2))  # screened again
    digests = assembly.finish()
    assert (state.out_dir / "decisions.csv").read_bytes() == WHOLE_CSV
    assert digests["decisions.csv"] == hashlib.sha256(WHOLE_CSV).hexdigest()
    assert assembly.tally.error_rows == 6


def test_a_finished_run_started_again_takes_its_files_from_the_output_folder(
    tmp_path: Path,
) -> None:
    state = _state(tmp_path)
    first = OutputAssembly.start(state, HEADERS)
    for index in range(3):
        first.add(index, _pieces(index))
    digests = first.finish()
    again = OutputAssembly.resume(state, HEADERS, committed=3)
    assert again.finish() == digests
    assert (state.out_dir / "decisions.csv").read_bytes() == WHOLE_CSV


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda s: s.record_path(1).unlink(), "the record of partition 1 is missing"),
        (lambda s: s.output("decisions.csv").unlink(), "decisions.csv is missing"),
        (
            lambda s: s.output("decisions.csv").write_bytes(b"order_id,decision\nO-0,clear\n"),
            "ends inside partition 1",
        ),
        (
            lambda s: s.output("decisions.csv").write_bytes(WHOLE_CSV.replace(b"O-1", b"O-7")),
            "differs from what partition 1 wrote",
        ),
        (
            lambda s: s.output("decisions.csv").write_bytes(b"id\n"),
            "does not start with its header",
        ),
    ],
)
def test_a_committed_partition_whose_output_is_lost_or_altered_is_refused(
    tmp_path: Path, damage: object, message: str
) -> None:
    state = _state(tmp_path)
    _appended(state, 3)
    damage(state)  # type: ignore[operator]
    with pytest.raises(StorageError, match=message) as raised:
        OutputAssembly.resume(state, HEADERS, committed=3)
    assert "--restart" in str(raised.value)


def test_a_run_of_no_partition_ends_with_the_headers_alone(tmp_path: Path) -> None:
    state = _state(tmp_path)
    OutputAssembly.start(state, HEADERS).finish()
    assert (state.out_dir / "decisions.csv").read_bytes() == b"order_id,decision\n"
    assert (state.out_dir / "decisions.jsonl").read_bytes() == b""
