"""Split an order file into partitions that can be screened independently, and read one back.

A partition never splits an order: cuts fall between two records whose order ids differ.

* CSV and JSON Lines: byte ranges aligned to record boundaries (a CSV record ends at a newline
  outside quotes, so quoted multi-line cells stay whole). One pass over the file finds the cuts
  and computes its sha256.
* Parquet: runs of whole row groups.
* Excel: one partition (openpyxl cannot seek).

``read_partition(plan, partition, mapping)`` yields the same ``OrderRecord`` / ``RowError`` items,
with the same line numbers, as ``io.order_reader.read_orders`` gives for that part of the file.
The in-process runner reads partitions one after the other; a distributed runner can hand each
``(plan, partition)`` to a worker, since both are small frozen values.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from precursor_watch.errors import InputError
from precursor_watch.io.order_columns import ColumnMapping
from precursor_watch.io.order_reader import OrderRecord, group_rows
from precursor_watch.io.order_rows import RowError
from precursor_watch.io.tabular import (
    RowItem,
    as_text,
    csv_header,
    csv_records,
    decode_jsonl,
    detect_format,
    has_undecoded,
    is_blank_record,
    iter_rows,
)

DEFAULT_PARTITION_BYTES = 8 * 1024 * 1024
HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Partition:
    """``start``/``end``: byte offsets (CSV, JSON Lines) or row-group indices (Parquet), end
    exclusive. ``first_line``: the file line (or Parquet data row) of its first record."""

    index: int
    start: int
    end: int
    first_line: int

    def to_json(self) -> dict[str, int]:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "first_line": self.first_line,
        }


@dataclass(frozen=True, slots=True)
class InputPlan:
    path: Path
    fmt: str
    size: int
    sha256: str
    header: bytes  # CSV header record, verbatim (empty for other formats)
    header_lines: int  # physical lines the header record spans (blank lines before it excluded)
    partitions: tuple[Partition, ...]


def _csv_cells(record: bytes, delimiter: str) -> list[str]:
    """The cells of one CSV record (a file's first record may start with a UTF-8 BOM)."""
    text = record.decode("utf-8-sig", "replace")
    try:
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return [text]  # not blank: the reader reports the malformed header


def _order_id_csv(record: bytes, index: int | None, delimiter: str) -> str | None:
    if index is None:
        return None
    try:
        cells = next(csv.reader([record.decode("utf-8", "replace")], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    return cells[index].strip() if index < len(cells) else None


def _order_id_json(record: bytes, column: str) -> str | None:
    try:
        obj = json.loads(record)
    except ValueError:
        return None
    return as_text(obj.get(column)) if isinstance(obj, dict) else None


def _plan_text(path: Path, fmt: str, mapping: ColumnMapping, target: int) -> InputPlan:
    """One pass: record boundaries, the cuts between orders, and the sha256."""
    digest = hashlib.sha256()
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    column = mapping.columns["order_id"]
    header, header_lines, id_index = b"", 0, None
    parts: list[Partition] = []
    offset, line_no = 0, 0
    part_start, part_line = 0, 1
    record: list[bytes] = []
    record_start, record_line, quotes = 0, 1, 0
    prev_id: str | None = None
    with path.open("rb") as handle:
        for raw in handle:
            digest.update(raw)
            line_no += 1
            if not record:
                record_start, record_line = offset, line_no
            offset += len(raw)
            record.append(raw)
            if fmt == "csv":
                quotes += raw.count(b'"')
                if quotes % 2:
                    continue  # a newline inside a quoted cell
            text = b"".join(record)
            record, quotes = [], 0
            if fmt == "csv" and not header:
                names = _csv_cells(text, delimiter)
                if is_blank_record(names):  # blank lines before the header: not part of any
                    part_start, part_line = offset, line_no + 1  # partition, as the reader
                    continue  # skips them too
                header, header_lines = text, line_no - record_line + 1
                names = [n.strip() for n in names]
                id_index = names.index(column) if column in names else None
                part_start, part_line = offset, line_no + 1
                continue
            if not text.strip() or record_start - part_start < target:
                continue
            oid = (
                _order_id_csv(text, id_index, delimiter)
                if fmt == "csv"
                else _order_id_json(text, column)
            )
            if prev_id is not None and oid is not None and oid != prev_id:
                parts.append(Partition(len(parts), part_start, record_start, part_line))
                part_start, part_line, prev_id = record_start, record_line, None
            elif oid is not None:
                prev_id = oid
    if fmt == "csv" and not header:
        what = "holds only blank lines" if line_no else "is empty"
        raise InputError(f"{path}: the file {what} (no header row)")
    if offset > part_start or not parts:
        parts.append(Partition(len(parts), part_start, offset, part_line))
    return InputPlan(path, fmt, offset, digest.hexdigest(), header, header_lines, tuple(parts))


def _file_sha256(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _plan_parquet(path: Path, mapping: ColumnMapping, target: int) -> InputPlan:
    import pyarrow.parquet as pq

    size, sha = _file_sha256(path)
    try:
        pfile = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError for a damaged file
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from exc
    meta, column = pfile.metadata, mapping.columns["order_id"]
    has_id = column in pfile.schema_arrow.names

    def edge_ids(group: int) -> tuple[Any, Any]:
        values = pfile.read_row_group(group, columns=[column]).column(0)
        return (values[0].as_py(), values[-1].as_py()) if len(values) else (None, None)

    parts: list[Partition] = []
    start, rows_before, part_first, part_bytes = 0, 0, 1, 0
    for group in range(meta.num_row_groups):
        if group > start and part_bytes >= target:
            splits_order = has_id and edge_ids(group - 1)[1] == edge_ids(group)[0]
            if not splits_order:
                parts.append(Partition(len(parts), start, group, part_first))
                start, part_first, part_bytes = group, rows_before + 1, 0
        part_bytes += meta.row_group(group).total_byte_size
        rows_before += meta.row_group(group).num_rows
    parts.append(Partition(len(parts), start, meta.num_row_groups, part_first))
    return InputPlan(path, "parquet", size, sha, b"", 0, tuple(parts))


def plan_input(
    path: Path,
    fmt: str | None = None,
    mapping: ColumnMapping | None = None,
    target_bytes: int = DEFAULT_PARTITION_BYTES,
) -> InputPlan:
    """Read the file once and decide its partitions (about ``target_bytes`` each)."""
    kind = detect_format(path, fmt)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    mapping = mapping or ColumnMapping.default()
    try:
        if kind in ("csv", "jsonl"):
            return _plan_text(path, kind, mapping, max(1, target_bytes))
        if kind == "parquet":
            return _plan_parquet(path, mapping, max(1, target_bytes))
        size, sha = _file_sha256(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    return InputPlan(path, kind, size, sha, b"", 0, (Partition(0, 0, size, 2),))


# -- reading one partition ------------------------------------------------------------------------
def _slice(plan: InputPlan, part: Partition) -> bytes:
    with plan.path.open("rb") as handle:
        handle.seek(part.start)
        return handle.read(part.end - part.start)


def _csv_rows(plan: InputPlan, part: Partition) -> Iterator[RowItem]:
    """The rows of a CSV partition, numbered as in the whole file (mirrors ``tabular``: a cell
    that is not UTF-8 is marked, not fatal)."""
    delimiter = "\t" if plan.path.suffix.lower() == ".tsv" else ","
    text = plan.header.decode("utf-8-sig", "surrogateescape") + _slice(plan, part).decode(
        "utf-8", "surrogateescape"
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = csv_header(reader, str(plan.path))
    if header is None:
        return
    shift = part.first_line - plan.header_lines - 1
    # one search of the partition instead of one per row: most files are clean UTF-8
    yield from csv_records(reader, header, shift, undecoded=has_undecoded(text))


def _jsonl_rows(plan: InputPlan, part: Partition) -> Iterator[RowItem]:
    for line, data in enumerate(io.BytesIO(_slice(plan, part)), start=part.first_line):
        item = decode_jsonl(line, data)
        if item is not None:
            yield item


def _parquet_rows(plan: InputPlan, part: Partition) -> Iterator[RowItem]:
    import pyarrow.parquet as pq

    pfile = pq.ParquetFile(plan.path)
    line = part.first_line - 1
    groups = list(range(part.start, part.end))
    for batch in pfile.iter_batches(batch_size=10_000, row_groups=groups):
        for row in batch.to_pylist():
            line += 1
            yield line, {k: v for k, v in row.items() if v is not None}


def partition_rows(plan: InputPlan, part: Partition) -> Iterator[RowItem]:
    if plan.fmt == "csv":
        return _csv_rows(plan, part)
    if plan.fmt == "jsonl":
        return _jsonl_rows(plan, part)
    if plan.fmt == "parquet":
        return _parquet_rows(plan, part)
    return iter_rows(plan.path, plan.fmt)


def read_partition(
    plan: InputPlan, part: Partition, mapping: ColumnMapping | None = None
) -> Iterator[OrderRecord | RowError]:
    """Orders and row errors of one partition, grouped by ``io.order_reader.group_rows`` exactly
    as ``read_orders`` groups the whole file (the first partition also checks the header, so a
    file without the required columns is the same ``InputError``);
    ``tests/screening/test_batch_partitions.py`` checks that both give the same items."""
    yield from group_rows(
        partition_rows(plan, part),
        mapping or ColumnMapping.default(),
        str(plan.path),
        check_header=part.index == 0,
    )
