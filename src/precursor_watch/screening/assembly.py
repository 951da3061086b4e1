"""A run's output files, appended partition by partition, written once, and taken up again by a
run that was killed.

The driver appends each screened partition's pieces to the output files in the run's state
folder (``RunState.output``), hashing them on the way, flushes them to disk and writes the
partition's record (the bytes it added to each file, each file's sha256 up to its end, its
report tally) before the partition's database transaction commits. A run that finishes moves the
files into the output folder. A run started again (``OutputAssembly.resume``) reads the files
back up to the end of its last committed partition, checking every committed partition's
digests, cuts off what a partition that never committed had appended, and appends from there.
Before, every partition's pieces were also kept as files of their own and the outputs copied
from them: the same bytes written twice, and a second copy of the outputs (1.4 GB for a million
lines) left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from precursor_watch.errors import StorageError
from precursor_watch.reports.tally import ReportTally
from precursor_watch.screening.resume import RunState

TALLY_PIECE = "tally.json"
READ_CHUNK = 1 << 20


class OutputAssembly:
    """The output files of one run (``headers``: file name -> header) while its partitions
    commit. Make one with :meth:`start` or :meth:`resume`."""

    def __init__(self, state: RunState, headers: Mapping[str, str]) -> None:
        self._state = state
        self._headers = dict(headers)
        self._paths: dict[str, Path] = {}
        self._files: dict[str, IO[bytes]] = {}
        self._digests: dict[str, Any] = {}
        self.tally = ReportTally()
        self.resumed: list[ReportTally] = []  # the tallies of the partitions taken up
        self._next = 0  # the partition expected next

    @classmethod
    def start(cls, state: RunState, headers: Mapping[str, str]) -> OutputAssembly:
        """Files holding their headers alone, for a run with no partition committed yet."""
        assembly = cls(state, headers)
        for name, header in assembly._headers.items():
            assembly._paths[name] = state.output(name)
            assembly._files[name] = state.output(name).open("wb")
            assembly._digests[name] = hashlib.sha256()
            assembly._write(name, header.encode("utf-8"))
        return assembly

    @classmethod
    def resume(cls, state: RunState, headers: Mapping[str, str], committed: int) -> OutputAssembly:
        """The files of a run whose partitions ``0 .. committed - 1`` are committed, read back
        and checked up to the end of the last of them, ready for the next partition. A file the
        state folder lacks is looked for in the output folder (a finished run started again).
        Raises ``StorageError`` naming what is missing or differs."""
        assembly = cls(state, headers)
        try:
            records = [assembly._record(k) for k in range(committed)]
            for name, header in assembly._headers.items():
                assembly._reopen(name, header.encode("utf-8"), records)
        except BaseException:
            assembly.close()
            raise
        assembly.resumed = [ReportTally.from_json(r["tally"]) for r in records]
        for tally in assembly.resumed:
            assembly.tally.merge(tally)
        assembly._next = committed
        return assembly

    def _record(self, partition: int) -> dict[str, Any]:
        record = self._state.read_record(partition)
        if record is None:
            raise self._lost(f"the record of partition {partition} is missing")
        return record

    def _lost(self, what: str) -> StorageError:
        return StorageError(
            f"{self._state.folder}: {what}, though the database has the partition committed; "
            "rerun with --restart to screen the file again"
        )

    def _reopen(self, name: str, header: bytes, records: list[dict[str, Any]]) -> None:
        path = self._state.output(name)
        if not path.exists() and (self._state.out_dir / name).exists():
            path = self._state.out_dir / name  # moved there when the run finished
        try:
            handle = path.open("r+b")
        except FileNotFoundError:
            raise self._lost(f"{name} is missing") from None
        self._paths[name], self._files[name] = path, handle
        digest = hashlib.sha256()
        if handle.read(len(header)) != header:
            raise self._lost(f"{path} does not start with its header")
        digest.update(header)
        for partition, record in enumerate(records):
            left = int(record["sizes"][name])
            while left:
                chunk = handle.read(min(left, READ_CHUNK))
                if not chunk:
                    raise self._lost(f"{path} ends inside partition {partition}")
                digest.update(chunk)
                left -= len(chunk)
            if digest.hexdigest() != record["sha256"][name]:
                raise self._lost(f"{path} differs from what partition {partition} wrote")
        handle.truncate()  # what a partition that never committed had appended
        self._digests[name] = digest

    def add(self, index: int, pieces: Mapping[str, bytes]) -> ReportTally:
        """Append partition ``index`` (the next one) and write its record, both on disk when
        this returns: call it before the partition's commit. A commit that then fails ends the
        run; the next one cuts the partition off again."""
        if index != self._next:
            raise StorageError(f"partition {index} was appended where {self._next} was due")
        tally_text = pieces[TALLY_PIECE].decode("utf-8")
        tally = ReportTally.from_json(json.loads(tally_text))
        for name in self._headers:
            self._write(name, pieces[name])
        for handle in self._files.values():
            handle.flush()
            os.fsync(handle.fileno())
        files = {
            "sha256": {name: self._digests[name].hexdigest() for name in self._headers},
            "sizes": {name: len(pieces[name]) for name in self._headers},
        }
        # the tally as the worker wrote it (1.7 MB for 18,500 lines), not parsed and dumped again
        self._state.write_record(index, f'{json.dumps(files)[:-1]},"tally":{tally_text}}}')
        self.tally.merge(tally)
        self._next += 1
        return tally

    def _write(self, name: str, data: bytes) -> None:
        self._files[name].write(data)
        self._digests[name].update(data)

    def finish(self) -> dict[str, str]:
        """Close the files and move them into the output folder (each replaced atomically);
        their sha256s."""
        digests: dict[str, str] = {}
        for name, handle in self._files.items():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            final = self._state.out_dir / name
            if self._paths[name] != final:
                os.replace(self._paths[name], final)
            digests[name] = self._digests[name].hexdigest()
        self._files.clear()
        return digests

    def close(self) -> None:
        """Close the files where they are (a run that stops leaves them for the next one)."""
        for handle in self._files.values():
            handle.close()
        self._files.clear()
