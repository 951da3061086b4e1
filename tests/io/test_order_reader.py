"""Reading order files: every format, the column mapping, and every kind of bad row."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from precursor_watch.errors import ConfigurationError, InputError
from precursor_watch.io.order_columns import ColumnMapping
from precursor_watch.io.order_reader import OrderRecord, read_all, read_orders
from precursor_watch.io.order_rows import RowError
from precursor_watch.io.order_writer import write_orders
from precursor_watch.samples import generate

CASES = Path(__file__).with_name("cases")


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", ".xlsx"])
def test_round_trip_every_format(tmp_path: Path, suffix: str) -> None:
    orders = [s.order for s in generate(400, seed=11)]
    path = tmp_path / f"orders{suffix}"
    assert write_orders(path, orders) == 400
    got, errors = read_all(path)
    assert errors == []
    assert [o.to_json() for o in got] == [o.to_json() for o in orders]


def test_records_carry_their_file_lines(tmp_path: Path) -> None:
    orders = [s.order for s in generate(50, seed=2)]
    path = tmp_path / "o.csv"
    write_orders(path, orders)
    records = [r for r in read_orders(path) if isinstance(r, OrderRecord)]
    assert records[0].first_line == 2
    for before, after in itertools.pairwise(records):
        assert after.first_line == before.last_line + 1
    assert records[-1].last_line == 51


def test_every_bad_row_is_reported_and_good_orders_still_read() -> None:
    expected = json.loads((CASES / "bad_orders.expected.json").read_text())
    items = list(read_orders(CASES / "bad_orders.csv"))
    orders = [i.order.order_id for i in items if isinstance(i, OrderRecord)]
    errors = [i for i in items if isinstance(i, RowError)]
    assert orders == expected["orders"]
    assert Counter((e.line, e.field or "") for e in errors) == Counter(
        (line, field) for line, field in expected["errors"]
    )
    for error in errors:
        assert error.message
        if error.field:
            assert error.raw, error


def test_error_messages_say_what_is_wrong() -> None:
    errors = {
        (e.line, e.field): e.message
        for e in read_orders(CASES / "bad_orders.csv")
        if isinstance(e, RowError)
    }
    assert "not a date" in errors[(4, "date")]
    assert "'ten' is not a number" in errors[(6, "quantity")]
    assert "ISO 3166-1" in errors[(9, "buyer_country")]
    assert "not contiguous" in errors[(12, "order_id")]
    assert "differs from '2026-05-04'" in errors[(15, "date")]
    assert "order D1 not screened" in errors[(6, None)]


def test_user_mapping_file(tmp_path: Path) -> None:
    mapping = ColumnMapping.from_file(CASES / "mapping.json")
    orders, errors = read_all(CASES / "mapped_orders.csv", mapping=mapping)
    assert errors == []
    assert [(o.order_id, len(o.lines)) for o in orders] == [("PO-1", 2), ("PO-2", 1)]
    assert orders[0].lines[1].cas == "39742-60-4"
    assert orders[0].buyer is not None and orders[0].buyer.country == "US"


def test_default_mapping_rejects_a_file_without_the_required_columns() -> None:
    with pytest.raises(InputError, match="no column 'order_id'"):
        list(read_orders(CASES / "mapped_orders.csv"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"product": "order_id"}', "unknown fields: product"),
        ('["order_id"]', "JSON object of strings"),
        ("{not json", "cannot read column mapping"),
    ],
)
def test_bad_mapping_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(content)
    with pytest.raises(ConfigurationError, match=message):
        ColumnMapping.from_file(path)


def test_jsonl_bad_lines_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "o.jsonl"
    good = {"order_id": "A", "product_name": "Acetone", "quantity": 5, "unit": "L"}
    path.write_text(
        json.dumps(good) + "\n{broken\n[1, 2]\n\n" + json.dumps(dict(good, order_id="B")) + "\n"
    )
    items = list(read_orders(path))
    errors = [(i.line, i.message[:20]) for i in items if isinstance(i, RowError)]
    orders = [i.order.order_id for i in items if isinstance(i, OrderRecord)]
    assert errors[:2] == [(2, "not valid JSON: Expe"), (3, "a JSON Lines row mus")]
    # the broken lines may have belonged to order A, so A is not screened; B is
    assert orders == ["B"]


@pytest.mark.parametrize("name", ["orders.txt", "orders"])
def test_unknown_format_is_an_input_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("order_id\n")
    with pytest.raises(InputError, match="cannot tell the format"):
        list(read_orders(path))


def test_missing_and_damaged_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_orders(tmp_path / "none.csv"))
    damaged = tmp_path / "bad.parquet"
    damaged.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        list(read_orders(damaged))
    xlsx = tmp_path / "bad.xlsx"
    xlsx.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        list(read_orders(xlsx))


def test_docs_name_every_column() -> None:
    from precursor_watch.io.order_columns import ALL_FIELDS

    docs = (Path(__file__).parents[2] / "docs" / "order-columns.md").read_text(encoding="utf-8")
    missing = [f for f in ALL_FIELDS if f"`{f}`" not in docs]
    assert missing == []


def test_non_utf8_row_is_a_row_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"order_id,product_name\nA,Acetone\nB,Ac\xe9tone\nC,Toluene\n")
    items = list(read_orders(path))
    errors = [(e.line, e.message) for e in items if isinstance(e, RowError)]
    assert (3, "not valid UTF-8 text (is the file in another encoding?)") in errors
    assert [i.order.order_id for i in items if isinstance(i, OrderRecord)] == ["A", "C"]
    assert next(e.field for e in items if isinstance(e, RowError)) == "product_name"


def test_raw_text_of_a_non_utf8_row_can_be_written(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"order_id,product_name\nB,Ac\xe9tone\n")
    [error, _] = list(read_orders(path))
    assert isinstance(error, RowError)
    (tmp_path / "errors.txt").write_text(error.raw, encoding="utf-8")
    assert "\\udce9" in error.raw


@pytest.mark.parametrize(
    ("field", "cell", "message"),
    [
        ("quantity", "nan", "'nan' is not a finite number"),
        ("quantity", "NaN", "'NaN' is not a finite number"),
        ("quantity", "inf", "'inf' is not a finite number"),
        ("unit_price", "-Infinity", "'-Infinity' is not a finite number"),
        ("concentration", "1e400", "'1e400' is not a finite number"),
    ],
)
def test_non_finite_numbers_are_bad_rows(
    tmp_path: Path, field: str, cell: str, message: str
) -> None:
    """A quantity of NaN compares false with every threshold: it must be refused, not read."""
    row = {"order_id": "N1", "product_name": "NPP", "cas": "", "quantity": "5", "unit": "kg"}
    row.update({"unit_price": "", "concentration": ""})
    good = {**row, "order_id": "G1"}
    row[field] = cell
    path = tmp_path / "orders.csv"
    header = ",".join(row)
    path.write_text(
        "\n".join([header, ",".join(row.values()), ",".join(good.values())]) + "\n",
        encoding="utf-8",
    )
    orders, errors = read_all(path)
    assert [o.order_id for o in orders] == ["G1"]
    assert any(e.field == field and message in e.message for e in errors), errors


def test_non_finite_numbers_in_json_lines_are_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "orders.jsonl"
    path.write_text(
        '{"order_id": "N1", "product_name": "NPP", "quantity": NaN, "unit": "kg"}\n'
        '{"order_id": "G1", "product_name": "NPP", "quantity": 5, "unit": "kg"}\n',
        encoding="utf-8",
    )
    orders, errors = read_all(path)
    assert [o.order_id for o in orders] == ["G1"]
    assert [(e.line, e.field) for e in errors if e.field] == [(1, "quantity")]
