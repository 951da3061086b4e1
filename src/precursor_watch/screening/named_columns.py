"""Named tuples shipped between processes as columns and rebuilt in C.

A partition's 13,000 decisions and 18,500 history lines go from a cluster worker to the
committing process, and history lines from one worker to another. Pickled one object at a
time, each cost a Python call to pickle and another to rebuild; as columns (one tuple per
field) they are rebuilt with ``tuple.__new__``, with no Python call per row. A row built this way
skips the named tuple's constructor, so the number of columns is checked first: a result pickled
by another version of the class is refused rather than read shifted.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat
from typing import Any, TypeVar

RowT = TypeVar("RowT", bound=tuple[Any, ...])


def as_columns(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows' fields as columns (empty for no rows)."""
    return list(zip(*rows, strict=True))


def from_columns(cls: type[RowT], columns: list[tuple[Any, ...]], what: str) -> list[RowT]:
    """The rows of named tuple class ``cls`` back from ``as_columns``; ``what`` names them in
    the error."""
    fields: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
    if columns and len(columns) != len(fields):
        raise ValueError(
            f"{len(columns)} {what} columns, not {len(fields)}: pickled by another version of "
            "precursor-watch"
        )
    return list(map(tuple.__new__, repeat(cls), zip(*columns, strict=True)))
