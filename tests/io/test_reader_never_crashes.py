"""Whatever bytes a CSV or JSON Lines file holds, the reader yields orders and row errors or
raises InputError; it never crashes with anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from precursor_watch.errors import InputError
from precursor_watch.io.order_reader import OrderRecord, read_orders
from precursor_watch.io.order_rows import RowError

HEADER = "order_id,date,buyer_country,product_name,cas,quantity,unit,urgent,concentration\n"
cells = st.one_of(
    st.sampled_from(["", "A1", "A2", "2026-05-01", "US", "China", "12", "-3", "x", "yes", "1e9"]),
    st.text(max_size=12),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=11), max_size=12)


def _read(path: Path) -> None:
    try:
        for item in read_orders(path):
            assert isinstance(item, OrderRecord | RowError)
    except InputError:
        pass


@settings(max_examples=150, deadline=None)
@given(rows)
def test_random_csv_rows(table: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "o.csv"
        body = "\n".join(",".join(c.replace("\n", " ") for c in row) for row in table)
        path.write_text(HEADER + body, encoding="utf-8")
        _read(path)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_as_jsonl(blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "o.jsonl"
        path.write_bytes(blob)
        try:
            _read(path)
        except UnicodeDecodeError:
            raise AssertionError("undecodable bytes must be a row error or InputError") from None
