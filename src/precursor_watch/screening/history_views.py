"""A customer's history sorted for the history rules: by (date, order id), equal keys in arrival
order, with one such list per substance, so that a rule reads "this customer's earlier lines of
this substance up to this date" with a binary search and a slice instead of a pass over the
customer's whole history. Used by the database history (``storage.customer_history``) and by a
cluster worker's run history (``screening.worker_tasks``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.rules.facts import baseline_of


def sort_key(ln: HistoryLine) -> tuple[date, str]:
    return (ln.date or date.min, ln.order_id)


def _day(ln: HistoryLine) -> date:
    return ln.date or date.min


@dataclass
class SortedLines:
    """Lines sorted by (date, order id), equal keys in arrival order; for a customer, also
    one such list per substance (the same lines, in the same relative order). The sort keys
    are computed when searched, not stored (memory: a batch holds many lines)."""

    lines: list[HistoryLine] = field(default_factory=list)
    orders: set[str] = field(default_factory=set)
    substances: dict[str, SortedLines] | None = None
    # Per unit, over every line with a quantity: the largest quantity and the distinct orders
    # (kept for a substance's lines only: the baseline of ``ORD-RF-ABOVE-HISTORY``, which then
    # costs no pass over the lines however long the customer's history grows).
    largest: dict[str, float] = field(default_factory=dict)
    unit_orders: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, lines: Iterable[HistoryLine]) -> SortedLines:
        """A customer's view of ``lines`` (a stable sort: equal keys keep their order)."""
        view = cls(substances={})
        for ln in sorted(lines, key=sort_key):
            view.append(ln)
        return view

    def append(self, ln: HistoryLine) -> None:
        self.lines.append(ln)
        self._count(ln)

    def add(self, ln: HistoryLine) -> None:
        at = bisect_right(self.lines, sort_key(ln), key=sort_key)
        self.lines.insert(at, ln)
        self._count(ln)

    def _count(self, ln: HistoryLine) -> None:
        self.orders.add(ln.order_id)
        if self.substances is not None:
            lines = self.substances.get(ln.substance_key)
            if lines is None:
                lines = self.substances[ln.substance_key] = SortedLines()
            lines.append_sorted(ln)
        elif ln.quantity is not None and ln.unit is not None:
            unit = ln.unit
            if ln.quantity > self.largest.get(unit, float("-inf")):
                self.largest[unit] = ln.quantity
            self.unit_orders.setdefault(unit, set()).add(ln.order_id)

    def append_sorted(self, ln: HistoryLine) -> None:
        """``add``, with an append when ``ln`` sorts last (the usual case: a file in date
        order), which is what the customer's view just did with it."""
        if self.lines and sort_key(ln) < sort_key(self.lines[-1]):
            self.add(ln)
        else:
            self.append(ln)

    def any_until(self, day: date | None, exclude_order: str | None) -> bool:
        """``bool(self.until(day, exclude_order))`` without copying."""
        end = len(self.lines) if day is None else bisect_right(self.lines, day, key=_day)
        if exclude_order is None or exclude_order not in self.orders:
            return end > 0
        return any(ln.order_id != exclude_order for ln in self.lines[:end])

    def until(self, day: date | None, exclude_order: str | None) -> list[HistoryLine]:
        end = len(self.lines) if day is None else bisect_right(self.lines, day, key=_day)
        out = self.lines[:end]
        if exclude_order is not None and exclude_order in self.orders:
            out = [ln for ln in out if ln.order_id != exclude_order]
        return out

    def quantity_baseline(
        self, unit: str, day: date | None, exclude_order: str | None
    ) -> tuple[int, float]:
        """Of the lines in ``unit`` with a quantity, dated on or before ``day``, without those of
        ``exclude_order``: how many distinct orders, and the largest quantity (0.0 when none).
        From the running totals when they cover exactly those lines (no line dated after
        ``day``, none of ``exclude_order``); else by a pass over them."""
        end = len(self.lines) if day is None else bisect_right(self.lines, day, key=_day)
        if end == len(self.lines) and (exclude_order is None or exclude_order not in self.orders):
            orders = self.unit_orders.get(unit)
            return (len(orders), max(self.largest[unit], 0.0)) if orders else (0, 0.0)
        return baseline_of(self.until(day, exclude_order), unit)

    def of_substance(
        self, substance_key: str, day: date | None, exclude_order: str | None
    ) -> list[HistoryLine]:
        """``until`` restricted to one substance (same lines, same order)."""
        found = self.substances.get(substance_key) if self.substances is not None else None
        return found.until(day, exclude_order) if found is not None else []


class SortedHistory:
    """The ``CustomerHistory`` reads over per-customer ``SortedLines`` views, and ``record``,
    which buffers a screened order's lines and keeps the views that exist up to date. A subclass
    says where a customer's view comes from (``_view``): the database history
    (``storage.customer_history``) or a cluster worker's run history (``worker_tasks``)."""

    def __init__(self) -> None:
        self._pending: defaultdict[str, list[HistoryLine]] = defaultdict(list)
        self._views: dict[str, SortedLines] = {}

    def _view(self, key: str) -> SortedLines:
        raise NotImplementedError

    def lines_for(
        self, customer_key: str, until: date | None, exclude_order: str | None = None
    ) -> Sequence[HistoryLine]:
        return self._view(customer_key).until(until, exclude_order)

    def substance_lines(
        self,
        customer_key: str,
        substance_key: str,
        until: date | None,
        exclude_order: str | None = None,
    ) -> Sequence[HistoryLine]:
        """``lines_for`` restricted to one substance (same lines, same order), without a pass
        over the customer's other lines."""
        return self._view(customer_key).of_substance(substance_key, until, exclude_order)

    def quantity_baseline(
        self,
        customer_key: str,
        substance_key: str,
        unit: str,
        until: date | None,
        exclude_order: str | None = None,
    ) -> tuple[int, float]:
        """``baseline_of(substance_lines(...), unit)`` from the view's running totals."""
        found = self._view(customer_key).substances
        view = found.get(substance_key) if found is not None else None
        return view.quantity_baseline(unit, until, exclude_order) if view else (0, 0.0)

    def has_lines(
        self, customer_key: str, until: date | None, exclude_order: str | None = None
    ) -> bool:
        """``bool(lines_for(...))`` without copying the customer's history."""
        return self._view(customer_key).any_until(until, exclude_order)

    def record(self, lines: Iterable[HistoryLine]) -> None:
        for ln in lines:
            self._pending[ln.customer_key].append(ln)
            view = self._views.get(ln.customer_key)
            if view is not None:
                view.add(ln)
