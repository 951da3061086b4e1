from __future__ import annotations

import pytest

from precursor_watch.domain.orders import Route
from precursor_watch.errors import InputError
from precursor_watch.io.order_json import order_from_dict
from precursor_watch.samples import generate


def test_round_trip_of_generated_orders() -> None:
    for sample in generate(300, seed=5):
        assert order_from_dict(sample.order.to_json()) == sample.order


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"lines": [{"product_name": "x"}]}, "order_id"),
        ({"order_id": "x", "lines": []}, "lines"),
        ({"order_id": "x", "lines": [{"quantity": 1}]}, "product_name"),
        (
            {"order_id": "x", "parties": [{"role": "buyer"}], "lines": [{"product_name": "x"}]},
            "name",
        ),
    ],
)
def test_missing_field_is_named(payload: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as err:
        order_from_dict(payload)
    assert err.value.field == field


def test_bad_value_names_the_order() -> None:
    with pytest.raises(InputError, match="order x"):
        order_from_dict({"order_id": "x", "date": "31/12/2026", "lines": [{"product_name": "y"}]})


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ({"origin": "us", "destination": "us"}, Route("US", (), "US")),
        ({"origin": " de ", "transit": ["ca"], "destination": "Us"}, Route("DE", ("CA",), "US")),
        (
            {"origin": "IN", "transit": "ae; nl > ", "destination": "MX"},
            Route("IN", ("AE", "NL"), "MX"),
        ),
        ({"origin": "", "destination": None}, Route(None, (), None)),
    ],
)
def test_country_codes_are_read_as_the_row_reader_reads_them(
    route: dict[str, object], expected: Route
) -> None:
    """Control jurisdictions are upper-case codes: a route 'us' -> 'us' kept as given would
    match no control, and 10 kg of NPP sold inside the US would lose its US List I finding."""
    order = order_from_dict({"order_id": "x", "route": route, "lines": [{"product_name": "y"}]})
    assert order.route == expected


def test_party_and_identifier_countries_are_upper_case() -> None:
    party = {
        "role": "buyer",
        "name": "B",
        "country": "mx",
        "identifiers": [{"kind": "tax", "value": "1"}],
    }
    order = order_from_dict({"order_id": "x", "parties": [party], "lines": [{"product_name": "y"}]})
    [buyer] = order.parties
    assert buyer.country == "MX"
    assert buyer.identifiers[0].country == "MX"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"route": {"origin": "USA"}}, "route.origin"),
        ({"route": {"destination": "Germany"}}, "route.destination"),
        ({"route": {"transit": ["CA", "C1"]}}, "route.transit"),
        ({"parties": [{"role": "buyer", "name": "B", "country": "China"}]}, "parties.country"),
    ],
)
def test_a_country_that_is_not_a_code_is_refused_with_its_field(
    payload: dict[str, object], field: str
) -> None:
    with pytest.raises(InputError, match="not an ISO 3166-1 alpha-2 country code") as err:
        order_from_dict({"order_id": "x", "lines": [{"product_name": "y"}], **payload})
    assert err.value.field == field
