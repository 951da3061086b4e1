"""Blank lines before a CSV header: some exports write them. The header is the first record with
a non-blank cell, the blank records before it are skipped, and every row keeps its physical file
line, so errors still name the line and field a person would look up. The batch partitioner
reads such a file exactly as the whole-file reader does (tests/screening/test_batch_partitions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from precursor_watch.errors import InputError
from precursor_watch.io.order_reader import OrderRecord, read_orders
from precursor_watch.io.order_rows import RowError

HEADER = "order_id,product_name,cas,quantity,unit"

# name, file bytes, suffix, orders as (order_id, first_line), errors as (line, field, fragment)
CASES = [
    (
        "one blank line",
        f"\n{HEADER}\nA,Acetone,67-64-1,1,kg\nB,Toluene,108-88-3,2,kg\n".encode(),
        ".csv",
        [("A", 3), ("B", 4)],
        [],
    ),
    (
        "spaces, delimiters only and CRLF",
        f"  \r\n,,,,\r\n\t\r\n{HEADER}\r\nA,Acetone,67-64-1,1,kg\r\n".encode(),
        ".csv",
        [("A", 5)],
        [],
    ),
    (
        "byte-order mark on the blank line",
        f"\ufeff\n\n{HEADER}\nA,Acetone,67-64-1,1,kg\n".encode(),
        ".csv",
        [("A", 4)],
        [],
    ),
    (
        "tab-separated",
        ("\n\n" + HEADER.replace(",", "\t") + "\nA\tAcetone\t67-64-1\t1\tkg\n").encode(),
        ".tsv",
        [("A", 4)],
        [],
    ),
    (
        "bad row after the blank lines keeps its line, good rows still read",
        f"\n\n{HEADER}\nA,Acetone,67-64-1,1,kg\nB,Toluene,108-88-3,ten,kg\n"
        "C,Acetone,67-64-1,1,kg,extra\nD,Toluene,108-88-3,2,kg\n".encode(),
        ".csv",
        [("A", 4), ("D", 7)],
        [
            (5, "quantity", "'ten' is not a number"),
            (5, None, "order B not screened"),
            (6, None, "6 cells, header has 5"),
            (6, None, "order C not screened"),
        ],
    ),
    (
        "a record with extra cells is its own order's: the good order before it stays good",
        f"\n{HEADER}\nA,Acetone,67-64-1,1,kg\nC,Acetone,67-64-1,1,kg,extra\n"
        "C,Toluene,108-88-3,2,kg\nD,Toluene,108-88-3,2,kg\n".encode(),
        ".csv",
        [("A", 3), ("D", 6)],
        [
            (4, None, "6 cells, header has 5"),
            (4, None, "order C not screened: bad row(s) at line 4"),
        ],
    ),
    (
        "blank lines between rows too",
        f"\n{HEADER}\nA,Acetone,67-64-1,1,kg\n\n\nB,Toluene,108-88-3,2,kg\n".encode(),
        ".csv",
        [("A", 3), ("B", 6)],
        [],
    ),
    (
        "quoted header cell spanning two lines after a blank line",
        b'\n"order_id",product_name,cas,quantity,"unit\nof measure"\nA,Acetone,67-64-1,1,kg\n',
        ".csv",
        [("A", 4)],
        [],
    ),
    ("only blank lines", b"\n \n,,\n", ".csv", [], []),
]


def _read(path: Path) -> tuple[list[tuple[str, int]], list[tuple[int, str | None, str]]]:
    orders: list[tuple[str, int]] = []
    errors: list[tuple[int, str | None, str]] = []
    for item in read_orders(path):
        if isinstance(item, OrderRecord):
            orders.append((item.order.order_id, item.first_line))
        else:
            assert isinstance(item, RowError)
            errors.append((item.line, item.field, item.message))
    return orders, errors


def _where(error: tuple[int, str | None, str]) -> tuple[int, str]:
    return error[0], error[1] or ""


@pytest.mark.parametrize(
    ("content", "suffix", "orders", "errors"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_blank_lines_before_the_header_are_skipped(
    tmp_path: Path,
    content: bytes,
    suffix: str,
    orders: list[tuple[str, int]],
    errors: list[tuple[int, str | None, str]],
) -> None:
    path = tmp_path / f"orders{suffix}"
    path.write_bytes(content)
    got_orders, got_errors = _read(path)
    assert got_orders == orders
    assert len(got_errors) == len(errors), got_errors
    for (line, field, message), (want_line, want_field, fragment) in zip(
        sorted(got_errors, key=_where), sorted(errors, key=_where), strict=True
    ):
        assert (line, field) == (want_line, want_field)
        assert fragment in message, message


def test_a_blank_line_no_longer_turns_the_header_into_a_bad_row(tmp_path: Path) -> None:
    # Before: the blank line was taken as a header of no columns, so every row, the real
    # header included, was reported as 'N cells, header has 0' and no order was read.
    path = tmp_path / "orders.csv"
    path.write_bytes(f"\n{HEADER}\nA,Acetone,67-64-1,1,kg\n".encode())
    orders, errors = _read(path)
    assert errors == [] and orders == [("A", 3)]


def test_a_header_without_order_columns_after_blank_lines_is_still_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\n\ncolour,size\nred,3\n")
    with pytest.raises(InputError, match=r"orders\.csv: no column 'order_id'"):
        list(read_orders(path))
