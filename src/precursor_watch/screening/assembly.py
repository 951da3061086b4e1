"""A run's output files, built while its partitions commit rather than after the last one.

Each partition's pieces are written to the run's state folder (they are what a resumed run
reassembles from) and, once the partition is committed, appended to temporary copies of the
final files, hashed on the way, while the report tally is merged. At the end of a run that
committed every partition in this process, in order, the files only need renaming: before, the
driver copied the pieces into the final files after the last partition (1.8 GB for a million
lines), with the workers of a cluster idle. A run that resumed partitions committed by an earlier
process is assembled the same way at its end, from the pieces on disk (``RunState.read_pieces``),
so both give the same bytes; the tests compare them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from precursor_watch.reports.tally import ReportTally

TALLY_PIECE = "tally.json"


class OutputAssembly:
    """The final files of one run as its partitions commit; ``headers``: file name -> header."""

    def __init__(self, out_dir: Path, headers: Mapping[str, str]) -> None:
        self._out_dir = out_dir
        self._headers = dict(headers)
        self._files: dict[str, IO[bytes]] = {}
        self._digests: dict[str, Any] = {}
        self.tally = ReportTally()
        self._next = 0  # the partition expected next
        self._usable = True
        for name, header in self._headers.items():
            self._files[name] = self._tmp(name).open("wb")
            self._digests[name] = hashlib.sha256()
            self._write(name, header.encode("utf-8"))

    def _tmp(self, name: str) -> Path:
        return self._out_dir / f"{name}.tmp"

    def add(self, index: int, pieces: Mapping[str, bytes]) -> ReportTally:
        """Append committed partition ``index``; return its tally."""
        tally = ReportTally.from_json(json.loads(pieces[TALLY_PIECE]))
        if not self._usable or index != self._next:
            self.abandon()
            return tally
        for name in self._headers:
            self._write(name, pieces[name])
        self.tally.merge(tally)
        self._next += 1
        return tally

    def _write(self, name: str, data: bytes) -> None:
        self._files[name].write(data)
        self._digests[name].update(data)

    def complete(self, partitions: int) -> bool:
        """Whether every one of the run's ``partitions`` was appended, in order."""
        return self._usable and self._next == partitions

    def finish(self) -> dict[str, str]:
        """Put the final files in place (each replaced atomically); their sha256s."""
        digests: dict[str, str] = {}
        for name, handle in self._files.items():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            os.replace(self._tmp(name), self._out_dir / name)
            digests[name] = self._digests[name].hexdigest()
        self._files.clear()
        return digests

    def abandon(self) -> None:
        """Stop appending and remove the temporary files (the pieces on disk remain)."""
        self._usable = False
        for name, handle in self._files.items():
            handle.close()
            self._tmp(name).unlink(missing_ok=True)
        self._files.clear()
