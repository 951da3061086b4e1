"""An order as one nested JSON object (the shape of ``Order.to_json()``), for APIs, scenario
tables and JSON documents that carry whole orders rather than lines."""

from __future__ import annotations

from datetime import date
from typing import Any

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
from precursor_watch.errors import InputError


def _country(value: Any, field: str) -> str | None:
    """A country as the row reader reads it (``country_code``), the field named when refused.
    Control jurisdictions are upper-case codes: a route given as ``us`` would match none of
    them and an order of a precursor would lose its route controls."""
    try:
        return country_code(str(value)) if value is not None else None
    except ValueError as exc:
        raise InputError(f"{field}: {exc}", field=field) from None


def _countries(value: Any, field: str) -> tuple[str, ...]:
    """Transit countries: a list of codes, or one text with the row reader's separators."""
    if isinstance(value, str):
        try:
            return country_codes(value)
        except ValueError as exc:
            raise InputError(f"{field}: {exc}", field=field) from None
    return tuple(c for c in (_country(v, field) for v in value or ()) if c)


def _route(d: dict[str, Any]) -> Route:
    return Route(
        origin=_country(d.get("origin"), "route.origin"),
        transit=_countries(d.get("transit"), "route.transit"),
        destination=_country(d.get("destination"), "route.destination"),
        port_of_exit=d.get("port_of_exit"),
    )


def _party(d: dict[str, Any]) -> OrderParty:
    country = _country(d.get("country"), "parties.country")
    return OrderParty(
        role=PartyRole(d["role"]),
        name=str(d["name"]),
        country=country,
        address=d.get("address"),
        identifiers=tuple(
            Identifier(
                i["kind"],
                i["value"],
                _country(i["country"], "parties.identifiers.country")
                if "country" in i
                else country,
            )
            for i in d.get("identifiers", ())
        ),
        contacts=tuple(d.get("contacts", ())),
        business=d.get("business"),
        customer_id=d.get("customer_id"),
        is_new_customer=d.get("is_new_customer"),
        entity_type=d.get("entity_type"),
    )


def _line(d: dict[str, Any], position: int) -> OrderLine:
    def num(key: str) -> float | None:
        value = d.get(key)
        return None if value is None else float(value)

    return OrderLine(
        line_no=int(d.get("line_no", position)),
        product_name=str(d["product_name"]),
        description=d.get("description"),
        cas=d.get("cas"),
        hs_code=d.get("hs_code"),
        quantity=num("quantity"),
        unit=d.get("unit"),
        concentration=num("concentration"),
        packaging=d.get("packaging"),
        unit_price=num("unit_price"),
        currency=d.get("currency"),
    )


def order_from_dict(d: dict[str, Any]) -> Order:
    """Build an ``Order`` from its JSON form; raises ``InputError`` naming the bad field."""
    if not d.get("lines"):
        raise InputError(f"order {d.get('order_id', '?')} has no lines", field="lines")
    try:
        payment = d.get("payment") or {}
        shipping = d.get("shipping") or {}
        return Order(
            order_id=str(d["order_id"]),
            kind=OrderKind(d.get("kind", "order")),
            date=date.fromisoformat(d["date"]) if d.get("date") else None,
            parties=tuple(_party(p) for p in d.get("parties", ())),
            route=_route(d.get("route") or {}),
            payment=Payment(
                method=payment.get("method"),
                payer=payment.get("payer"),
                currency=payment.get("currency"),
                amount=payment.get("amount"),
            ),
            end_use=d.get("end_use"),
            shipping=Shipping(
                urgent=bool(shipping.get("urgent", False)),
                labelling=shipping.get("labelling"),
                mode=shipping.get("mode"),
            ),
            authorisations=tuple(d.get("authorisations", ())),
            lines=tuple(_line(ln, i) for i, ln in enumerate(d.get("lines", ()), start=1)),
        )
    except KeyError as exc:
        raise InputError(f"order is missing field {exc.args[0]!r}", field=str(exc.args[0])) from exc
    except (TypeError, ValueError) as exc:
        raise InputError(f"order {d.get('order_id', '?')}: {exc}") from exc
