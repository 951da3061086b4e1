"""Customer history stored in the database, as a worker of a distributed run reads it.

A distributed run screens partitions in parallel while the driver commits them, so a worker
cannot read "everything the database holds now" the way the in-process runner does. When the
driver submits a partition's screening it notes the last customer-history row stored
(``bound``): other runs, single screenings and this run's partitions committed so far. The
worker reads the rows up to that one, and receives the lines of the partitions screened but not
yet committed from the runner's first pass (``screening.dask_runner``). Together they are
exactly what the in-process runner sees at that partition. Reads only; the driver alone writes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.errors import ConfigurationError
from precursor_watch.storage.case_tables import CustomerHistoryRow
from precursor_watch.storage.customer_history import PREFETCH_CHUNK, _line
from precursor_watch.storage.db import normalize_url, open_database

MAX_CACHED_CUSTOMERS = 20_000


def open_existing_database(url: str) -> Engine:
    """``open_database`` for a worker: a SQLite file that is not there is an error (a worker on
    another machine would otherwise create an empty database and screen against nothing)."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or not Path(database).is_file():
            raise ConfigurationError(
                f"this worker cannot see the SQLite database {database or '(in memory)'}; "
                "cluster workers on other machines need a PostgreSQL database reachable from "
                "them (PRECURSOR_WATCH_DB), see docs/scale-out.md",
                field="PRECURSOR_WATCH_DB",
            )
    return open_database(url)


def history_bound(engine: Engine) -> int:
    """The id of the last customer-history row stored (0 when none): what a worker reads up to."""
    with Session(engine) as session:
        found = session.execute(select(func.max(CustomerHistoryRow.id))).scalar_one_or_none()
    return int(found or 0)


class PriorHistory:
    """The stored history of each customer up to row ``bound``; cached."""

    def __init__(self, engine: Engine, bound: int, *, url: str | None = None) -> None:
        self.engine = engine
        self.url = url
        self._bound = bound
        self._cache: OrderedDict[str, tuple[HistoryLine, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self._days: dict[date, date] = {}  # one object per date (shared by the lines)

    def _select(self, keys: list[str]) -> Any:
        return (
            select(CustomerHistoryRow)
            .where(CustomerHistoryRow.customer_key.in_(keys), CustomerHistoryRow.id <= self._bound)
            .order_by(CustomerHistoryRow.id)
        )

    def prefetch(self, customer_keys: Iterable[str]) -> None:
        """Load many customers with one query per ``PREFETCH_CHUNK`` of them."""
        with self._lock:
            missing = sorted({k for k in customer_keys if k not in self._cache})
        for start in range(0, len(missing), PREFETCH_CHUNK):
            chunk = missing[start : start + PREFETCH_CHUNK]
            found: dict[str, list[HistoryLine]] = {k: [] for k in chunk}
            with Session(self.engine) as session:
                for row in session.execute(self._select(chunk)).scalars():
                    found[row.customer_key].append(_line(row, self._days))
            for key, lines in found.items():
                self._remember(key, tuple(lines))

    def _remember(self, key: str, lines: tuple[HistoryLine, ...]) -> None:
        with self._lock:
            self._cache[key] = lines
            self._cache.move_to_end(key)
            while len(self._cache) > MAX_CACHED_CUSTOMERS:
                self._cache.popitem(last=False)

    def lines(self, customer_key: str) -> tuple[HistoryLine, ...]:
        """Stored lines of the customer in insertion order (the order the in-process runner
        reads them in)."""
        with self._lock:
            found = self._cache.get(customer_key)
            if found is not None:
                self._cache.move_to_end(customer_key)
                return found
        with Session(self.engine) as session:
            stmt = self._select([customer_key])
            found = tuple(_line(row, self._days) for row in session.execute(stmt).scalars())
        self._remember(customer_key, found)
        return found
