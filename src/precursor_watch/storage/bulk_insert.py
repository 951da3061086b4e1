"""Many rows into one table through the driver's ``executemany``: the batch's write path.

``session.execute(insert(table), [dict, ...])`` compiles the statement and then builds and
type-processes every row's parameters in Python; on a batch partition that was 40% of the commit
on SQLite (py-spy, 100,000 lines). A partition's rows are already plain values (text, numbers,
JSON as ``JsonText``), so :func:`insert_tuples` hands them to the DBAPI as tuples in one
``executemany``. The few values a column type converts (dates and datetimes; SQLite stores them as
text in SQLAlchemy's format) are converted once each by :func:`driver_value`, so that a row
written here reads back exactly as one written through the ORM (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Column, Dialect, Table
from sqlalchemy.orm import Session

# the DBAPI placeholders of a positional tuple, by PEP 249 paramstyle
_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_tuples(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples in ``columns`` order, values as the driver takes them) into
    ``table`` in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    connection.exec_driver_sql(_statement(connection.dialect, table, tuple(columns)), list(rows))


def driver_value(session: Session, column: Column[Any], value: Any) -> Any:
    """``value`` as ``column``'s type binds it for this session's driver (a datetime becomes
    SQLAlchemy's text form on SQLite, and stays a datetime on PostgreSQL)."""
    if value is None:
        return None
    dialect = session.connection().dialect
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return value if process is None else process(value)


@lru_cache(maxsize=64)
def _statement(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> str:
    try:
        mark = _PLACEHOLDER[dialect.paramstyle]
    except KeyError:
        raise NotImplementedError(
            f"bulk insert: the {dialect.name} driver's paramstyle {dialect.paramstyle!r} "
            "is not supported"
        ) from None
    quote = dialect.identifier_preparer
    names = ", ".join(quote.format_column(table.c[name]) for name in columns)
    marks = ", ".join(mark for _ in columns)
    return f"INSERT INTO {quote.format_table(table)} ({names}) VALUES ({marks})"
