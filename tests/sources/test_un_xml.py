"""UN Security Council consolidated list: the real 2026-02-27 file."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from precursor_watch.domain.parties import AliasStrength, EntityType, ListEntity
from precursor_watch.sources.parsed_list import ParsedList
from precursor_watch.sources.un_xml import read_un_xml


@pytest.fixture(scope="module")
def un_list(sanctions_data: Path) -> tuple[ParsedList, list[ListEntity]]:
    parsed = read_un_xml(sanctions_data / "un_sc_consolidated_2026-02-27" / "consolidated.xml")
    return parsed, list(parsed.entities)


def test_counts_and_date(un_list: tuple[ParsedList, list[ListEntity]]) -> None:
    parsed, entities = un_list
    assert parsed.issues == []
    assert parsed.publish_date.day == date(2026, 2, 27)
    assert parsed.publish_date.source == "file"
    types = Counter(e.entity_type for e in entities)
    assert types[EntityType.PERSON] == 730 and types[EntityType.ORGANIZATION] == 273


def test_original_script_names(un_list: tuple[ParsedList, list[ListEntity]]) -> None:
    entities = un_list[1]
    originals = [n for e in entities for n in e.names if n.kind == "original_script"]
    assert len(originals) == 378  # README: 378 entries have NAME_ORIGINAL_SCRIPT
    assert Counter(n.script for n in originals)["Arab"] > 300
    saddam = [e for e in entities if any(n.name == "صدام حسين التكريتي" for n in e.names)]
    assert len(saddam) == 1 and saddam[0].entity_type is EntityType.PERSON


def test_low_quality_aliases_are_weak(un_list: tuple[ParsedList, list[ListEntity]]) -> None:
    entities = un_list[1]
    strengths = Counter(n.strength for e in entities for n in e.names)
    assert strengths[AliasStrength.WEAK] > 0
    assert strengths[AliasStrength.PRIMARY] == len(entities)
    adf = next(e for e in entities if e.entity_id == "CDe.001")
    assert adf.primary_name == "ADF"
    assert ("Allied Democratic Forces", "aka") in [(n.name, n.kind) for n in adf.names]
    assert ("NALU", "fka") in [(n.name, n.kind) for n in adf.names]
    assert adf.countries == ("CD",)


def test_person_details(un_list: tuple[ParsedList, list[ListEntity]]) -> None:
    badege = next(e for e in un_list[1] if e.entity_id == "CDi.001")
    assert badege.primary_name == "ERIC BADEGE"
    assert badege.birth_dates == ("1971",)
    assert badege.countries[:1] == ("CD",) and "RW" in badege.countries
    assert badege.programs == ("DRC",)
    documents = [i for e in un_list[1] for i in e.identifiers]
    assert any(i.kind == "passport" for i in documents)
    assert any(i.kind == "national_id" for i in documents)
