"""What the route-control findings say a compliance officer should look for: a domestic sale
(origin and destination the same country, no transit abroad) crosses no border, so its
sentence names domestic licences or registrations and says that export authorisation and
pre-export notification do not apply; an international shipment names the export, transit,
import or pre-export references its route controls call for. A route missing its origin or
destination is never taken as a domestic sale: the sentence says which end is missing and that
the order is screened as possibly crossing a border, and ORD-ROUTE-INCOMPLETE sends it to review.

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
        "S116",  # S105 with the route in lower case: read as US -> US
        "ORD-SUB-CONTROLLED",
        "domestic",
        ["US (domestic): US List I", "a domestic sale within US"],
        ["route incomplete"],
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
    (
        "S109",  # NPP, export declaration with only the destination US
        "ORD-SUB-CONTROLLED",
        "undeclared",
        [
            "UN (international trade): 1988 Convention Table I",
            "US (destination): US List I",
            "route incomplete: origin not declared, so the order is screened as possibly "
            "crossing a border",
            "no import authorisation or declaration or pre-export notification reference",
        ],
        ["domestic sale", "domestic authorisation", "(domestic)"],
    ),
    (
        "S110",  # NPP from a US seller, no destination
        "ORD-SUB-CONTROLLED",
        "undeclared",
        [
            "US (origin): US List I",
            "route incomplete: destination not declared",
            "no export authorisation or pre-export notification reference is declared",
        ],
        ["domestic sale", "domestic authorisation", "(domestic)"],
    ),
    (
        "S111",  # NPP, no route at all: UN Table I still applies
        "ORD-SUB-CONTROLLED",
        "undeclared",
        [
            "controlled in UN (UN (international trade)",
            "route incomplete: origin and destination not declared",
            "no pre-export notification reference is declared",
        ],
        ["domestic sale", "(domestic)"],
    ),
    (
        "S115",  # acetone, only the destination US
        "ORD-SUB-ESSENTIAL",
        "undeclared",
        [
            "route incomplete: origin not declared, so the order may cross a border: no "
            "pre-export notification is required unless the importing country asked for one"
        ],
        ["domestic sale", "crosses no border"],
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


# scenario, the ends the sentence says are missing, the line it names with its controls
INCOMPLETE = [
    ("S109", "origin", "N-Phenethyl-4-piperidone (controlled in CA, CN, EU, MX, UN, US)"),
    ("S110", "destination", "N-Phenethyl-4-piperidone (controlled in"),
    ("S111", "origin and destination", "N-Phenethyl-4-piperidone (controlled in"),
    ("S112", "origin and destination", "gamma-Butyrolactone (controlled in CA, US)"),
    ("S113", "origin", "Benzaldehyde (controlled in US)"),
]


@pytest.mark.parametrize(
    ("scenario_id", "missing", "names"), INCOMPLETE, ids=[c[0] for c in INCOMPLETE]
)
def test_an_incomplete_route_for_a_controlled_substance_goes_to_review(
    scenario_id: str, missing: str, names: str
) -> None:
    found = _finding(scenario_id, "ORD-ROUTE-INCOMPLETE")
    assert found.outcome.value == "review"
    assert found.evidence["missing"] == missing
    assert found.sentence.startswith(f"Route incomplete: {missing} not declared")
    assert names in found.sentence
    assert "complete the route before release" in found.sentence


@pytest.mark.parametrize("scenario_id", ["S105", "S108", "S115", "S118", "S20", "S73"])
def test_no_route_finding_for_a_consistent_route_or_an_essential_chemical(
    scenario_id: str,
) -> None:
    scenario: dict[str, Any] = dict(SCENARIOS[scenario_id], lists=False)
    rules = {f.rule_id for f in run_scenario(scenario, None).findings}
    assert not rules & {"ORD-ROUTE-INCOMPLETE", "ORD-ROUTE-CONSIGNEE"}


def test_a_domestic_route_with_the_consignee_abroad_goes_to_review() -> None:
    found = _finding("S117", "ORD-ROUTE-CONSIGNEE")
    assert found.outcome.value == "review"
    assert found.party_role == "consignee"
    assert (found.evidence["party_country"], found.evidence["destination"]) == ("MX", "US")
    assert "is in MX, but the route's destination is US (a domestic sale within US)" in (
        found.sentence
    )
    assert "confirm where the goods go before release" in found.sentence


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
        (Route(None, ("US",), None), False),
        (Route(), False),
    ],
)
def test_a_route_is_domestic_only_when_origin_and_destination_are_the_same_country(
    route: Route, domestic: bool
) -> None:
    assert route.is_domestic is domestic


@pytest.mark.parametrize(
    ("route", "undeclared"),
    [
        (Route("US", (), "US"), ()),
        (Route("DE", ("CA",), "US"), ()),
        (Route(None, (), "US"), ("origin",)),
        (Route("US", ("CA",), None), ("destination",)),
        (Route(None, ("CA",), None), ("origin", "destination")),
        (Route(), ("origin", "destination")),
    ],
)
def test_route_names_its_undeclared_ends(route: Route, undeclared: tuple[str, ...]) -> None:
    assert route.undeclared == undeclared
