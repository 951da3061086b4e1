"""What the route-control findings say a compliance officer should look for: a domestic sale
(origin and destination the same country, no transit abroad) crosses no border, so its
sentence names domestic licences or registrations and says that export authorisation and
pre-export notification do not apply; an international shipment names the export, transit,
import or pre-export references its route controls call for.

Scenarios of ``tests/cases/order_scenarios.jsonl``, screened without a party list (the
sentences do not depend on it; the decisions with the list are checked in tests/screening and
tests/storage)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.cases.order_scenarios import load_scenarios, run_scenario

from precursor_watch.domain.findings import Finding
from precursor_watch.domain.orders import Route

SCENARIOS = {s["id"]: s for s in load_scenarios()}


def _finding(scenario_id: str, rule_id: str) -> Finding:
    scenario: dict[str, Any] = dict(SCENARIOS[scenario_id], lists=False)
    [found] = [f for f in run_scenario(scenario, None).findings if f.rule_id == rule_id]
    return found


# scenario, rule, transaction, fragments the sentence must hold, fragments it must not hold
CASES = [
    (
        "S105",  # NPP sold inside the US
        "ORD-SUB-CONTROLLED",
        "domestic",
        [
            "US (domestic): US List I",
            "a domestic sale within US, to which export authorisation and pre-export "
            "notification do not apply",
            "no licence, registration or other domestic authorisation reference is declared",
        ],
        ["no export authorisation", "(origin)", "UN"],
    ),
    (
        "S107",  # 4-piperidone sold inside Germany: an EU listing, no UN control at home
        "ORD-SUB-CONTROLLED",
        "domestic",
        [
            "EU (domestic)",
            "a domestic sale within DE",
            "no licence, registration or other domestic authorisation reference",
        ],
        ["no export authorisation", "UN"],
    ),
    (
        "S95",  # GBL sold inside the US
        "ORD-SUB-CONTROLLED",
        "domestic",
        ["a domestic sale within US", "domestic authorisation reference is declared"],
        ["no export authorisation"],
    ),
    (
        "S20",  # NPP DE -> US: controlled in origin, destination and UN
        "ORD-SUB-CONTROLLED",
        "international",
        [
            "an international shipment from DE to US:",
            "no export authorisation, import authorisation or declaration or pre-export "
            "notification reference is declared",
        ],
        ["domestic"],
    ),
    (
        "S73",  # 1-benzyl-4-piperidone IN -> US via CA, controlled only in Canada
        "ORD-SUB-CONTROLLED",
        "international",
        [
            "an international shipment from IN to US via CA:",
            "no transit authorisation reference is declared",
        ],
        ["export authorisation", "domestic"],
    ),
    (
        "S108",  # acetone sold inside the US
        "ORD-SUB-ESSENTIAL",
        "domestic",
        ["a domestic sale within US crosses no border, so no pre-export notification arises"],
        ["importing country"],
    ),
    (
        "S90",  # acetone DE -> US
        "ORD-SUB-ESSENTIAL",
        "international",
        ["no pre-export notification is required unless the importing country asked for one"],
        ["domestic"],
    ),
]


@pytest.mark.parametrize(
    ("scenario_id", "rule_id", "transaction", "present", "absent"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_route_control_sentence_names_what_applies(
    scenario_id: str, rule_id: str, transaction: str, present: list[str], absent: list[str]
) -> None:
    found = _finding(scenario_id, rule_id)
    assert found.evidence["transaction"] == transaction
    for fragment in present:
        assert fragment in found.sentence, (fragment, found.sentence)
    for fragment in absent:
        assert fragment not in found.sentence, (fragment, found.sentence)


def test_domestic_sale_with_a_declared_reference_goes_to_review() -> None:
    found = _finding("S106", "ORD-SUB-AUTHORISED")
    assert "declares authorisation US-REG-RK0000001" in found.sentence
    assert found.evidence["transaction"] == "domestic"


@pytest.mark.parametrize(
    ("route", "domestic"),
    [
        (Route("US", (), "US"), True),
        (Route("US", ("US",), "US"), True),
        (Route("US", ("CA",), "US"), False),  # leaves the country and comes back
        (Route("DE", (), "FR"), False),
        (Route(None, (), "US"), False),  # origin not declared: not known to be domestic
        (Route("US", (), None), False),
    ],
)
def test_a_route_is_domestic_only_when_origin_and_destination_are_the_same_country(
    route: Route, domestic: bool
) -> None:
    assert route.is_domestic is domestic
