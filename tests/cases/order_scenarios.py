"""The order scenario table (``order_scenarios.jsonl``) and how to run one scenario.

Each line: ``id``, ``title``, ``as_of``, ``lists`` (screen parties against the narcotics-program
entries of the real 2024-05-03 OFAC SDN file, or no list at all), ``history`` (earlier orders of
the same customers, recorded before the scenario order is screened; their prices are the market
reference of the price rule), ``order`` and ``expected`` (``decision`` and the exact set of rule
ids of all findings). Kept free of any storage so that the same table runs with the in-memory
customer history here and with the database history (SQLite and PostgreSQL) in the storage tests:
pass ``history=`` to ``run_scenario``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from precursor_watch.domain.findings import Decision
from precursor_watch.domain.parties import ListEntity, PartyQuery, PartyScreening
from precursor_watch.io.order_json import order_from_dict
from precursor_watch.rules.reference import ReferenceData, load_reference_data, threshold_from_row
from precursor_watch.screening.context import (
    CustomerHistory,
    InMemoryCustomerHistory,
    PopulationPrices,
    ScreeningContext,
    SubstanceScreener,
    default_substance_screener,
)
from precursor_watch.screening.order_engine import history_lines, screen_order

TABLE = Path(__file__).with_name("order_scenarios.jsonl")
SDN_2024 = Path("/work/shared/data/sanctions/ofac_sdn_2024-05-03/sdn.csv")
NARCOTICS_PROGRAMS = {"SDNTK", "SDNT", "ILLICIT-DRUGS-EO14059"}


def load_scenarios(path: Path = TABLE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@cache
def substance_screener(as_of: str) -> SubstanceScreener:
    return default_substance_screener(date.fromisoformat(as_of))


def narcotics_entities(path: Path = SDN_2024) -> tuple[list[ListEntity], dict[str, str]]:
    """The narcotics-program entries of a real OFAC SDN file, and the list version."""
    from precursor_watch.sources.ofac_csv import read_ofac_csv

    parsed = read_ofac_csv(path)
    entities = [e for e in parsed.entities if NARCOTICS_PROGRAMS & set(e.programs)]
    day = parsed.publish_date.day
    assert day is not None, f"{path}: no publish date"
    return entities, {parsed.list_name: day.isoformat()}


def build_party_screener(path: Path = SDN_2024) -> Callable[[PartyQuery], PartyScreening]:
    from precursor_watch.parties.screener import PartyScreener

    entities, versions = narcotics_entities(path)
    return PartyScreener(entities, versions).screen


@cache
def bundled_reference() -> ReferenceData:
    return load_reference_data()


def scenario_reference(scenario: dict[str, Any]) -> ReferenceData:
    """The bundled reference tables, plus the scenario's own threshold rows if it has any."""
    rows = scenario.get("thresholds") or []
    base = bundled_reference()
    if not rows:
        return base
    extra = tuple(threshold_from_row(r) for r in rows)
    return replace(base, thresholds=base.thresholds + extra)


def run_scenario(
    scenario: dict[str, Any],
    party_screener: Callable[[PartyQuery], PartyScreening] | None,
    history: CustomerHistory | None = None,
) -> Decision:
    """Record the scenario's history, then screen its order."""
    context = ScreeningContext(
        substance_screener=substance_screener(scenario["as_of"]),
        party_screener=party_screener if scenario["lists"] else None,
        history=history if history is not None else InMemoryCustomerHistory(),
        as_of=date.fromisoformat(scenario["as_of"]),
        reference=scenario_reference(scenario),
    )
    recorded = []
    for earlier in scenario["history"]:
        lines = history_lines(order_from_dict(earlier), context)
        context.history.record(lines)
        recorded.extend(lines)
    prices = PopulationPrices(recorded, f"scenario {scenario['id']} history", min_observations=3)
    context = replace(context, prices=prices)
    return screen_order(order_from_dict(scenario["order"]), context)
