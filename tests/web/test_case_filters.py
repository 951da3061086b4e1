"""The case queue's rule and country filters are exact matches on the indexed case facts, on
SQLite and PostgreSQL: a look-alike rule id, a rule that only passed, or a country that appears
only in an identifier does not match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from precursor_watch.domain.findings import Decision, Finding, input_hash
from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.domain.provenance import DataVersions
from precursor_watch.screening.batch_records import DecisionToStore
from precursor_watch.storage.db import session_scope
from precursor_watch.storage.decisions import record_decisions
from precursor_watch.web.accounts.roles import Role
from tests.web.conftest import make_console

VERSIONS = DataVersions(knowledge_base="kb-test", rule_set="orders-test", lists={})


def _order(order_id: str, origin: str, destination: str, buyer: str) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "route": {"origin": origin, "transit": [], "destination": destination},
        "parties": [
            {
                "role": "buyer",
                "name": f"Buyer of {order_id}",
                "country": buyer,
                "identifiers": [{"kind": "vat", "value": "1", "country": "KP"}],
            }
        ],
    }


def _item(order_id: str, order: dict[str, Any], *findings: tuple[str, OrderOutcome]) -> Any:
    decision = Decision.from_findings(
        order_id,
        tuple(Finding(rule, "1", outcome, f"{rule} on {order_id}") for rule, outcome in findings),
        VERSIONS,
        input_hash({"id": order_id}),
    )
    return DecisionToStore(decision, order_data=order)


def _orders(body: dict[str, Any]) -> list[str]:
    return sorted(c["order_id"] for c in body["cases"])


def test_rule_and_country_filters_match_exactly(database_url: str, tmp_path: Path) -> None:
    console = make_console(tmp_path, database_url)
    items = [
        _item("A", _order("A", "IN", "MX", "MX"), ("ORD-X", OrderOutcome.HOLD)),
        _item("B", _order("B", "CN", "US", "US"), ("ORD-X2", OrderOutcome.REVIEW)),
        _item(
            "C",
            _order("C", "DE", "NL", "BE"),
            ("ORD-X2", OrderOutcome.BLOCK),
            ("ORD-X", OrderOutcome.CLEAR),  # passed: did not flag the case
        ),
        _item("D", _order("D", "in", "mx", "mx"), ("ORD-X", OrderOutcome.CLEAR)),  # no case
    ]
    with session_scope(console.app.state.engine) as session:
        record_decisions(session, items)
    api = console.api(Role.VIEWER)

    def cases(**params: str) -> list[str]:
        response = api.get("/api/cases", params=params)
        assert response.status_code == 200, response.text
        return _orders(response.json())

    assert cases() == ["A", "B", "C"]
    assert cases(rule="ORD-X") == ["A"]
    assert cases(rule="ORD-X2") == ["B", "C"]
    assert cases(rule="ORD-") == [] and cases(rule="ORD-X%") == [] and cases(rule="X") == []
    assert cases(rule=" ORD-X ") == ["A"]
    assert cases(country="mx") == ["A"]  # destination and buyer: listed once
    assert cases(country="CN") == ["B"]  # origin
    assert cases(country="BE") == ["C"]  # buyer's country only
    assert cases(country="KP") == []  # only an identifier's issuing country
    assert cases(country="M") == []
    assert cases(rule="ORD-X2", country="US") == ["B"]
    page = console.api(Role.VIEWER).get("/cases", params={"rule": "ORD-X"})
    assert page.status_code == 200
    assert "<td>A</td>" in page.text and "<td>B</td>" not in page.text
