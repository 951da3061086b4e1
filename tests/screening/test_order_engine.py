"""The order engine on the scenario table, with the real knowledge base, the real party matcher
over real OFAC SDN narcotics entries, and in-memory customer history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from precursor_watch.domain.orders import (
    HistoryLine,
    Order,
    OrderLine,
    OrderParty,
    PartyRole,
    Route,
)
from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.domain.parties import PartyQuery, PartyScreening
from precursor_watch.rules.catalog import load_rule_set
from precursor_watch.screening.context import (
    CustomerHistory,
    InMemoryCustomerHistory,
    ScreeningContext,
)
from precursor_watch.screening.order_engine import history_lines, screen_order, screen_orders
from tests.cases.order_scenarios import (
    SDN_2024,
    build_party_screener,
    load_scenarios,
    run_scenario,
    substance_screener,
)

SCENARIOS = load_scenarios()
Screener = Callable[[PartyQuery], PartyScreening]


@pytest.fixture(scope="module")
def party_screener() -> Screener:
    if not SDN_2024.is_file():
        pytest.skip("shared sanctions data not available")
    return build_party_screener()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any], party_screener: Screener) -> None:
    decision = run_scenario(scenario, party_screener)
    got_rules = sorted({f.rule_id for f in decision.findings})
    explained = [f"{f.rule_id}: {f.sentence}" for f in decision.findings]
    assert (decision.outcome.value, got_rules) == (
        scenario["expected"]["decision"],
        scenario["expected"]["rules"],
    ), "\n".join(explained)


def test_table_covers_every_rule_and_has_look_alikes() -> None:
    assert len(SCENARIOS) >= 60
    fired = {r for s in SCENARIOS for r in s["expected"]["rules"]}
    assert fired == set(load_rule_set().rules)
    clear = [s for s in SCENARIOS if s["expected"]["decision"] == "clear"]
    assert len(clear) >= 15


def _order(order_id: str, day: date, product: str, cas: str | None, qty: float) -> Order:
    buyer = OrderParty(PartyRole.BUYER, "Summit Research Labs Inc.", "US", customer_id="C-1")
    line = OrderLine(1, product, cas=cas, quantity=qty, unit="kg", unit_price=5.0, currency="USD")
    return Order(order_id, (line,), date=day, parties=(buyer,), route=Route("DE", (), "US"))


def _context(party_screener: Screener | None) -> ScreeningContext:
    return ScreeningContext(
        substance_screener=substance_screener("2026-06-01"),
        party_screener=party_screener,
        history=InMemoryCustomerHistory(),
        as_of=date(2026, 6, 1),
    )


def test_decision_records_versions_hash_and_explanation(party_screener: Screener) -> None:
    context = _context(party_screener)
    decision = screen_order(_order("V1", date(2026, 5, 1), "Acetonitrile", "75-05-8", 5), context)
    versions = decision.versions.as_dict()
    assert versions["rule_set"] == context.rule_set.label
    assert str(versions["knowledge_base"]).startswith("kb-")
    assert versions["lists"] == {"us_ofac_sdn": "2024-05-03"}
    assert versions["matcher"]
    assert len(decision.input_hash) == 64
    assert decision.outcome is OrderOutcome.CLEAR
    [clear] = decision.findings
    assert clear.rule_id == "ORD-CLEAR" and "1 line(s) screened" in clear.sentence


def test_same_order_same_hash_and_decision(party_screener: Screener) -> None:
    order = _order("V2", date(2026, 5, 1), "N-Phenethyl-4-piperidone", "39742-60-4", 5)
    first = screen_order(order, _context(party_screener))
    second = screen_order(order, _context(party_screener))
    assert first.to_json() == second.to_json()
    changed = screen_order(
        _order("V2", date(2026, 5, 1), "N-Phenethyl-4-piperidone", "39742-60-4", 6),
        _context(party_screener),
    )
    assert changed.input_hash != first.input_hash


def test_screen_orders_builds_history_as_it_goes(party_screener: Screener) -> None:
    context = _context(party_screener)
    days = [date(2026, 5, d) for d in (1, 8, 15, 22)]
    orders = [_order(f"H{i}", d, "Acetonitrile", "75-05-8", 10) for i, d in enumerate(days)]
    orders.append(_order("H9", date(2026, 5, 29), "Acetonitrile", "75-05-8", 400))
    decisions = list(screen_orders(orders, context))
    assert [d.outcome for d in decisions[:4]] == [OrderOutcome.CLEAR] * 4
    assert decisions[-1].outcome is OrderOutcome.REVIEW
    assert {f.rule_id for f in decisions[-1].findings} == {"ORD-RF-ABOVE-HISTORY"}
    customer = orders[0].customer_key
    assert customer is not None
    assert len(context.history.lines_for(customer, None)) == 5


def test_history_lines_use_screened_identity(party_screener: Screener) -> None:
    context = _context(party_screener)
    by_name = history_lines(_order("K1", date(2026, 5, 1), "NPP", None, 1), context)
    by_cas = history_lines(_order("K2", date(2026, 5, 1), "x", "39742-60-4", 1), context)
    assert by_name[0].substance_key == by_cas[0].substance_key == "npp"


def test_public_screen_order_is_exported() -> None:
    import precursor_watch

    assert "screen_order" in precursor_watch.__all__
    assert precursor_watch.screen_order is not None


def _hline(order_id: str, day: date | None, key: str = "npp") -> HistoryLine:
    return HistoryLine(order_id, day, "id:C-1", "site", key, 1.0, "kg")


def check_history_contract(history: CustomerHistory) -> None:
    """The behaviour every CustomerHistory implementation must show (in memory, database)."""
    history.record(
        [
            _hline("O3", date(2026, 3, 1)),
            _hline("O1", date(2026, 1, 1)),
            _hline("O2", date(2026, 2, 1), "acetone"),
            _hline("O2", date(2026, 2, 1)),
            _hline("O4", date(2026, 4, 1)),
        ]
    )
    assert history.lines_for("id:nobody", None) == []
    every = history.lines_for("id:C-1", None)
    assert [ln.order_id for ln in every] == ["O1", "O2", "O2", "O3", "O4"]
    until_march = history.lines_for("id:C-1", date(2026, 3, 1))
    assert [ln.order_id for ln in until_march] == ["O1", "O2", "O2", "O3"]
    without = history.lines_for("id:C-1", date(2026, 3, 1), exclude_order="O2")
    assert [ln.order_id for ln in without] == ["O1", "O3"]


def test_in_memory_history_contract() -> None:
    check_history_contract(InMemoryCustomerHistory())


def test_public_screen_order_without_context_flags_unscreened_parties() -> None:
    import precursor_watch

    order = _order("P1", date(2026, 5, 1), "N-Phenethyl-4-piperidone", "39742-60-4", 5)
    decision = precursor_watch.screen_order(order)
    rules = {f.rule_id for f in decision.findings}
    assert decision.outcome is OrderOutcome.HOLD
    assert {"ORD-SUB-CONTROLLED", "ORD-PARTY-UNSCREENED"} <= rules
    assert precursor_watch.screen_order(order).to_json() == decision.to_json()


@pytest.mark.parametrize(
    ("contact", "kind", "value"),
    [
        ("Sales@Example.CN", "email", "sales@example.cn"),
        ("www.example.cn", "website", "www.example.cn"),
        ("https://example.cn/shop", "website", "https://example.cn/shop"),
        ("+86 158 1535 1839", "phone", "+86 158 1535 1839"),
        ("ask for Mr Li", None, None),
    ],
)
def test_contacts_become_identifiers(contact: str, kind: str | None, value: str | None) -> None:
    from precursor_watch.screening.order_engine import contact_identifiers

    got = contact_identifiers((contact,), "CN")
    assert [(i.kind, i.value) for i in got] == ([(kind, value)] if kind else [])
