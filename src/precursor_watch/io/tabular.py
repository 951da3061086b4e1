"""Stream the rows of a CSV, Excel, JSON Lines or Parquet file as dicts, one at a time.

Every reader yields ``(line, row)`` where ``line`` is what a person would look up: the physical
line in a CSV or JSON Lines file (the CSV header is the first record with a non-blank cell,
usually line 1: blank lines before it, as some exports write, are skipped), the sheet row in
Excel (header row 1), and the data row number in Parquet (first data row is 1). No reader loads the whole
file: CSV and JSON Lines go line by line, Excel through openpyxl's read-only mode, Parquet
batch by batch.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from precursor_watch.errors import InputError

FORMATS = ("csv", "xlsx", "jsonl", "parquet")
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A physical record that could not be read as a row (e.g. a JSON line that is not JSON, a
    CSV record with more cells than the header). ``cells``: what could be read of it, keyed by
    column (a CSV record's first cells), so that its order id can still be told; else None."""

    line: int
    message: str
    raw: str
    cells: dict[str, Any] | None = None


Row = dict[str, Any]
_UNDECODED = re.compile("[\udc80-\udcff]")
# Key added to a CSV row whose cells hold bytes that are not UTF-8: the list of those columns.
UNDECODED = "\x00undecoded"
RowItem = tuple[int, Row] | BadRecord


def detect_format(path: Path, fmt: str | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InputError(
            f"{path}: cannot tell the format from the suffix {path.suffix!r}; "
            f"pass one of {', '.join(FORMATS)}"
        )
    return found


def csv_cells(row: dict[str, Any]) -> Row:
    """A CSV row without its missing cells; cells holding bytes that were not UTF-8 (decoded
    with ``surrogateescape``) are listed under ``UNDECODED``."""
    clean = {k: v for k, v in row.items() if v is not None}
    if _UNDECODED.search("".join(clean.values())):
        clean[UNDECODED] = [k for k, v in clean.items() if _UNDECODED.search(v)]
    return clean


def decode_jsonl(line: int, data: bytes) -> RowItem | None:
    """One JSON Lines record as a row, a ``BadRecord``, or None for a blank line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadRecord(line, f"not valid UTF-8 text: {exc.reason}", repr(data[:500]))
    if not text.strip():
        return None
    try:
        obj = json.loads(text)
    except ValueError as exc:
        return BadRecord(line, f"not valid JSON: {exc}", text.rstrip("\n")[:500])
    if not isinstance(obj, dict):
        return BadRecord(line, "a JSON Lines row must be an object", text[:500])
    return line, obj


def is_blank_record(cells: list[str]) -> bool:
    """A CSV record with nothing in it: an empty line, spaces, or only delimiters."""
    return not any(c.strip() for c in cells)


def csv_header(reader: Any, source: str) -> list[str] | None:
    """The header of a CSV file: its first record with a non-blank cell (blank records before
    it are skipped), or None when there is none. ``reader`` is a ``csv.reader``."""
    while True:
        try:
            cells: list[str] = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise InputError(
                f"{source} line {reader.line_num}: malformed CSV header: {exc}"
            ) from exc
        if not is_blank_record(cells):
            return cells


def has_undecoded(text: str) -> bool:
    """Whether ``text`` (decoded with ``surrogateescape``) holds bytes that were not UTF-8."""
    return _UNDECODED.search(text) is not None


def csv_records(
    reader: Any, header: list[str], shift: int = 0, *, undecoded: bool = True
) -> Iterator[RowItem]:
    """The records after the header as rows keyed by the header's names (as ``csv.DictReader``
    makes them: empty lines skipped, missing cells left out), numbered by physical line plus
    ``shift``; a record with more cells than the header has, or that the csv module cannot
    parse, is a ``BadRecord``. ``undecoded=False``: the caller knows that the text holds no
    byte that was not UTF-8, and rows are not searched for them."""
    width = len(header)
    while True:
        try:
            cells: list[str] = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadRecord(reader.line_num + shift, f"malformed CSV: {exc}", "")
            continue
        if not cells:
            continue
        line = reader.line_num + shift
        row = dict(zip(header, cells, strict=False))
        if len(cells) > width:
            yield BadRecord(line, f"{len(cells)} cells, header has {width}", str(row), row)
            continue
        yield line, csv_cells(row) if undecoded else row


def _csv_rows(path: Path) -> Iterator[RowItem]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open(newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = csv_header(reader, str(path))
        if header is None:
            return
        yield from csv_records(reader, header)


def _jsonl_rows(path: Path) -> Iterator[RowItem]:
    with path.open("rb") as handle:
        for line, data in enumerate(handle, start=1):
            item = decode_jsonl(line, data)
            if item is not None:
                yield item


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    return value


def _xlsx_rows(path: Path) -> Iterator[RowItem]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError(f"{path}: not a readable Excel workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            return
        header = [str(h).strip() if h is not None else "" for h in header_row]
        for line, values in enumerate(rows, start=2):
            if values is None or all(v is None or v == "" for v in values):
                continue
            yield (
                line,
                {h: _cell(v) for h, v in zip(header, values, strict=False) if h and v is not None},
            )
    finally:
        book.close()


def _parquet_rows(path: Path, batch_size: int) -> Iterator[RowItem]:
    import pyarrow.parquet as pq

    try:
        pfile = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError for a damaged file
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from exc
    line = 0
    for batch in pfile.iter_batches(batch_size=batch_size):
        for row in batch.to_pylist():
            line += 1
            yield line, {k: v for k, v in row.items() if v is not None}


def iter_rows(path: Path, fmt: str | None = None, *, batch_size: int = 10_000) -> Iterator[RowItem]:
    """The rows of ``path`` one at a time; a record that cannot be read is a ``BadRecord``."""
    kind = detect_format(path, fmt)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if kind == "csv":
        return _csv_rows(path)
    if kind == "jsonl":
        return _jsonl_rows(path)
    if kind == "xlsx":
        return _xlsx_rows(path)
    return _parquet_rows(path, batch_size)


def as_text(value: Any) -> str:
    """A cell as text ('' for empty); dates as ISO strings."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
