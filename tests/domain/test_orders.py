from __future__ import annotations

from collections.abc import Callable

import pytest

from precursor_watch.domain.orders import (
    Order,
    OrderLine,
    OrderParty,
    PartyRole,
    Route,
    party_key,
)


@pytest.mark.parametrize(
    ("quantity", "unit", "expected"),
    [
        (25, "kg", (25.0, "kg")),
        (500, "g", (0.5, "kg")),
        (2, "t", (2000.0, "kg")),
        (1, "Tonne", (1000.0, "kg")),
        (10, "lbs", (4.5359237, "kg")),
        (200, "L", (200.0, "L")),
        (750, "ml", (0.75, "L")),
        (1, "gallon", (3.785411784, "L")),
        (3, "litres", (3.0, "L")),
        (5, "drums", None),
        (None, "kg", None),
        (5, None, None),
    ],
)
def test_normalized_quantity(quantity: float | None, unit: str | None, expected: object) -> None:
    got = OrderLine(1, "x", quantity=quantity, unit=unit).normalized_quantity()
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def test_route_countries_keep_order_without_repeats() -> None:
    route = Route("CN", ("HK", "CN", "SG"), "MX")
    assert route.countries == ("CN", "HK", "SG", "MX")
    assert route.is_international
    assert not Route("DE", (), "DE").is_international


def test_line_queries_cas_first_and_unique() -> None:
    assert OrderLine(1, " NPP ", cas="39742-60-4").queries == ("39742-60-4", "NPP")
    assert OrderLine(1, "acetone", cas="acetone").queries == ("acetone",)
    assert OrderLine(1, "acetone", cas=" ").queries == ("acetone",)


def test_customer_key_prefers_account_number_then_folded_name() -> None:
    by_id = OrderParty(PartyRole.BUYER, "Müller Chemie GmbH", "DE", customer_id=" 42 ")
    by_name = OrderParty(PartyRole.BUYER, "Müller  Chemie, GmbH", "DE")
    assert Order("a", (), parties=(by_id,)).customer_key == "id:42"
    assert Order("b", (), parties=(by_name,)).customer_key == "name:muller chemie gmbh|DE"
    assert Order("c", ()).customer_key is None
    assert party_key("Müller Chemie GmbH", "DE") == party_key("MULLER-CHEMIE GMBH", "de")


def test_ship_to_uses_consignee_address_else_buyer() -> None:
    buyer = OrderParty(PartyRole.BUYER, "B", "US", address="1 Main St")
    consignee = OrderParty(PartyRole.CONSIGNEE, "C", "US", address="9 Dock Rd")
    assert Order("a", (), parties=(buyer, consignee)).ship_to == party_key("9 Dock Rd", "US")
    assert Order("b", (), parties=(buyer,)).ship_to == party_key("1 Main St", "US")


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Route("us", (), "US"), "route origin 'us'"),
        (lambda: Route("DE", ("Mx",), "US"), "route transit country 'Mx'"),
        (lambda: Route("DE", (), "USA"), "route destination 'USA'"),
        (lambda: OrderParty(PartyRole.BUYER, "Acme", "mx"), "buyer country 'mx'"),
    ],
)
def test_countries_that_are_not_upper_case_alpha_2_are_refused(
    build: Callable[[], object], message: str
) -> None:
    """The rules compare codes as they are: a route given as 'us' would match no US control."""
    with pytest.raises(ValueError, match=message):
        build()


def test_declared_countries_and_empty_ends_are_accepted() -> None:
    assert Route(None, (), "US").undeclared == ("origin",)
    assert OrderParty(PartyRole.BUYER, "Acme").country is None
