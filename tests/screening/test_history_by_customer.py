"""A partition's history lines per customer survive the trip between workers whole and in order."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.screening.history_by_customer import HistoryByCustomer, _rebuilt


def _line(order: str, customer: str, quantity: float | None) -> HistoryLine:
    return HistoryLine(order, date(2026, 3, 1), customer, "site|MX", "KB-NPP", quantity, "kg", 2.5)


def test_every_line_comes_back_under_its_customer_in_order() -> None:
    history = HistoryByCustomer()
    for order, customer, quantity in [
        ("O1", "id:C2", 5.0),
        ("O1", "id:C2", None),
        ("O2", "id:C1", 7.5),
        ("O3", "id:C2", 1.0),
    ]:
        history.setdefault(customer, []).append(_line(order, customer, quantity))
    copy = pickle.loads(pickle.dumps(history, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(copy) is HistoryByCustomer
    assert list(copy) == ["id:C2", "id:C1"]
    assert copy == history
    assert all(type(line) is HistoryLine for lines in copy.values() for line in lines)


def test_an_empty_history_travels_too() -> None:
    assert pickle.loads(pickle.dumps(HistoryByCustomer())) == {}


def test_lines_of_another_width_or_count_are_refused() -> None:
    columns = list(zip(_line("O1", "id:C1", 1.0), strict=True))
    with pytest.raises(ValueError, match="history columns"):
        _rebuilt(["id:C1"], [1], columns[:-1])
    with pytest.raises(ValueError, match="adding up to 2"):
        _rebuilt(["id:C1"], [2], columns)
