"""Read delimited text record by record with the line each record starts on, reporting bad rows.

Handles what the official files do: Windows-1252 bytes (with Latin-1 fallback for the five bytes
cp1252 leaves undefined), CRLF, a trailing Ctrl-Z (0x1A) byte, quoted fields spanning lines, a
repeated header row, and a last record cut off mid-field.
"""

from __future__ import annotations

import codecs
import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from precursor_watch.sources.parsed_list import LoadIssue

EOF_MARKER = "\x1a"
UNTERMINATED = (
    "the file does not end with a line break: this last record may be cut off "
    "(loaded as read; check the download)"
)


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("precursor_watch_latin1", _latin1_fallback)
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_records(
    path: Path,
    issues: list[LoadIssue],
    *,
    fields: int | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
    header: list[str] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, fields)`` for every well-formed record.

    A record with the wrong number of fields (``fields``, or the header's length) or an
    unterminated quote is reported in ``issues`` with its first line and skipped. A row equal to
    ``header`` after the first line is reported as a repeated header.
    """
    errors = (
        "precursor_watch_latin1" if encoding.lower() in {"cp1252", "windows-1252"} else "strict"
    )
    with path.open("r", encoding=encoding, errors=errors, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, strict=False)
        end_line = 0
        pending: LoadIssue | None = None  # a bad record; we say "cut off" if it was the last one
        last_line = 0
        ends_with_newline = _ends_with_newline(path)
        while True:
            start = end_line + 1
            try:
                row = next(reader)
            except StopIteration:
                if pending is not None:
                    issues.append(_as_last(pending))
                elif last_line and not ends_with_newline:
                    issues.append(LoadIssue(path.name, last_line, UNTERMINATED))
                return
            except csv.Error as exc:
                row = None
                problem = f"unreadable record: {exc}"
            end_line = reader.line_num
            if pending is not None:
                issues.append(pending)
                pending = None
            if row is None:
                pending = LoadIssue(path.name, start, problem)
                continue
            if row and row[-1].endswith(EOF_MARKER):
                row[-1] = row[-1].rstrip(EOF_MARKER)
            if not row or row == [""]:
                continue  # blank line, or the DOS end-of-file byte OFAC appends
            if header is not None and start > 1 and row == header:
                issues.append(LoadIssue(path.name, start, "header row repeated inside the file"))
                continue
            expected = fields if fields is not None else (len(header) if header else None)
            if expected is not None and len(row) != expected:
                pending = LoadIssue(
                    path.name, start, f"expected {expected} fields, found {len(row)}"
                )
                continue
            last_line = start
            yield start, row


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 8))
        tail = handle.read().rstrip(b"\x1a")
    return not tail or tail.endswith(b"\n")


def _as_last(issue: LoadIssue) -> LoadIssue:
    return LoadIssue(
        issue.file,
        issue.line,
        f"{issue.message}; it is the last record: the file is cut off (truncated)",
        issue.field,
    )


def null(value: str) -> str | None:
    """OFAC writes missing values as ``-0-`` (often with a trailing space)."""
    value = value.strip()
    return None if not value or value == "-0-" else value


def header_checked(
    path: Path,
    issues: list[LoadIssue],
    rows: Iterator[tuple[int, list[str]]],
    header: list[str],
    what: str,
) -> bool:
    """Read the first record of ``rows`` and say whether it is ``header``; an empty file or
    another first row is reported (at line 1, or at the first record's line) and nothing after
    it is read."""
    first = next(rows, None)
    if first is None:
        issues.append(
            LoadIssue(
                path.name, 1, f"no {what} header: the file is empty or no row has its columns"
            )
        )
        return False
    if first[1] != header:
        issues.append(LoadIssue(path.name, first[0], f"first row is not the {what} header"))
        return False
    return True
