"""US CSL (partial), BIS DPL, FollowTheMoney, OFAC names JSONL and OFAC SDN XML readers."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from precursor_watch.domain.parties import AliasStrength, EntityType
from precursor_watch.sources.bis_dpl import read_bis_dpl
from precursor_watch.sources.csl_csv import read_csl_csv
from precursor_watch.sources.ftm_json import read_ftm_json
from precursor_watch.sources.ofac_names_jsonl import read_ofac_names_jsonl
from precursor_watch.sources.ofac_xml import read_ofac_xml

FIXTURES = Path(__file__).parent / "fixtures"


def test_partial_csl_reports_repeated_header_and_cut_record(sanctions_data: Path) -> None:
    parsed = read_csl_csv(sanctions_data / "us_csl_2023-11-30_partial" / "csl.csv")
    entities = list(parsed.entities)
    assert [(i.line, i.message) for i in parsed.issues] == [
        (2, "header row repeated inside the file"),
        (
            4233,
            "expected 29 fields, found 8; it is the last record: the file is cut off (truncated)",
        ),
    ]
    assert len(entities) == 4226
    telecom = next(e for e in entities if e.entity_id == "CMIC:30882")
    assert telecom.primary_name == "China Telecom Corporation Limited"
    assert ("tax", "9111000071093019X7", "CN") in [
        (i.kind, i.value, i.country) for i in telecom.identifiers
    ]
    assert "CMIC" in telecom.programs and "CN" in telecom.countries
    sources = Counter(e.entity_id.split(":")[0] for e in entities)
    assert sources["SDN"] > 1700 and sources["EL"] > 900


def test_dpl(sanctions_data: Path) -> None:
    parsed = read_bis_dpl(sanctions_data / "us_bis_dpl_2023-11-30" / "dpl.txt")
    entities = list(parsed.entities)
    assert len(entities) == 665 and parsed.issues == []
    assert entities[0].primary_name == "I. ASH" and entities[0].countries == ("US",)
    assert parsed.publish_date.day == date(2023, 11, 30)


def test_ftm_keeps_listed_schemata_and_links_addresses(sanctions_data: Path) -> None:
    parsed = read_ftm_json(sanctions_data / "opensanctions_ftm" / "yente_t1_entities.ftm.json")
    entities = list(parsed.entities)
    # 7 records: Organization x2, Person x4 and one Address, which is not a list entry
    assert len(entities) == 6 and parsed.issues == []
    assert parsed.list_name == "ftm_yente_t1_entities"
    tobacco = next(e for e in entities if e.entity_id == "NK-2GdmHtZTeNXjNVrBGEXZNj")
    assert tobacco.entity_type is EntityType.ORGANIZATION
    assert tobacco.countries == ("BY",)
    assert ("registration", "808000714") in [(i.kind, i.value) for i in tobacco.identifiers]
    assert {"Cyrl", "Grek", "Latn"} <= {n.script for n in tobacco.names}
    assert parsed.publish_date.source == "file (newest last_change)"


def test_ftm_weak_alias_and_tax_number(sanctions_data: Path) -> None:
    parsed = read_ftm_json(sanctions_data / "opensanctions_ftm" / "yente_zala_entities.ftm.json")
    entities = list(parsed.entities)
    assert Counter(e.entity_type for e in entities) == {
        EntityType.ORGANIZATION: 11,
        EntityType.PERSON: 6,
    }
    assert any(n.strength is AliasStrength.WEAK for e in entities for n in e.names)
    assert any(i.kind == "tax" for e in entities for i in e.identifiers)


def test_ofac_names_jsonl(sanctions_data: Path) -> None:
    parsed = read_ofac_names_jsonl(
        sanctions_data / "ofac_sdn_names_2025-11-26" / "sdn_entities.jsonl"
    )
    entities = list(parsed.entities)
    assert len(entities) == 17815 and parsed.issues == []
    first = entities[0]
    assert first.entity_id == "36" and first.primary_name == "AEROCARIBBEAN AIRLINES"
    assert [n.name for n in first.names] == ["AEROCARIBBEAN AIRLINES", "AERO-CARIBBEAN"]


def test_ofac_sdn_xml_format_fixture() -> None:
    parsed = read_ofac_xml(FIXTURES / "ofac_sdn_format_fixture.xml")
    entities = {e.entity_id: e for e in parsed.entities}
    assert parsed.publish_date.day == date(2024, 5, 3) and parsed.publish_date.source == "file"
    assert set(entities) == {"306", "7226", "15036", "25308"}
    assert [(i.line, i.field) for i in parsed.issues] == [(169, "uid")]
    mayo = entities["7226"]
    assert mayo.primary_name == "ZAMBADA GARCIA, Ismael"
    assert mayo.programs == ("SDNTK", "ILLICIT-DRUGS-EO14059")
    assert [(n.name, n.strength) for n in mayo.names[1:]] == [
        ("El Mayo", AliasStrength.WEAK),
        ("Mayo", AliasStrength.WEAK),
    ]
    assert mayo.countries == ("MX",) and mayo.birth_dates == ("1948",)
    vessel = entities["15036"]
    assert vessel.entity_type is EntityType.VESSEL
    assert ("imo", "9187629") in [(i.kind, i.value) for i in vessel.identifiers]
    yan = entities["25308"]
    assert ("national_id", "421002197703250019", "CN") in [
        (i.kind, i.value, i.country) for i in yan.identifiers
    ]


NO_ROWS = "the file is empty or no row has its columns"


def _issues(reader: object, path: Path) -> list[tuple[int, str]]:
    parsed = reader(path)  # type: ignore[operator]
    assert list(parsed.entities) == []
    return [(i.line, i.message) for i in parsed.issues]


def test_empty_or_headless_csl_and_dpl_files_are_reported_not_loaded_as_empty(
    tmp_path: Path,
) -> None:
    """An empty download or a file of another list must not load as a list with no one on it."""
    cases = [
        (read_csl_csv, "csl.csv", "", [(1, f"no CSL header: {NO_ROWS}")]),
        (read_bis_dpl, "dpl.txt", "", [(1, f"no DPL header: {NO_ROWS}")]),
        (read_csl_csv, "csl.csv", "a,b\n1,2\n", [(1, f"no CSL header: {NO_ROWS}")]),
        (
            read_csl_csv,
            "csl.csv",
            ",".join("x" * 29) + "\n",
            [(1, "first row is not the CSL header")],
        ),
        (
            read_bis_dpl,
            "dpl.txt",
            "\t".join("x" * 12) + "\n",
            [(1, "first row is not the DPL header")],
        ),
    ]
    for reader, name, text, expected in cases:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        issues = _issues(reader, path)
        assert issues[-1:] == expected[-1:], (name, text, issues)
