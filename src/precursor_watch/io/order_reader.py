"""Read orders from a file of order lines, streaming.

Rows sharing an ``order_id`` form one order, and they must be contiguous (one after the other),
which is how order and declaration systems export them. Grouping contiguous rows keeps memory
bounded by the largest order, whatever the file size; only the set of order ids already seen is
kept, to report an order whose rows are scattered instead of silently splitting it.

An order with any bad row is not screened (a partial order could be wrongly cleared): each bad
row is reported as a ``RowError`` and the order gets one more ``RowError`` saying it was not
screened. Good orders are never held back by bad ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from precursor_watch.domain.orders import Order, OrderLine
from precursor_watch.errors import InputError
from precursor_watch.io.order_columns import REQUIRED_FIELDS, ColumnMapping
from precursor_watch.io.order_rows import (
    FieldError,
    RowError,
    RowParser,
    build_order,
    header_conflict,
    parse_header,
    parse_line,
    raw_text,
)
from precursor_watch.io.tabular import UNDECODED, BadRecord, RowItem, as_text, iter_rows


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """One order read from a file, with the file lines it came from."""

    order: Order
    first_line: int
    last_line: int


@dataclass
class _Group:
    order_id: str
    first_line: int
    last_line: int
    header: dict[str, Any] | None = None
    first_fields: dict[str, Any] = field(default_factory=dict)
    lines: list[OrderLine] = field(default_factory=list)
    bad_lines: list[int] = field(default_factory=list)


def _close(group: _Group) -> OrderRecord | RowError:
    if group.bad_lines or group.header is None:
        lines = ", ".join(str(n) for n in group.bad_lines[:20])
        more = " ..." if len(group.bad_lines) > 20 else ""
        return RowError(
            group.first_line,
            None,
            f"order {group.order_id} not screened: bad row(s) at line {lines}{more}",
            "",
        )
    order = build_order(group.order_id, group.header, group.lines)
    return OrderRecord(order, group.first_line, group.last_line)


def _add_row(
    group: _Group, line: int, fields: dict[str, Any], raw: dict[str, Any]
) -> RowError | None:
    parser = RowParser(fields)
    try:
        undecoded = raw.get(UNDECODED)
        if undecoded:
            raise FieldError(
                str(undecoded[0]), "not valid UTF-8 text (is the file in another encoding?)"
            )
        if group.header is None:
            group.header = parse_header(parser)
            group.first_fields = fields
        else:
            conflict = header_conflict(group.first_fields, fields)
            if conflict is not None:
                name, value, first = conflict
                raise FieldError(
                    name,
                    f"'{value}' differs from '{first}' on the order's first row "
                    f"(line {group.first_line})",
                )
        group.lines.append(parse_line(parser, len(group.lines) + 1))
    except FieldError as exc:
        group.bad_lines.append(line)
        return RowError(line, exc.field, str(exc), raw_text(raw))
    return None


def group_rows(
    rows: Iterable[RowItem],
    mapping: ColumnMapping,
    source: str,
    *,
    check_header: bool = True,
) -> Iterator[OrderRecord | RowError]:
    """Orders and row errors from ``(line, row)`` items (and ``BadRecord``s), in order.

    Contiguous rows of one order id form one order; an order with a bad row is reported, not
    screened. With ``check_header`` the first row's columns are checked against the mapping: a
    file with none of the required columns is not an order file (``InputError``, naming
    ``source``). ``read_orders`` runs this over a whole file, the batch partition reader over a
    part of one (checking the header only in the first part).
    """
    group: _Group | None = None
    seen: dict[str, int] = {}
    checked = not check_header
    for item in rows:
        if isinstance(item, BadRecord):
            # A bad record whose order id can be read belongs to that order (a new one when it
            # differs: the order before it stays good); one whose id cannot be read is taken as
            # part of the current order, which is then not screened.
            bad_id = as_text(mapping.fields_of(item.cells).get("order_id")) if item.cells else ""
            if bad_id and (group is None or bad_id != group.order_id):
                if group is not None:
                    yield _close(group)
                group = _Group(bad_id, item.line, item.line)
                seen.setdefault(bad_id, item.line)
            if group is not None:
                group.bad_lines.append(item.line)
                group.last_line = item.line
            yield RowError(item.line, None, item.message, item.raw)
            continue
        line, row = item
        if not checked:
            problems = mapping.check_header(list(row), source)
            if len(problems) == len(REQUIRED_FIELDS):  # nothing of an order file: not one
                raise InputError("; ".join(problems))
            checked = True
        fields = mapping.fields_of(row)
        order_id = as_text(fields.get("order_id"))
        if not order_id:
            yield RowError(line, "order_id", "order id is empty", raw_text(row))
            continue
        if group is None or order_id != group.order_id:
            if group is not None:
                yield _close(group)
            group = _Group(order_id, line, line)
            if order_id in seen:
                group.bad_lines.append(line)
                yield RowError(
                    line,
                    "order_id",
                    f"rows of order {order_id} are not contiguous (it already appeared at line "
                    f"{seen[order_id]}); sort the file by order_id",
                    raw_text(row),
                )
            seen.setdefault(order_id, line)
        group.last_line = line
        error = _add_row(group, line, fields, row)
        if error is not None:
            yield error
    if group is not None:
        yield _close(group)


def read_orders(
    path: Path, *, mapping: ColumnMapping | None = None, fmt: str | None = None
) -> Iterator[OrderRecord | RowError]:
    """Orders and row errors from ``path``, in file order, streaming (nothing is read, and no
    error raised, before the first item is asked for)."""
    yield from group_rows(iter_rows(path, fmt), mapping or ColumnMapping.default(), str(path))


def read_all(path: Path, **kw: Any) -> tuple[list[Order], list[RowError]]:
    """Every order and error of a small file (tests, scenario tables); streams underneath."""
    orders: list[Order] = []
    errors: list[RowError] = []
    for item in read_orders(path, **kw):
        if isinstance(item, RowError):
            errors.append(item)
        else:
            orders.append(item.order)
    return orders, errors
