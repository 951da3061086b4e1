"""The column layout of an order file, and how a user maps their own column names onto it.

One row is one order LINE; the order-level fields (parties, route, payment...) repeat on every
line of the order (only the first row's values are used; a later row that contradicts them is
reported). The default column name of every field is the field name itself; a mapping file
(JSON: ``{"field": "Their Column", ...}``) renames any of them. See ``docs/order-columns.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from precursor_watch.errors import ConfigurationError

PARTY_ROLES = ("seller", "buyer", "consignee", "notify", "forwarder", "payer")
PARTY_ATTRS = ("name", "country", "address", "id", "business", "new_customer", "type")
PARTY_LIST_ATTRS = ("identifiers", "contacts")

ORDER_FIELDS: tuple[str, ...] = (
    "order_id",
    "kind",
    "date",
    *(f"{role}_{attr}" for role in PARTY_ROLES for attr in PARTY_ATTRS + PARTY_LIST_ATTRS),
    "origin",
    "transit",
    "destination",
    "port_of_exit",
    "payment_method",
    "payment_payer",
    "payment_currency",
    "payment_amount",
    "end_use",
    "urgent",
    "labelling",
    "shipping_mode",
    "authorisations",
)
LINE_FIELDS: tuple[str, ...] = (
    "line_no",
    "product_name",
    "description",
    "cas",
    "hs_code",
    "quantity",
    "unit",
    "concentration",
    "packaging",
    "unit_price",
    "currency",
)
ALL_FIELDS: tuple[str, ...] = ORDER_FIELDS + LINE_FIELDS
REQUIRED_FIELDS = ("order_id", "product_name")


@dataclass(frozen=True)
class ColumnMapping:
    """field -> column name in the file. Fields absent from the file are simply empty."""

    columns: dict[str, str]

    @classmethod
    def default(cls) -> ColumnMapping:
        return cls({f: f for f in ALL_FIELDS})

    @classmethod
    def from_overrides(cls, overrides: dict[str, str]) -> ColumnMapping:
        unknown = sorted(set(overrides) - set(ALL_FIELDS))
        if unknown:
            raise ConfigurationError(
                f"column mapping names unknown fields: {', '.join(unknown)} "
                "(see docs/order-columns.md for the field list)",
                field=unknown[0],
            )
        cols = {f: f for f in ALL_FIELDS}
        cols.update({k: str(v) for k, v in overrides.items()})
        return cls(cols)

    @classmethod
    def from_file(cls, path: Path) -> ColumnMapping:
        """Read a JSON mapping file ``{"field": "column", ...}``; unmapped fields keep their
        default names."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"{path}: cannot read column mapping: {exc}") from exc
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ConfigurationError(f"{path}: a column mapping is a JSON object of strings")
        return cls.from_overrides(data)

    def check_header(self, header: list[str], source: str) -> list[str]:
        """The required fields whose column is missing from ``header`` (empty when fine)."""
        present = set(header)
        return [
            f"{source}: no column '{self.columns[f]}' for required field '{f}'"
            for f in REQUIRED_FIELDS
            if self.columns[f] not in present
        ]

    @cached_property
    def is_identity(self) -> bool:
        return all(f == c for f, c in self.columns.items())

    def fields_of(self, row: dict[str, object]) -> dict[str, object]:
        """The row re-keyed by field name (only the fields whose column is present)."""
        if self.is_identity:
            return row
        return {f: row[c] for f, c in self.columns.items() if c in row}
