"""Scoring of the labelled acceptance set (shared by the test and the benchmark)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from precursor_watch.domain.outcomes import PartyStatus
from precursor_watch.domain.parties import EntityType, Identifier, ListEntity, PartyQuery
from precursor_watch.parties.screener import PartyScreener
from precursor_watch.sources.detect import open_list

CASES = Path(__file__).resolve().parents[1] / "cases" / "party_queries.csv"
DATA = Path("/work/shared/data/sanctions")
SDN_2024 = DATA / "ofac_sdn_2024-05-03"
NARCOTICS = ("SDNTK", "SDNT", "ILLICIT-DRUGS-EO14059")


def load_sdn_2024() -> tuple[str, str, list[ListEntity]]:
    """The real 2024-05-03 SDN through the product's own loader: (list, version, entities)."""
    parsed = open_list(SDN_2024)
    entities = list(parsed.entities)
    day = parsed.publish_date.day
    return parsed.list_name, day.isoformat() if day else parsed.sha256[:8], entities


@dataclass
class AcceptanceResult:
    positives: int = 0
    found_top1: int = 0
    lookalikes: int = 0
    lookalike_matches: int = 0
    lookalike_flagged: int = 0
    misses: list[str] = field(default_factory=list)
    false_alerts: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found_top1 / self.positives

    @property
    def lookalike_match_rate(self) -> float:
        return self.lookalike_matches / self.lookalikes

    @property
    def lookalike_flag_rate(self) -> float:
        return self.lookalike_flagged / self.lookalikes


def read_cases(path: Path = CASES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def query_of(row: dict[str, str]) -> PartyQuery:
    return PartyQuery(
        name=row["query"],
        country=row["country"] or None,
        entity_type=EntityType(row["type"]) if row["type"] else None,
        identifiers=(Identifier("", row["identifier"]),) if row["identifier"] else (),
    )


def evaluate(screener: PartyScreener, rows: list[dict[str, str]]) -> AcceptanceResult:
    result = AcceptanceResult()
    for row in rows:
        screening = screener.screen(query_of(row))
        top = screening.matches[0] if screening.matches else None
        line = f"{row['variation']}: {row['query'] or row['identifier']!r} -> " + (
            f"{top.entity_id} {top.name!r} {top.score:.2f} {screening.status.value}"
            if top
            else "clear"
        )
        if row["expected_entity_id"]:
            result.positives += 1
            tied = [m.entity_id for m in screening.matches if top and m.score >= top.score - 1e-9]
            if row["expected_entity_id"] in tied:
                result.found_top1 += 1
            else:
                result.misses.append(f"{line} (expected {row['expected_entity_id']})")
        else:
            result.lookalikes += 1
            if screening.status is PartyStatus.MATCH:
                result.lookalike_matches += 1
                result.false_alerts.append(line)
            if screening.status is not PartyStatus.CLEAR:
                result.lookalike_flagged += 1
    return result
