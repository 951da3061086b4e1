"""Quantity thresholds: which one governs an order, and what the findings say about it.

The scenarios of ``tests/cases/order_scenarios.jsonl`` are screened with the real knowledge
base and substance screener, without a party list (the findings read here do not depend on it;
the decisions with the list are checked in tests/screening and tests/storage)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.cases.order_scenarios import load_scenarios, run_scenario

from precursor_watch.domain.findings import Decision, Finding
from precursor_watch.domain.orders import Order, OrderLine, Route
from precursor_watch.domain.outcomes import OrderOutcome, worst_of
from precursor_watch.errors import DataError
from precursor_watch.rules.facts import OrderFacts
from precursor_watch.rules.quantity_thresholds import transaction_kinds
from precursor_watch.rules.reference import Threshold, load_reference_data

SCENARIOS = {s["id"]: s for s in load_scenarios()}


def _screen(scenario_id: str) -> Decision:
    scenario: dict[str, Any] = dict(SCENARIOS[scenario_id], lists=False)
    return run_scenario(scenario, None)


def _substance_outcome(decision: Decision) -> str:
    """The worst outcome of the findings other than the (absent) party screening."""
    outcomes = [f.outcome for f in decision.findings if not f.rule_id.startswith("ORD-PARTY")]
    return worst_of(outcomes, OrderOutcome.CLEAR).value


def _finding(decision: Decision, rule_id: str) -> Finding:
    [found] = [f for f in decision.findings if f.rule_id == rule_id]
    return found


def _threshold(applies_to: str, effective: date | None = None) -> Threshold:
    return Threshold("US", "x", "1-1-1", 10, "kg", applies_to, "cite", "https://x", effective)


@pytest.mark.parametrize(
    ("applies_to", "kind", "governs"),
    [
        ("domestic and international", "domestic", True),
        ("domestic and international", "import", True),
        ("domestic and international", "transit", True),
        ("domestic and import", "import", True),
        ("domestic and import", "export", False),
        ("domestic", "import", False),
        ("import and export", "domestic", False),
    ],
)
def test_threshold_governs_by_transaction_kind(applies_to: str, kind: str, governs: bool) -> None:
    assert _threshold(applies_to).governs(kind) is governs


def _facts(route: Route) -> OrderFacts:
    order = Order("K1", (OrderLine(1, "Benzaldehyde", cas="100-52-7"),), route=route)
    return OrderFacts(order, (), (), False, (), None, load_reference_data(), None)


# route, jurisdiction, the kinds of transaction the order may be for it
KINDS = [
    (Route("US", (), "US"), "US", ("domestic",)),
    (Route("DE", (), "US"), "US", ("import",)),
    (Route("DE", (), "US"), "DE", ("export",)),
    (Route("DE", (), "US"), "EU", ("export",)),
    (Route("IN", ("CA",), "US"), "CA", ("transit",)),
    (Route("DE", (), "US"), "UN", ("international",)),
    # an incomplete route is never domestic only: the missing end may be abroad
    (Route(None, (), "US"), "US", ("domestic", "import")),
    (Route("US", (), None), "US", ("domestic", "export")),
    (Route("FR", (), None), "EU", ("domestic", "export")),
    (Route(None, (), "US"), "UN", ("international",)),
    (Route(None, (), None), "UN", ("international",)),
    # a declared transit abroad rules the domestic sale out
    (Route(None, ("CA",), "US"), "US", ("import",)),
    (Route("US", ("CA",), None), "CA", ("transit",)),
]


@pytest.mark.parametrize(("route", "jurisdiction", "kinds"), KINDS)
def test_transaction_kinds_by_route(route: Route, jurisdiction: str, kinds: tuple[str]) -> None:
    assert transaction_kinds(_facts(route), jurisdiction) == kinds


def test_threshold_in_force_from_its_effective_day() -> None:
    t = _threshold("domestic", date(2010, 8, 6))
    assert not t.in_force(date(2010, 8, 5))
    assert t.in_force(date(2010, 8, 6))
    assert _threshold("domestic").in_force(date(1990, 1, 1))


def test_bundled_thresholds_are_every_quantity_only() -> None:
    """No numeric threshold is sourced yet: a row with a quantity must come with its source,
    and this test is the reminder to add the scenarios that go with it."""
    assert {t.quantity for t in load_reference_data().thresholds} == {0}


def test_fentanyl_precursor_finding_says_every_quantity_with_its_citation() -> None:
    finding = _finding(_screen("S97"), "ORD-SUB-CONTROLLED")
    assert "In US every quantity is regulated (72 FR 20039" in finding.sentence


def test_pseudoephedrine_every_quantity_only_after_the_2010_removal_of_thresholds() -> None:
    after = _finding(_screen("S93"), "ORD-SUB-CONTROLLED").sentence
    before = _finding(_screen("S94"), "ORD-SUB-CONTROLLED").sentence
    assert "In US every quantity is regulated (75 FR 38915" in after
    assert "75 FR 38915" not in before and "every quantity" not in before
    assert "UN (international trade)" in before  # still held on the Convention's Table I


def test_below_threshold_finding_names_threshold_quantity_and_citation() -> None:
    decision = _screen("S99")
    assert _substance_outcome(decision) == "clear"
    sentence = _finding(decision, "ORD-SUB-BELOW-THRESHOLD").sentence
    assert "2 kg is below the US domestic threshold of 10 kg (FIXTURE, not law" in sentence
    assert "not a regulated transaction" in sentence


def test_month_total_counts_earlier_orders_of_the_same_month_only() -> None:
    same_month = _finding(_screen("S101"), "ORD-SUB-CONTROLLED").sentence
    assert "12 kg (6 kg earlier this month) is at or above the US domestic threshold" in same_month
    previous_month = _finding(_screen("S102"), "ORD-SUB-BELOW-THRESHOLD").sentence
    assert "6 kg is below the US domestic threshold of 10 kg" in previous_month


def test_litres_are_not_compared_with_a_threshold_in_kilograms() -> None:
    sentence = _finding(_screen("S103"), "ORD-SUB-CONTROLLED").sentence
    assert "threshold of 10 kg" in sentence and "was not applied" in sentence


def test_a_domestic_threshold_does_not_govern_an_import() -> None:
    sentence = _finding(_screen("S104"), "ORD-SUB-CONTROLLED").sentence
    assert "threshold" not in sentence


def test_a_domestic_threshold_does_not_exempt_an_order_whose_origin_is_not_declared() -> None:
    """Only the destination (US) is declared: the order may be an import, which the user's
    domestic-only threshold does not govern, so 2 kg below it is still a regulated
    transaction (S99 with the destination only was cleared below the threshold before)."""
    decision = _screen("S113")
    assert _substance_outcome(decision) == "hold"
    assert "ORD-SUB-BELOW-THRESHOLD" not in {f.rule_id for f in decision.findings}
    sentence = _finding(decision, "ORD-SUB-CONTROLLED").sentence
    assert "2 kg is below the US domestic threshold of 10 kg" in sentence
    assert "route is incomplete: the order may be an import, which that threshold" in sentence


def test_a_threshold_governing_every_kind_exempts_whatever_the_missing_end() -> None:
    decision = _screen("S114")
    sentence = _finding(decision, "ORD-SUB-BELOW-THRESHOLD").sentence
    assert "2 kg is below the US domestic or import threshold of 10 kg" in sentence
    assert "ORD-SUB-CONTROLLED" not in {f.rule_id for f in decision.findings}
    assert _substance_outcome(decision) == "review"  # ORD-ROUTE-INCOMPLETE, not clear


def test_essential_chemical_stays_clear_whatever_the_quantity() -> None:
    for scenario_id in ("S90", "S91", "S92"):
        decision = _screen(scenario_id)
        assert _substance_outcome(decision) == "clear", scenario_id
        assert "Table II level" in _finding(decision, "ORD-SUB-ESSENTIAL").sentence


def test_a_user_threshold_table_with_a_bad_date_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "thresholds.csv"
    table.write_text(
        "jurisdiction,substance_id,cas,quantity,unit,applies_to,effective,citation,url\n"
        "US,benzaldehyde,100-52-7,10,kg,domestic,6 Aug 2010,cite,https://x\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="not YYYY-MM-DD"):
        load_reference_data(thresholds=table)
