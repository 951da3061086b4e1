"""The on-disk state of a batch run, so that a killed run continues where it stopped.

``OUT/.precursor-watch-run/`` holds ``manifest.json`` (run id, input size and sha256, options,
the partition plan, the date the run screens as of and the list versions it pinned), the output
files while the run appends to them (``decisions.jsonl``, ``decisions.csv``, ``errors.csv``) and,
per partition appended, its record ``part-00012.json``: the bytes the partition added to each
file, each file's sha256 up to there and the partition's report tally. The data and the record
reach the disk *before* the partition's database transaction commits; the database row
``run_partitions(run_id, partition)`` is the single proof that a partition is done. On restart
the files are cut back to the end of the last committed partition (``screening.assembly``) and
the run goes on from there; when it finishes the files move into ``OUT``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from precursor_watch.errors import ConfigurationError

STATE_DIR = ".precursor-watch-run"
LOCK_FILE = ".precursor-watch-run.lock"
MANIFEST = "manifest.json"


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text is written as UTF-8) to ``path`` so that a reader sees the old
    file or the whole new one."""
    tmp = path.with_name(path.name + ".tmp")
    data = content.encode("utf-8") if isinstance(content, str) else content
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


@dataclass(frozen=True)
class RunState:
    """The state folder of one output directory."""

    out_dir: Path

    @property
    def folder(self) -> Path:
        return self.out_dir / STATE_DIR

    def manifest(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def start(self, manifest: dict[str, Any]) -> None:
        """Begin a new run here: forget any earlier run's pieces, then write the manifest."""
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        write_atomically(self.folder / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))

    def lock(self) -> IO[bytes]:
        """Take this output folder for the calling process (released when the returned handle
        is closed or the process ends); a second run on the same folder is refused."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        handle = (self.out_dir / LOCK_FILE).open("ab")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise ConfigurationError(
                f"{self.out_dir} is in use by another screening run; wait for it or use another "
                "--out",
                field="--out",
            ) from None
        return handle

    def output(self, name: str) -> Path:
        """Where the run appends the output file ``name`` until it finishes."""
        return self.folder / name

    def record_path(self, partition: int) -> Path:
        return self.folder / f"part-{partition:05d}.json"

    def write_record(self, partition: int, record: str) -> None:
        """The record of an appended partition (JSON text), replaced atomically, its rename on
        disk."""
        write_atomically(self.record_path(partition), record)
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)  # the rename itself reaches the disk before the database commit
        finally:
            os.close(fd)

    def read_record(self, partition: int) -> dict[str, Any] | None:
        try:
            data = json.loads(self.record_path(partition).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None
