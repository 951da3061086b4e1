"""One query against one list entity: the status each documented situation earns."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from precursor_watch.domain.outcomes import PartyStatus
from precursor_watch.domain.parties import (
    AliasStrength,
    EntityName,
    EntityType,
    ListEntity,
    PartyQuery,
)
from precursor_watch.parties.model import WEIGHTS
from precursor_watch.parties.screener import compare_entity

CASES = Path(__file__).resolve().parents[1] / "cases" / "party_pairs.csv"
ROWS = list(csv.DictReader(CASES.open(encoding="utf-8")))


def _entity(row: dict[str, str]) -> ListEntity:
    strength = AliasStrength(row["candidate_strength"])
    names: tuple[EntityName, ...] = (EntityName(row["candidate"], strength),)
    if strength is AliasStrength.WEAK:
        names = (EntityName("UNRELATED PRIMARY NAME", AliasStrength.PRIMARY), *names)
    return ListEntity(
        list="test",
        entity_id="1",
        entity_type=EntityType(row["candidate_type"]),
        names=names,
        countries=tuple(row["candidate_countries"].split()),
    )


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['query']} / {r['candidate']}" for r in ROWS])
def test_pair_status(row: dict[str, str]) -> None:
    query = PartyQuery(
        row["query"],
        country=row["country"] or None,
        entity_type=EntityType(row["type"]) if row["type"] else None,
    )
    score, status, match = compare_entity(query, _entity(row))
    assert status is PartyStatus(row["expected"]), f"{row['why']}: score {score:.3f}"
    assert {f.name for f in match.features} <= set(WEIGHTS)
    assert all(f.explanation for f in match.features)
