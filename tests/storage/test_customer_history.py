"""The database customer history honours the same contract as the in-memory one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.screening.context import CustomerHistory, InMemoryCustomerHistory
from precursor_watch.storage import db
from precursor_watch.storage.customer_history import DbCustomerHistory


def _ln(order: str, day: int, customer: str = "id:C1", qty: float = 10.0) -> HistoryLine:
    return HistoryLine(
        order, date(2026, 1, day), customer, "site|DE", "KB-NPP", qty, "kg", 5.0, "EUR"
    )


LINES = [_ln("O1", 3), _ln("O2", 1), _ln("O3", 9), _ln("O4", 2, customer="id:C2")]


def _memory(_: str) -> CustomerHistory:
    return InMemoryCustomerHistory()


def _database(url: str) -> CustomerHistory:
    return DbCustomerHistory(db.open_database(url), max_cached_lines=2)


@pytest.mark.parametrize("make", [_memory, _database], ids=["memory", "database"])
def test_history_contract(database_url: str, make: Callable[[str], CustomerHistory]) -> None:
    history = make(database_url)
    assert list(history.lines_for("id:C1", None)) == []
    history.record(LINES)
    got = history.lines_for("id:C1", date(2026, 1, 5), exclude_order="O2")
    assert [ln.order_id for ln in got] == ["O1"]
    assert [ln.order_id for ln in history.lines_for("id:C1", None)] == ["O2", "O1", "O3"]
    assert [ln.order_id for ln in history.lines_for("id:C2", None)] == ["O4"]


def test_flushed_lines_survive_a_new_process(database_url: str) -> None:
    engine = db.open_database(database_url)
    first = DbCustomerHistory(engine)
    first.record(LINES)
    with db.session_scope(engine) as session:
        assert first.flush(session, run_id="r1") == 4
    first.committed()
    assert [ln.order_id for ln in first.lines_for("id:C1", None)] == ["O2", "O1", "O3"]
    second = DbCustomerHistory(engine, max_cached_lines=1)
    second.prefetch(["id:C1", "id:C2", "id:unknown"])
    assert second.lines_for("id:C1", None) == first.lines_for("id:C1", None)
    assert second.lines_for("id:C2", None)[0] == LINES[3]


def test_discarded_lines_are_not_stored(database_url: str) -> None:
    engine = db.open_database(database_url)
    history = DbCustomerHistory(engine)
    history.record(LINES)
    history.discard_pending()
    assert list(history.lines_for("id:C1", None)) == []
    assert list(DbCustomerHistory(engine).lines_for("id:C1", None)) == []
