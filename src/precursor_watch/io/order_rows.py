"""Turn one row (already keyed by field name) into typed order values, or say exactly what is
wrong with it: a ``RowError`` names the line, the field and the problem, and keeps the raw row."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar, cast

from precursor_watch.domain.orders import (
    Order,
    OrderKind,
    OrderLine,
    OrderParty,
    PartyRole,
    Payment,
    Route,
    Shipping,
    country_code,
    country_codes,
)
from precursor_watch.domain.parties import Identifier
from precursor_watch.io.order_columns import (
    ORDER_FIELDS,
    PARTY_ATTRS,
    PARTY_LIST_ATTRS,
    PARTY_ROLES,
)
from precursor_watch.io.tabular import as_text


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad row: where (line, field), what is wrong, and the raw row as read."""

    line: int
    field: str | None
    message: str
    raw: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message, "raw": self.raw}


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def raw_text(row: dict[str, Any]) -> str:
    """The row as JSON text, safe to write as UTF-8 (undecodable bytes shown as escapes)."""
    text = json.dumps(row, default=str, ensure_ascii=False)[:2000]
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


class RowParser:
    """Typed access to one row's fields; every accessor raises ``FieldError`` on bad input."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields

    def text(self, name: str) -> str | None:
        value = as_text(self.fields.get(name))
        return value or None

    def number(self, name: str) -> float | None:
        value = self.fields.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value).strip().replace(" ", ""))
            except ValueError:
                raise FieldError(name, f"'{value}' is not a number") from None
        if not math.isfinite(number):
            # NaN compares false with every limit: a quantity of 'nan' would pass every
            # threshold and history rule unseen
            raise FieldError(name, f"'{value}' is not a finite number")
        return number

    def flag(self, name: str) -> bool | None:
        value = self.fields.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        folded = as_text(value).lower()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return None if folded == "" else False
        raise FieldError(name, f"'{value}' is not yes/no (use true/false, yes/no or 1/0)")

    def day(self, name: str) -> date | None:
        value = self.fields.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(as_text(value)[:10])
        except ValueError:
            raise FieldError(name, f"'{value}' is not a date (use YYYY-MM-DD)") from None

    def country(self, name: str) -> str | None:
        try:
            return country_code(self.text(name) or "")
        except ValueError as exc:
            raise FieldError(name, str(exc)) from None

    def items(self, name: str) -> tuple[str, ...]:
        value = self.text(name)
        if value is None:
            return ()
        return tuple(p.strip() for p in re.split(r"[;|]", value) if p.strip())

    def countries(self, name: str) -> tuple[str, ...]:
        try:
            return country_codes(self.text(name) or "")
        except ValueError as exc:
            raise FieldError(name, str(exc)) from None

    def identifiers(self, name: str, country: str | None) -> tuple[Identifier, ...]:
        out = []
        for item in self.items(name):
            kind, sep, value = item.partition(":")
            if not sep or not value.strip():
                raise FieldError(name, f"identifier '{item}' is not kind:value")
            out.append(Identifier(kind.strip().lower(), value.strip(), country))
        return tuple(out)


_PARTY_COLUMNS = {
    role: tuple(f"{role}_{attr}" for attr in PARTY_ATTRS + PARTY_LIST_ATTRS) for role in PARTY_ROLES
}
PARTY_MEMO_SIZE = 50_000  # per memo; about 35 MB for the casts memo when full
_party_memo: dict[tuple[str | None, ...], OrderParty] = {}
_TEXT_TYPES = frozenset({str, type(None)})
T = TypeVar("T")
_MISSING = object()  # CellMemo: not remembered yet (None is a value: no party, no route)


def parse_party(p: RowParser, role: str) -> OrderParty | None:
    """The party of ``role`` on the row, or None. The same party recurs on many orders: its
    parse is remembered by its cells (text or missing cells only; a row with a cell of another
    type, from JSON or Parquet, is parsed afresh)."""
    key = (role, *map(p.fields.get, _PARTY_COLUMNS[role]))
    if not _TEXT_TYPES.issuperset(map(type, key)):
        return _parse_party(p, role)
    found = _party_memo.get(key)
    if found is not None:
        return found
    party = _parse_party(p, role)
    if party is not None:
        if len(_party_memo) >= PARTY_MEMO_SIZE:
            _party_memo.clear()
        _party_memo[key] = party
    return party


class CellMemo(Generic[T]):
    """A value parsed from a fixed set of a row's cells, remembered by those cells: the same
    cast of parties, route or shipping recurs on many orders. Only rows whose cells are text or
    missing are remembered (a row with a cell of another type, from JSON or Parquet, is parsed
    afresh); a parse that raises ``FieldError`` is never remembered. Holds at most ``size``
    values (cleared when full)."""

    def __init__(
        self, columns: tuple[str, ...], parse: Callable[[RowParser], T], size: int = PARTY_MEMO_SIZE
    ) -> None:
        self.columns = columns
        self.parse = parse
        self.size = size
        self._memo: dict[tuple[Any, ...], T] = {}

    def __call__(self, p: RowParser) -> T:
        key = tuple(map(p.fields.get, self.columns))
        if not _TEXT_TYPES.issuperset(map(type, key)):
            return self.parse(p)
        found = self._memo.get(key, _MISSING)
        if found is _MISSING:
            found = self.parse(p)
            if len(self._memo) >= self.size:
                self._memo.clear()
            self._memo[key] = found
        return cast(T, found)


# every party on the row, in role order
parse_parties = CellMemo(
    tuple(c for role in PARTY_ROLES for c in _PARTY_COLUMNS[role]),
    lambda p: tuple(x for x in (parse_party(p, r) for r in PARTY_ROLES) if x is not None),
)


def _parse_party(p: RowParser, role: str) -> OrderParty | None:
    name = p.text(f"{role}_name")
    if name is None:
        return None
    country = p.country(f"{role}_country")
    return OrderParty(
        role=PartyRole(role),
        name=name,
        country=country,
        address=p.text(f"{role}_address"),
        identifiers=p.identifiers(f"{role}_identifiers", country),
        contacts=p.items(f"{role}_contacts"),
        business=p.text(f"{role}_business"),
        customer_id=p.text(f"{role}_id"),
        is_new_customer=p.flag(f"{role}_new_customer"),
        entity_type=p.text(f"{role}_type"),
    )


_route = CellMemo(
    ("origin", "transit", "destination", "port_of_exit"),
    lambda p: Route(
        origin=p.country("origin"),
        transit=p.countries("transit"),
        destination=p.country("destination"),
        port_of_exit=p.text("port_of_exit"),
    ),
)
_shipping = CellMemo(
    ("urgent", "labelling", "shipping_mode"),
    lambda p: Shipping(
        urgent=bool(p.flag("urgent")), labelling=p.text("labelling"), mode=p.text("shipping_mode")
    ),
)


def parse_header(p: RowParser) -> dict[str, Any]:
    """The order-level values of a row (typed), ready for ``build_order``."""
    kind_text = (p.text("kind") or "order").lower()
    if kind_text not in ("order", "declaration"):
        raise FieldError("kind", f"'{kind_text}' is not 'order' or 'declaration'")
    parties = parse_parties(p)
    return {
        "kind": OrderKind(kind_text),
        "date": p.day("date"),
        "parties": parties,
        "route": _route(p),
        "payment": Payment(
            method=p.text("payment_method"),
            payer=p.text("payment_payer"),
            currency=p.text("payment_currency"),
            amount=p.number("payment_amount"),
        ),
        "end_use": p.text("end_use"),
        "shipping": _shipping(p),
        "authorisations": p.items("authorisations"),
    }


def parse_line(p: RowParser, position: int) -> OrderLine:
    product = p.text("product_name")
    if product is None:
        raise FieldError("product_name", "product name is empty")
    line_no = p.number("line_no")
    concentration = p.number("concentration")
    if concentration is not None and not 0 <= concentration <= 100:
        raise FieldError("concentration", f"{concentration:g} is not a percentage (0-100)")
    quantity = p.number("quantity")
    if quantity is not None and quantity < 0:
        raise FieldError("quantity", f"{quantity:g} is negative")
    return OrderLine(
        line_no=int(line_no) if line_no is not None else position,
        product_name=product,
        description=p.text("description"),
        cas=p.text("cas"),
        hs_code=p.text("hs_code"),
        quantity=quantity,
        unit=p.text("unit"),
        concentration=concentration,
        packaging=p.text("packaging"),
        unit_price=p.number("unit_price"),
        currency=p.text("currency"),
    )


def header_conflict(first: dict[str, Any], fields: dict[str, Any]) -> tuple[str, str, str] | None:
    """The first order-level field where a later row gives a value different from the order's
    first row, as (field, value, first value); empty cells never conflict."""
    for name in ORDER_FIELDS:
        value = fields.get(name)
        if value is None or value == "" or value == first.get(name):
            continue
        text, before = as_text(value), as_text(first.get(name))
        if text and text != before:
            return name, text, before
    return None


def build_order(order_id: str, header: dict[str, Any], lines: list[OrderLine]) -> Order:
    return Order(order_id=order_id, lines=tuple(lines), **header)
