"""Partitions never split an order and read back exactly what the whole-file reader reads."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from precursor_watch.errors import InputError
from precursor_watch.io.order_reader import read_orders
from precursor_watch.io.order_rows import RowError
from precursor_watch.samples.generator import write_sample
from precursor_watch.screening.partitions import plan_input, read_partition
from tests.io.test_csv_blank_lines import CASES as BLANK_CASES


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet", "xlsx"])
def test_partitions_read_what_the_whole_file_reads(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"orders.{suffix}"
    write_sample(path, 600, seed=11)
    plan = plan_input(path, target_bytes=15_000)
    if suffix in ("csv", "jsonl"):
        assert len(plan.partitions) > 5
    parts = [item for part in plan.partitions for item in read_partition(plan, part)]
    assert parts == list(read_orders(path))
    ids = [
        [r.order.order_id for r in read_partition(plan, p) if not isinstance(r, RowError)]
        for p in plan.partitions
    ]
    assert sum(len(x) for x in ids) > 100
    assert sum(len(x) for x in ids) == len({i for x in ids for i in x})  # no order in two parts


def test_quoted_newlines_and_bad_rows_keep_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    write_sample(path, 300, seed=5)
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    header = rows[0]
    for row in rows[1:]:
        row[header.index("description")] = "line one\nline two, with comma"
    rows[120][header.index("quantity")] = "-3"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    plan = plan_input(path, target_bytes=4_000)
    assert len(plan.partitions) > 10
    parts = [item for part in plan.partitions for item in read_partition(plan, part)]
    assert parts == list(read_orders(path))
    bad = [i for i in parts if not hasattr(i, "order") and i.field == "quantity"]
    assert [b.line for b in bad] == [1 + 2 * 120]  # each row spans two physical lines


def test_plan_records_size_and_checksum(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "orders.jsonl"
    write_sample(path, 50, seed=1)
    plan = plan_input(path)
    assert plan.size == path.stat().st_size
    assert plan.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert plan.partitions[0].start == 0 and plan.partitions[-1].end == plan.size


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.csv", b"", "empty"),
        ("orders.txt", b"a,b\n", "cannot tell the format"),
    ],
)
def test_unreadable_input_is_an_input_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        plan_input(path)


@pytest.mark.parametrize(
    "content",
    [b"colour,size\nred,3\n", b"order_id,colour\nA-1,red\n", b"order_id,product_name\n,x\n"],
)
def test_header_problems_are_handled_like_the_whole_file_reader(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(content)
    plan = plan_input(path)

    def outcome(items: object) -> object:
        try:
            return list(items)  # type: ignore[call-overload]
        except InputError as exc:
            return ("InputError", exc.message)

    whole = outcome(read_orders(path))
    parts = outcome(item for part in plan.partitions for item in read_partition(plan, part))
    assert parts == whole


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_bytes_that_are_not_utf8_are_row_errors_in_partitions_too(
    tmp_path: Path, suffix: str
) -> None:
    # One bad row never stops the others: the partition reader reports a non-UTF-8 cell (CSV)
    # or line (JSON Lines) exactly as the whole-file reader does, in whichever partition.
    path = tmp_path / f"orders.{suffix}"
    write_sample(path, 200, seed=3)
    data = path.read_bytes().split(b"\n")
    data[150] = data[150].replace(b"a", b"\xe9", 1)
    path.write_bytes(b"\n".join(data))
    plan = plan_input(path, target_bytes=3_000)
    assert len(plan.partitions) > 5
    parts = [item for part in plan.partitions for item in read_partition(plan, part)]
    whole = list(read_orders(path))
    assert parts == whole
    errors = [i for i in whole if isinstance(i, RowError)]
    assert [e.line for e in errors][:1] == [151] and "UTF-8" in errors[0].message
    assert sum(1 for i in whole if not isinstance(i, RowError)) > 50


def _whole_and_parts(path: Path, target_bytes: int) -> tuple[object, object]:
    plan = plan_input(path, target_bytes=target_bytes)
    parts = [item for part in plan.partitions for item in read_partition(plan, part)]
    return parts, list(read_orders(path))


@pytest.mark.parametrize("content, suffix", [(c[1], c[2]) for c in BLANK_CASES[:-1]])
def test_blank_lines_before_the_header_read_as_the_whole_file_reader(
    tmp_path: Path, content: bytes, suffix: str
) -> None:
    path = tmp_path / f"orders{suffix}"
    path.write_bytes(content)
    for target in (1, 20, 10_000):
        parts, whole = _whole_and_parts(path, target)
        assert parts == whole
        assert any(not isinstance(i, RowError) for i in whole)


def test_blank_lines_before_the_header_of_a_large_file_split_in_partitions(
    tmp_path: Path,
) -> None:
    path = tmp_path / "orders.csv"
    write_sample(path, 300, seed=7)
    plain = list(read_orders(path))
    path.write_bytes(b"\r\n \r\n,,,\n" + path.read_bytes())
    plan = plan_input(path, target_bytes=4_000)
    assert len(plan.partitions) > 5 and plan.partitions[0].first_line == 5
    parts = [item for part in plan.partitions for item in read_partition(plan, part)]
    assert parts == list(read_orders(path))
    assert not any(isinstance(i, RowError) for i in parts)
    shifted = [(r.order, r.first_line - 3, r.last_line - 3) for r in parts]  # type: ignore[union-attr]
    assert shifted == [(r.order, r.first_line, r.last_line) for r in plain]  # type: ignore[union-attr]


def test_a_file_of_blank_lines_only_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(BLANK_CASES[-1][1])
    with pytest.raises(InputError, match=r"orders\.csv: the file holds only blank lines"):
        plan_input(path)
