"""What every list reader produces: the entities of one list file (set), its provenance, its issues.

A reader never drops a bad record silently: it appends a :class:`LoadIssue` naming the file, the
line and (when known) the field, and goes on with the next record.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from precursor_watch.domain.parties import ListEntity

FOLDER_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True)
class LoadIssue:
    """One record that could not be loaded (or loaded only in part), and why."""

    file: str
    line: int | None
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f" [{self.field}]" if self.field else ""
        return f"{where}{what}: {self.message}"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file read for a list version, with its checksum."""

    path: Path
    sha256: str
    size: int

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.path.name,
            "path": str(self.path),
            "sha256": self.sha256,
            "bytes": self.size,
        }


@dataclass(frozen=True, slots=True)
class PublishDate:
    """The list's publish date and where it was taken from ("file", "folder_name", "file_mtime")."""

    day: date | None
    source: str


@dataclass(slots=True)
class ParsedList:
    """A list being read. ``entities`` streams; ``issues`` fills while it is consumed.

    ``publish_date`` may be refined by the reader while streaming (e.g. FtM's newest change date),
    so read it after ``entities`` is exhausted.
    """

    list_name: str
    format: str
    files: tuple[SourceFile, ...]
    publish_date: PublishDate
    entities: Iterator[ListEntity]
    issues: list[LoadIssue] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        """One checksum for the file set (a single file: that file's own sha256)."""
        if len(self.files) == 1:
            return self.files[0].sha256
        digest = hashlib.sha256()
        for source in sorted(self.files, key=lambda f: f.path.name):
            digest.update(f"{source.path.name}\0{source.sha256}\n".encode())
        return digest.hexdigest()


def source_file(path: Path) -> SourceFile:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return SourceFile(path=path, sha256=digest.hexdigest(), size=path.stat().st_size)


def date_from_folder_or_mtime(path: Path) -> PublishDate:
    """OFAC's CSVs (and others) carry no date: use a YYYY-MM-DD in the folder name, else mtime."""
    match = FOLDER_DATE.search(path.parent.name)
    if match:
        try:
            return PublishDate(date(*(int(g) for g in match.groups())), "folder_name")
        except ValueError:
            pass
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
    return PublishDate(mtime, "file_mtime")


def single_file_list(
    list_name: str,
    format: str,
    path: Path,
    entities: Callable[[Path, list[LoadIssue]], Iterator[ListEntity]],
) -> ParsedList:
    """A list read from one file that states no date of its own (the folder name's or the file
    time is used). ``entities(path, issues)`` streams the entries and fills ``issues``."""
    issues: list[LoadIssue] = []
    return ParsedList(
        list_name,
        format,
        (source_file(path),),
        date_from_folder_or_mtime(path),
        entities(path, issues),
        issues,
    )
