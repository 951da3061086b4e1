"""The running totals of a substance's sorted lines (the baseline of ``ORD-RF-ABOVE-HISTORY``)
equal the definition, a pass over the lines, whatever order the lines arrive in."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from precursor_watch.domain.orders import HistoryLine
from precursor_watch.rules.facts import baseline_of
from precursor_watch.screening.history_views import SortedLines

DAY0 = date(2026, 1, 1)

lines_strategy = st.lists(
    st.builds(
        HistoryLine,
        order_id=st.sampled_from([f"O{i}" for i in range(8)]),
        date=st.one_of(st.none(), st.integers(0, 30).map(lambda d: DAY0 + timedelta(days=d))),
        customer_key=st.just("id:C1"),
        ship_to=st.just("site|MX"),
        substance_key=st.sampled_from(["KB-NPP", "KB-4AP"]),
        quantity=st.one_of(st.none(), st.floats(0, 1000, allow_nan=False)),
        unit=st.one_of(st.none(), st.sampled_from(["kg", "L"])),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(
    first=lines_strategy,
    later=lines_strategy,
    day=st.one_of(st.none(), st.integers(-1, 31).map(lambda d: DAY0 + timedelta(days=d))),
    exclude=st.one_of(st.none(), st.sampled_from(["O0", "O3", "O9"])),
    unit=st.sampled_from(["kg", "L"]),
)
def test_running_baseline_equals_a_pass_over_the_lines(
    first: list[HistoryLine],
    later: list[HistoryLine],
    day: date | None,
    exclude: str | None,
    unit: str,
) -> None:
    view = SortedLines.of(first)  # built sorted, then lines arriving in any order
    for ln in later:
        view.add(ln)
    for substance in ("KB-NPP", "KB-4AP", "KB-NONE"):
        expected = baseline_of(view.of_substance(substance, day, exclude), unit)
        found = view.substances.get(substance) if view.substances else None
        got = found.quantity_baseline(unit, day, exclude) if found else (0, 0.0)
        assert got == expected


def test_totals_count_orders_not_lines() -> None:
    lines = [
        HistoryLine("O1", DAY0, "id:C1", None, "KB-NPP", 5.0, "kg"),
        HistoryLine("O1", DAY0, "id:C1", None, "KB-NPP", 7.0, "kg"),
        HistoryLine("O2", DAY0 + timedelta(days=1), "id:C1", None, "KB-NPP", 2.0, "kg"),
        HistoryLine("O3", DAY0 + timedelta(days=2), "id:C1", None, "KB-NPP", 90.0, "L"),
    ]
    npp = SortedLines.of(lines).substances["KB-NPP"]  # type: ignore[index]
    assert npp.quantity_baseline("kg", None, None) == (2, 7.0)
    assert npp.quantity_baseline("L", None, None) == (1, 90.0)
    assert npp.quantity_baseline("kg", None, "O1") == (1, 2.0)  # by a pass: O1 is excluded
    assert npp.quantity_baseline("kg", DAY0, None) == (1, 7.0)  # by a pass: O2 is later


@settings(max_examples=200, deadline=None)
@given(
    lines=lines_strategy,
    start=st.integers(-1, 31).map(lambda d: DAY0 + timedelta(days=d)),
    length=st.integers(0, 31),
    served_by_view=st.booleans(),
)
def test_dated_history_equals_a_filter_over_it(
    lines: list[HistoryLine], start: date, length: int, served_by_view: bool
) -> None:
    """``OrderFacts.history_dated`` (binary search) gives the lines a filter on the dates
    gives, whether the history comes from a sorted view or as the customer's lines."""
    from precursor_watch.domain.orders import Order
    from precursor_watch.rules.facts import OrderFacts
    from precursor_watch.rules.reference import load_reference_data

    end = start + timedelta(days=length)
    view = SortedLines.of(lines)
    ordered = tuple(view.lines)  # the customer's history, oldest first
    facts = OrderFacts(
        order=Order("O-NOW", ()),
        lines=(),
        parties=(),
        parties_screened=False,
        history=() if served_by_view else ordered,
        prices=None,
        reference=load_reference_data(),
        as_of=None,
        history_source=(lambda key: view.of_substance(key, None, None)) if served_by_view else None,
    )
    for substance in ("KB-NPP", "KB-4AP"):
        expected = [
            h for h in facts.history_of(substance) if h.date is not None and start <= h.date <= end
        ]
        assert facts.history_dated(substance, start, end) == expected
