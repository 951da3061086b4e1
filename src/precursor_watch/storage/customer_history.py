"""Customer history in the database: the orders engine's ``CustomerHistory`` protocol.

Reads go through a bounded per-customer cache (one query per customer, or one per chunk of
customers with :meth:`DbCustomerHistory.prefetch`). :meth:`~DbCustomerHistory.record` only
buffers; :meth:`~DbCustomerHistory.flush` writes the buffered lines in the caller's transaction,
so a batch partition's history commits together with its decisions (or not at all).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import date
from sys import intern
from typing import Any, cast

from sqlalchemy import Engine, Table, select
from sqlalchemy.orm import Session

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.screening.history_views import SortedHistory, SortedLines
from precursor_watch.storage.bulk_insert import driver_value, insert_tuples
from precursor_watch.storage.case_tables import CustomerHistoryRow

PREFETCH_CHUNK = 500


def _line(row: CustomerHistoryRow, days: dict[date, date]) -> HistoryLine:
    """A stored line, its repeated values shared (interned strings, one object per date): a
    batch keeps hundreds of thousands of them."""
    day = row.order_date
    return HistoryLine(
        order_id=intern(row.order_id),
        date=days.setdefault(day, day) if day is not None else None,
        customer_key=intern(row.customer_key),
        ship_to=intern(row.ship_to) if row.ship_to is not None else None,
        substance_key=intern(row.substance_key),
        quantity=row.quantity,
        unit=intern(row.unit) if row.unit is not None else None,
        unit_price=row.unit_price,
        currency=intern(row.currency) if row.currency is not None else None,
    )


def store_history_lines(
    session: Session, lines: Iterable[HistoryLine], run_id: str | None = None
) -> int:
    """Insert history lines in ``session``'s transaction; return how many."""
    table = cast(Table, CustomerHistoryRow.__table__)
    day_values: dict[date | None, Any] = {}  # a partition's lines share a few dates
    rows = []
    for ln in lines:
        day = day_values.get(ln.date, _UNSET)
        if day is _UNSET:
            day = day_values[ln.date] = driver_value(session, table.c.order_date, ln.date)
        rows.append(
            (
                ln.customer_key,
                ln.order_id,
                day,
                ln.ship_to,
                ln.substance_key,
                ln.quantity,
                ln.unit,
                ln.unit_price,
                ln.currency,
                run_id,
            )
        )
    insert_tuples(session, table, HISTORY_COLUMNS, rows)
    return len(rows)


_UNSET: Any = object()
HISTORY_COLUMNS = (
    "customer_key",
    "order_id",
    "order_date",
    "ship_to",
    "substance_key",
    "quantity",
    "unit",
    "unit_price",
    "currency",
    "run_id",
)


class DbCustomerHistory(SortedHistory):
    """Committed history from the database plus this process's not yet flushed lines."""

    def __init__(self, engine: Engine, *, max_cached_lines: int | None = None) -> None:
        from precursor_watch.settings import HISTORY_CACHE_LINES

        self._engine = engine
        self._max_cached = (
            max_cached_lines if max_cached_lines is not None else int(HISTORY_CACHE_LINES.value())
        )
        self._cached_lines = 0
        self._cache: OrderedDict[str, list[HistoryLine]] = OrderedDict()
        super().__init__()
        self._days: dict[date, date] = {}

    # -- batch support --------------------------------------------------------------------------
    def prefetch(self, customer_keys: Iterable[str]) -> None:
        """Load the committed history of many customers with few queries."""
        missing = sorted({k for k in customer_keys if k not in self._cache})
        for start in range(0, len(missing), PREFETCH_CHUNK):
            chunk = missing[start : start + PREFETCH_CHUNK]
            found: dict[str, list[HistoryLine]] = {k: [] for k in chunk}
            with Session(self._engine) as session:
                stmt = select(CustomerHistoryRow).where(CustomerHistoryRow.customer_key.in_(chunk))
                for row in session.execute(stmt.order_by(CustomerHistoryRow.id)).scalars():
                    found[row.customer_key].append(_line(row, self._days))
            for key, lines in found.items():
                self._remember(key, lines)

    def flush(self, session: Session, run_id: str | None = None) -> int:
        """Write the buffered lines in ``session``'s transaction; return how many."""
        return store_history_lines(
            session, [ln for lines in self._pending.values() for ln in lines], run_id
        )

    def committed(self) -> None:
        """The flushing transaction committed: the buffered lines are now stored history."""
        for key, lines in self._pending.items():
            cached = self._cache.get(key)
            if cached is not None:
                cached.extend(lines)
                self._cached_lines += len(lines)
        self._pending.clear()
        self._evict()

    def discard_pending(self) -> None:
        """The flushing transaction failed: forget the buffered lines."""
        for key in self._pending:
            self._views.pop(key, None)
        self._pending.clear()

    def _view(self, key: str) -> SortedLines:
        """The customer's committed and buffered lines, sorted: the same order as a stable sort
        of committed-then-buffered lines. Kept (and updated by ``record``) while the customer's
        committed lines are in the cache; dropped with them."""
        view = self._views.get(key)
        if view is not None:
            self._cache.move_to_end(key)
            return view
        view = SortedLines.of((*self._committed(key), *self._pending.get(key, ())))
        if key in self._cache:
            self._views[key] = view
        return view

    def clear_cache(self) -> None:
        """Forget the cached committed lines: the next read of a customer comes from the
        database (buffered lines are kept)."""
        self._cache.clear()
        self._views.clear()
        self._cached_lines = 0

    # -- cache ----------------------------------------------------------------------------------
    def _committed(self, key: str) -> list[HistoryLine]:
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        with Session(self._engine) as session:
            stmt = (
                select(CustomerHistoryRow)
                .where(CustomerHistoryRow.customer_key == key)
                .order_by(CustomerHistoryRow.id)
            )
            lines = [_line(row, self._days) for row in session.execute(stmt).scalars()]
        self._remember(key, lines)
        return lines

    def _remember(self, key: str, lines: list[HistoryLine]) -> None:
        self._cache[key] = lines
        self._cached_lines += len(lines)
        self._evict()

    def _evict(self) -> None:
        while self._cached_lines > self._max_cached and len(self._cache) > 1:
            key, dropped = self._cache.popitem(last=False)
            self._views.pop(key, None)
            self._cached_lines -= len(dropped)
