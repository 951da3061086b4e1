"""Write orders as files of order lines (the layout ``read_orders`` reads), streaming.

Used by the sample generator and by tests; CSV, JSON Lines and Parquet stream in batches;
Excel uses openpyxl's write-only mode (fine for the sizes people open in Excel).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from precursor_watch.domain.orders import Order, OrderParty
from precursor_watch.io.order_columns import ALL_FIELDS, LINE_FIELDS, ORDER_FIELDS, PARTY_ROLES
from precursor_watch.io.tabular import detect_format


def _party_cells(party: OrderParty | None, role: str) -> dict[str, Any]:
    if party is None:
        return {}
    return {
        f"{role}_name": party.name,
        f"{role}_country": party.country,
        f"{role}_address": party.address,
        f"{role}_id": party.customer_id,
        f"{role}_business": party.business,
        f"{role}_new_customer": party.is_new_customer,
        f"{role}_type": party.entity_type,
        f"{role}_identifiers": ";".join(f"{i.kind}:{i.value}" for i in party.identifiers) or None,
        f"{role}_contacts": ";".join(party.contacts) or None,
    }


def order_head(order: Order) -> dict[str, Any]:
    """The order-level cells of every row of ``order`` (None when empty)."""
    head: dict[str, Any] = {
        "order_id": order.order_id,
        "kind": order.kind.value,
        "date": order.date.isoformat() if order.date else None,
        "origin": order.route.origin,
        "transit": ";".join(order.route.transit) or None,
        "destination": order.route.destination,
        "port_of_exit": order.route.port_of_exit,
        "payment_method": order.payment.method,
        "payment_payer": order.payment.payer,
        "payment_currency": order.payment.currency,
        "payment_amount": order.payment.amount,
        "end_use": order.end_use,
        "urgent": order.shipping.urgent,
        "labelling": order.shipping.labelling,
        "shipping_mode": order.shipping.mode,
        "authorisations": ";".join(order.authorisations) or None,
    }
    by_role = {p.role.value: p for p in order.parties}
    for role in PARTY_ROLES:
        head.update(_party_cells(by_role.get(role), role))
    return head


def order_rows(order: Order) -> Iterator[dict[str, Any]]:
    """One flat row per order line, every column of ``ALL_FIELDS`` present (None when empty)."""
    head = order_head(order)
    for line in order.lines:
        row = {f: None for f in ALL_FIELDS}
        row.update(head)
        row.update(line.to_json())
        yield row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class OrderFileWriter:
    """``with OrderFileWriter(path) as w: w.write(order)``; the format follows the suffix."""

    def __init__(self, path: Path, fmt: str | None = None, batch_size: int = 20_000) -> None:
        self.path = path
        self.fmt = detect_format(path, fmt)
        self.batch_size = batch_size
        self._batch: list[list[str]] = []
        self._handle: Any = None
        self._writer: Any = None
        self._book: Any = None
        self.rows = 0

    def __enter__(self) -> OrderFileWriter:
        if self.fmt == "csv":
            self._handle = self.path.open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(ALL_FIELDS)
        elif self.fmt == "jsonl":
            self._handle = self.path.open("w", encoding="utf-8")
        elif self.fmt == "xlsx":
            import openpyxl

            self._book = openpyxl.Workbook(write_only=True)
            self._writer = self._book.create_sheet("orders")
            self._writer.append(list(ALL_FIELDS))
        return self

    def write(self, order: Order) -> None:
        head = order_head(order)
        head_cells = [_text(head.get(f)) for f in ORDER_FIELDS]
        compact_head = {k: v for k, v in head.items() if v is not None}
        for line in order.lines:
            self.rows += 1
            values = line.to_json()
            if self.fmt == "jsonl":
                compact = dict(compact_head)
                compact.update((k, v) for k, v in values.items() if v is not None)
                self._handle.write(json.dumps(compact, ensure_ascii=False) + "\n")
                continue
            cells = head_cells + [_text(values[f]) for f in LINE_FIELDS]
            if self.fmt == "csv":
                self._writer.writerow(cells)
            elif self.fmt == "xlsx":
                self._writer.append([c or None for c in cells])
            else:
                self._batch.append(cells)
                if len(self._batch) >= self.batch_size:
                    self._flush_parquet()

    def write_all(self, orders: Iterable[Order]) -> int:
        for order in orders:
            self.write(order)
        return self.rows

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._batch:
            return
        columns = list(zip(*self._batch, strict=True))
        table = pa.table(
            {
                f: pa.array([c or None for c in col], type=pa.string())
                for f, col in zip(ALL_FIELDS, columns, strict=True)
            }
        )
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema)
        self._writer.write_table(table)
        self._batch.clear()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.fmt == "parquet":
            self._flush_parquet()
            if self._writer is not None:
                self._writer.close()
        elif self.fmt == "xlsx":
            self._book.save(self.path)
        elif self._handle is not None:
            self._handle.close()


def write_orders(path: Path, orders: Iterable[Order], fmt: str | None = None) -> int:
    """Write ``orders`` to ``path``; returns the number of line rows written."""
    with OrderFileWriter(path, fmt) as writer:
        return writer.write_all(orders)
