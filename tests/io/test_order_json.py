from __future__ import annotations

import pytest

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
