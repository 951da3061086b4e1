"""The history lines one partition adds, per customer, as a cluster worker ships them.

Task 1 of a cluster run (``worker_tasks.partition_history``) returns one of these for every
partition, and Dask moves it to each other worker that screens a later partition in the window.
Pickled as a dict of lists of named tuples, each line cost a Python call to pickle
(``__getnewargs__``) and another to rebuild: on two workers, moving the history results took
about 1.5 s of worker CPU per 200,000 lines. Here it travels as the customer keys, the number of
lines of each, and the lines' fields as columns (``screening.named_columns``).
"""

from __future__ import annotations

from typing import Any

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.screening.named_columns import as_columns, from_columns


class HistoryByCustomer(dict[str, list[HistoryLine]]):
    """customer key -> the partition's history lines of that customer, in file order."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        lines = [line for customer_lines in self.values() for line in customer_lines]
        return (
            _rebuilt,
            (list(self), [len(v) for v in self.values()], as_columns(lines)),
        )


def _rebuilt(
    customers: list[str], counts: list[int], columns: list[tuple[Any, ...]]
) -> HistoryByCustomer:
    lines = from_columns(HistoryLine, columns, "history")
    if sum(counts) != len(lines):
        raise ValueError(f"{len(lines)} history lines for counts adding up to {sum(counts)}")
    out, at = HistoryByCustomer(), 0
    for customer, count in zip(customers, counts, strict=True):
        out[customer] = lines[at : at + count]
        at += count
    return out
