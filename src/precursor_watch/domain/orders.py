"""Pure data types for orders and export declarations (no I/O).

An :class:`Order` is one commercial order or one export declaration: its parties, route, payment,
declared end use, shipping requests and lines. Every field the screening rules read is here; an
input file maps its columns onto these fields (see ``docs/order-columns.md``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from precursor_watch.domain.parties import Identifier


class OrderKind(StrEnum):
    ORDER = "order"
    DECLARATION = "declaration"


_ISO_ALPHA_2 = re.compile(r"[A-Z]{2}")
COUNTRY_SEPARATORS = re.compile(r"[;|,>/ ]+")  # between countries written in one text (transit)
_CHECKED_CODES: set[str] = set()  # codes found well formed (at most 26 * 26): a set lookup


def country_code(text: str) -> str | None:
    """``text`` read as a country, as every input reader reads it: trimmed and upper-cased, None
    when blank; ``ValueError`` when it is not an ISO 3166-1 alpha-2 code."""
    code = text.strip().upper()
    if not code:
        return None
    if not _ISO_ALPHA_2.fullmatch(code):
        raise ValueError(f"'{text.strip()}' is not an ISO 3166-1 alpha-2 country code")
    return code


def country_codes(text: str) -> tuple[str, ...]:
    """Countries written in one text (``CA;MX``, ``CA > MX``), each read by ``country_code``."""
    return tuple(c for c in map(country_code, COUNTRY_SEPARATORS.split(text)) if c)


def check_country(code: str | None, what: str) -> None:
    """Refuse a country that is not an ISO 3166-1 alpha-2 code in upper case: the rules compare
    codes as they are, so a route given as ``us`` would match no US control and clear."""
    if code is None or code in _CHECKED_CODES:
        return
    if not _ISO_ALPHA_2.fullmatch(code):
        raise ValueError(f"{what} {code!r} is not an ISO 3166-1 alpha-2 code in upper case")
    _CHECKED_CODES.add(code)


class PartyRole(StrEnum):
    """The role a party plays in an order. ``seller`` is the exporter on a declaration."""

    SELLER = "seller"
    BUYER = "buyer"
    CONSIGNEE = "consignee"
    NOTIFY = "notify"
    FORWARDER = "forwarder"
    PAYER = "payer"


@dataclass(frozen=True, slots=True)
class OrderParty:
    """One party of an order, with what the order says about it.

    ``business`` is the party's declared line of business (e.g. ``paint manufacturer``);
    ``is_new_customer`` is the seller's own flag (None when the input does not say);
    ``customer_id`` is the seller's account number, the key of customer history when present.
    """

    role: PartyRole
    name: str
    country: str | None = None
    address: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    contacts: tuple[str, ...] = ()
    business: str | None = None
    customer_id: str | None = None
    is_new_customer: bool | None = None
    entity_type: str | None = None  # "person" or "organization" when known

    def __post_init__(self) -> None:
        check_country(self.country, f"{self.role} country")

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role.value,
            "name": self.name,
            "country": self.country,
            "address": self.address,
            "identifiers": [
                {"kind": i.kind, "value": i.value, "country": i.country} for i in self.identifiers
            ],
            "contacts": list(self.contacts),
            "business": self.business,
            "customer_id": self.customer_id,
            "is_new_customer": self.is_new_customer,
            "entity_type": self.entity_type,
        }


@dataclass(frozen=True, slots=True)
class Route:
    """Countries as ISO 3166-1 alpha-2 codes, upper case (anything else is refused)."""

    origin: str | None = None
    transit: tuple[str, ...] = ()
    destination: str | None = None
    port_of_exit: str | None = None

    def __post_init__(self) -> None:
        check_country(self.origin, "route origin")
        for code in self.transit:
            check_country(code, "route transit country")
        check_country(self.destination, "route destination")

    @property
    def countries(self) -> tuple[str, ...]:
        """Origin, transit and destination, in route order, without repeats."""
        seen: list[str] = []
        for code in (self.origin, *self.transit, self.destination):
            if code and code not in seen:
                seen.append(code)
        return tuple(seen)

    @property
    def is_international(self) -> bool:
        return len(self.countries) > 1

    @property
    def is_domestic(self) -> bool:
        """Origin and destination are declared and the same country, and no transit leaves
        it: a sale inside one country, no border crossed."""
        return bool(self.origin) and self.destination == self.origin and len(self.countries) == 1

    @property
    def legs(self) -> tuple[tuple[str, str], ...]:
        """(role, country) for each declared country in route order: ``origin``, each
        ``transit``, ``destination``."""
        legs = (("origin", self.origin), *(("transit", c) for c in self.transit))
        return tuple((r, c) for r, c in (*legs, ("destination", self.destination)) if c)

    @property
    def undeclared(self) -> tuple[str, ...]:
        """The ends of the route not declared: ``origin``, ``destination``, both or neither. A
        route missing either is not known to stay in one country."""
        return tuple(end for end in ("origin", "destination") if not getattr(self, end))

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "transit": list(self.transit),
            "destination": self.destination,
            "port_of_exit": self.port_of_exit,
        }


@dataclass(frozen=True, slots=True)
class Payment:
    """How the order is paid. ``method`` is free text (``wire``, ``cash``, ``bitcoin``...);
    ``payer`` names who pays when it is not the buyer."""

    method: str | None = None
    payer: str | None = None
    currency: str | None = None
    amount: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "payer": self.payer,
            "currency": self.currency,
            "amount": self.amount,
        }


@dataclass(frozen=True, slots=True)
class Shipping:
    """Shipping requests: urgency, labelling instructions, delivery mode."""

    urgent: bool = False
    labelling: str | None = None
    mode: str | None = None  # e.g. "sea", "air", "courier", "road", "pickup"

    def to_json(self) -> dict[str, Any]:
        return {"urgent": self.urgent, "labelling": self.labelling, "mode": self.mode}


MASS_TO_KG: dict[str, float] = {
    "kg": 1.0,
    "g": 0.001,
    "mg": 0.000001,
    "t": 1000.0,
    "tonne": 1000.0,
    "mt": 1000.0,
    "lb": 0.45359237,
}
VOLUME_TO_L: dict[str, float] = {
    "l": 1.0,
    "ml": 0.001,
    "m3": 1000.0,
    "gal": 3.785411784,  # US gallon
}


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One line: the declared product, its identifiers and the quantity ordered.

    ``concentration`` is a percentage (0-100) by weight when the input gives one.
    """

    line_no: int
    product_name: str
    description: str | None = None
    cas: str | None = None
    hs_code: str | None = None
    quantity: float | None = None
    unit: str | None = None
    concentration: float | None = None
    packaging: str | None = None
    unit_price: float | None = None
    currency: str | None = None

    def normalized_quantity(self) -> tuple[float, str] | None:
        """Quantity in ``kg`` (mass units) or ``L`` (volume units); None when unknown."""
        if self.quantity is None or self.unit is None:
            return None
        unit = self.unit.strip().lower().rstrip(".")
        unit = {"kgs": "kg", "kilogram": "kg", "kilograms": "kg", "litre": "l", "liter": "l"}.get(
            unit, unit
        )
        unit = {"litres": "l", "liters": "l", "tons": "t", "lbs": "lb", "gallon": "gal"}.get(
            unit, unit
        )
        if unit in MASS_TO_KG:
            return self.quantity * MASS_TO_KG[unit], "kg"
        if unit in VOLUME_TO_L:
            return self.quantity * VOLUME_TO_L[unit], "L"
        return None

    @property
    def queries(self) -> tuple[str, ...]:
        """What to screen for this line: the CAS number first, then the declared product name."""
        out = [q.strip() for q in (self.cas, self.product_name) if q and q.strip()]
        return tuple(dict.fromkeys(out))

    def to_json(self) -> dict[str, Any]:
        return {
            "line_no": self.line_no,
            "product_name": self.product_name,
            "description": self.description,
            "cas": self.cas,
            "hs_code": self.hs_code,
            "quantity": self.quantity,
            "unit": self.unit,
            "concentration": self.concentration,
            "packaging": self.packaging,
            "unit_price": self.unit_price,
            "currency": self.currency,
        }


def party_key(name: str, country: str | None) -> str:
    """A stable key for a party without an account number: folded name plus country."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"[^a-z0-9]+", " ", folded).strip()
    return f"{folded}|{(country or '').upper()}"


@dataclass(frozen=True, slots=True)
class Order:
    """One order or export declaration. ``parties`` holds at most one party per role that the
    rules read (buyer, consignee, ...); ``authorisations`` are export-authorisation, licence or
    pre-export-notification references the order declares."""

    order_id: str
    lines: tuple[OrderLine, ...]
    kind: OrderKind = OrderKind.ORDER
    date: date | None = None
    parties: tuple[OrderParty, ...] = ()
    route: Route = field(default_factory=Route)
    payment: Payment = field(default_factory=Payment)
    end_use: str | None = None
    shipping: Shipping = field(default_factory=Shipping)
    authorisations: tuple[str, ...] = ()

    def party(self, role: PartyRole) -> OrderParty | None:
        for p in self.parties:
            if p.role is role:
                return p
        return None

    @property
    def buyer(self) -> OrderParty | None:
        return self.party(PartyRole.BUYER)

    @property
    def consignee(self) -> OrderParty | None:
        return self.party(PartyRole.CONSIGNEE)

    @property
    def customer_key(self) -> str | None:
        """The buyer's account number, else its folded name and country; None without a buyer."""
        buyer = self.buyer
        if buyer is None:
            return None
        if buyer.customer_id:
            return f"id:{buyer.customer_id.strip()}"
        return f"name:{party_key(buyer.name, buyer.country)}"

    @property
    def ship_to(self) -> str | None:
        """Where the goods go: the consignee's address (or name and country), else the buyer's."""
        for p in (self.consignee, self.buyer):
            if p is not None:
                return party_key(p.address or p.name, p.country)
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "kind": self.kind.value,
            "date": self.date.isoformat() if self.date else None,
            "parties": [p.to_json() for p in self.parties],
            "route": self.route.to_json(),
            "payment": self.payment.to_json(),
            "end_use": self.end_use,
            "shipping": self.shipping.to_json(),
            "authorisations": list(self.authorisations),
            "lines": [ln.to_json() for ln in self.lines],
        }


class HistoryLine(NamedTuple):
    """One line of a customer's earlier order, as customer history keeps it.

    ``substance_key`` is the identity the engine screened (knowledge-base id, InChIKey, CAS, or
    the folded product name when nothing resolved); ``quantity`` is in ``unit`` (``kg`` or ``L``);
    ``unit_price`` is per ``unit`` in ``currency``.

    A named tuple rather than a frozen dataclass: a partition adds about 18,500 of them, which a
    cluster worker pickles and the committing process unpickles, and a prior history read from
    the database builds thousands more. Built from a tuple in C, they unpickle about three times
    faster (measured on a partition's lines: 33 ms as frozen slots dataclasses, 10 ms as tuples).
    """

    order_id: str
    date: date | None
    customer_key: str
    ship_to: str | None
    substance_key: str
    quantity: float | None
    unit: str | None
    unit_price: float | None = None
    currency: str | None = None
