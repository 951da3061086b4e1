"""Named tuples as columns and back: the same rows, of the same class; another width refused."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from precursor_watch.screening.named_columns import as_columns, from_columns


class Row(NamedTuple):
    name: str
    amount: float | None
    tags: tuple[str, ...] = ()


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [Row("a", 1.5)],
        [Row("a", None, ("x",)), Row("b", 2.0), Row("c", 3.0, ("y", "z"))],
    ],
)
def test_rows_come_back_equal_and_of_their_class(rows: list[Row]) -> None:
    back = from_columns(Row, as_columns(rows), "row")
    assert back == rows
    assert all(type(row) is Row for row in back)


def test_columns_of_another_width_are_refused() -> None:
    columns = as_columns([Row("a", 1.0)])
    with pytest.raises(ValueError, match="2 row columns, not 3"):
        from_columns(Row, columns[:2], "row")
