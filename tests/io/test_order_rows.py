"""Row parsing: values parsed from a set of cells are remembered by those cells, never an error."""

from __future__ import annotations

import pytest

from precursor_watch.io.order_rows import FieldError, RowParser, parse_header


def _row(**cells: object) -> RowParser:
    base = {"kind": "order", "date": "2026-01-05", "origin": "CN", "destination": "MX"}
    return RowParser({**base, **cells})


def test_the_same_route_and_shipping_cells_give_the_same_values() -> None:
    first = parse_header(_row(urgent="yes", shipping_mode="air"))
    again = parse_header(_row(urgent="yes", shipping_mode="air", date="2026-02-01"))
    assert again["route"] is first["route"] and again["shipping"] is first["shipping"]
    assert first["route"].destination == "MX" and first["shipping"].urgent is True
    other = parse_header(_row(destination="US"))
    assert other["route"].destination == "US" and other["route"] is not first["route"]


@pytest.mark.parametrize(
    "cells, field",
    [({"destination": "mexico"}, "destination"), ({"urgent": "perhaps"}, "urgent")],
)
def test_a_bad_cell_is_refused_every_time(cells: dict[str, str], field: str) -> None:
    for _ in range(2):  # a failed parse is not remembered
        with pytest.raises(FieldError) as raised:
            parse_header(_row(**cells))
        assert raised.value.field == field


def test_cells_that_are_not_text_are_parsed_afresh() -> None:
    """JSON Lines and Parquet give typed cells (a bool for urgent): parsed, not remembered."""
    shipping = parse_header(_row(urgent=True))["shipping"]
    assert shipping.urgent is True
    assert parse_header(_row(urgent=True))["shipping"] is not shipping
