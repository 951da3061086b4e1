from __future__ import annotations

import pytest

from precursor_watch.domain import OrderOutcome, PartyStatus, SubstanceStatus, worst_of


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([], OrderOutcome.CLEAR),
        ([OrderOutcome.REVIEW], OrderOutcome.REVIEW),
        ([OrderOutcome.REVIEW, OrderOutcome.BLOCK, OrderOutcome.HOLD], OrderOutcome.BLOCK),
        ([OrderOutcome.HOLD, OrderOutcome.CLEAR], OrderOutcome.HOLD),
    ],
)
def test_order_worst_of(outcomes: list[OrderOutcome], expected: OrderOutcome) -> None:
    assert worst_of(outcomes, OrderOutcome.CLEAR) is expected


def test_substance_order() -> None:
    assert SubstanceStatus.CLEAR < SubstanceStatus.WATCH < SubstanceStatus.CONTROLLED
    assert worst_of([SubstanceStatus.WATCH, SubstanceStatus.CLEAR], SubstanceStatus.CLEAR) is (
        SubstanceStatus.WATCH
    )


def test_party_order_and_values() -> None:
    assert PartyStatus.CLEAR < PartyStatus.POSSIBLE < PartyStatus.MATCH
    assert [s.value for s in PartyStatus] == ["clear", "possible", "match"]


def test_scales_do_not_compare_across() -> None:
    with pytest.raises(TypeError):
        _ = OrderOutcome.BLOCK < PartyStatus.MATCH  # type: ignore[operator]
