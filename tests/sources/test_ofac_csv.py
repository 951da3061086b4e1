"""OFAC's legacy CSV set, read from the real snapshots in the shared data folder."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from precursor_watch.domain.parties import AliasStrength, EntityType, ListEntity
from precursor_watch.errors import ListLoadError
from precursor_watch.sources.ofac_csv import read_ofac_csv

NARCOTICS = {"SDNTK", "SDNT", "ILLICIT-DRUGS-EO14059"}


@pytest.fixture(scope="module")
def sdn_2024(sanctions_data: Path) -> tuple[list[ListEntity], list[object]]:
    parsed = read_ofac_csv(sanctions_data / "ofac_sdn_2024-05-03" / "sdn.csv")
    return list(parsed.entities), list(parsed.issues)


def test_2024_counts_match_the_published_figures(
    sdn_2024: tuple[list[ListEntity], list[object]],
) -> None:
    entities, issues = sdn_2024
    assert len(entities) == 14965
    assert issues == []
    programs = Counter(p for e in entities for p in e.programs)
    # figures from shared/data/sanctions/README.md
    assert programs["RUSSIA-EO14024"] == 4439
    assert programs["SDNTK"] == 1439
    assert programs["ILLICIT-DRUGS-EO14059"] == 293
    assert programs["SDNT"] == 216
    assert sum(1 for e in entities if NARCOTICS & set(e.programs)) == 1930


def test_2024_entry_with_wallets_weak_aliases_and_ids(
    sdn_2024: tuple[list[ListEntity], list[object]],
) -> None:
    yan = next(e for e in sdn_2024[0] if e.entity_id == "25308")
    assert yan.entity_type is EntityType.PERSON
    assert yan.primary_name == "YAN, Xiaobing"
    assert [(n.name, n.strength) for n in yan.names[1:]] == [
        ("ZHOU, William", AliasStrength.WEAK),
        ("YAN, Steven", AliasStrength.WEAK),
    ]
    assert yan.programs == ("SDNTK",)
    assert yan.countries == ("CN",)
    assert yan.birth_dates == ("1977-03-25",)
    kinds = Counter(i.kind for i in yan.identifiers)
    assert kinds["wallet"] == 6 and kinds["national_id"] == 1
    assert yan.source_line is not None and yan.source_line > 1


def test_2024_types_and_identifier_kinds(sdn_2024: tuple[list[ListEntity], list[object]]) -> None:
    entities = sdn_2024[0]
    types = Counter(e.entity_type for e in entities)
    assert types[EntityType.PERSON] == 6854
    assert types[EntityType.VESSEL] == 851
    assert types[EntityType.AIRCRAFT] == 376
    assert types[EntityType.ORGANIZATION] == 6884
    uscc = [i for e in entities for i in e.identifiers if i.kind == "tax" and i.country == "CN"]
    assert len(uscc) >= 80  # 84 "Unified Social Credit Code" segments in the file
    assert any(i.kind == "tax" and i.country == "MX" for e in entities for i in e.identifiers)


def test_2022_triple_joins_aliases_and_addresses(sanctions_data: Path) -> None:
    parsed = read_ofac_csv(sanctions_data / "ofac_sdn_2022-01-31")
    entities = list(parsed.entities)
    assert (
        len(entities) == 9044
    )  # the store reports the repeated ent_num 2677 (see test_list_store)
    assert [f.path.name for f in parsed.files] == ["sdn.csv", "add.csv", "alt.csv"]
    assert parsed.publish_date.day is not None and parsed.publish_date.source == "folder_name"
    # the last row re-uses ent_num 2677 (a different name): it would get 2677's aliases again
    assert entities[-1].entity_id == "2677" and entities[-1].source_line == 9044
    strong = sum(1 for e in entities[:-1] for n in e.names if n.strength is AliasStrength.STRONG)
    with (sanctions_data / "ofac_sdn_2022-01-31" / "alt.csv").open(encoding="cp1252") as handle:
        alt_rows = [r for r in csv.reader(handle) if len(r) == 5]
    assert strong == len(alt_rows) > 12000
    with (sanctions_data / "ofac_sdn_2022-01-31" / "add.csv").open(encoding="cp1252") as handle:
        with_address = {
            r[0] for r in csv.reader(handle) if len(r) == 6 and {*r[2:5]} - {"-0- ", "-0-"}
        }
    assert {e.entity_id for e in entities if e.addresses} == with_address - {"34489"}
    orphans = [i for i in parsed.issues if "not in sdn.csv" in i.message]
    assert [(i.file, i.line) for i in orphans] == [("add.csv", 13625)]


def test_folder_without_sdn_csv_loads_as_alias_list(sanctions_data: Path) -> None:
    folder = sanctions_data / "ofac_sdn_2026-06-02"
    parsed = read_ofac_csv(folder)
    entities = list(parsed.entities)
    assert parsed.list_name == "us_ofac_sdn_aliases"
    assert parsed.publish_date.day is not None and str(parsed.publish_date.day) == "2026-06-02"
    with (folder / "alt.csv").open(encoding="cp1252") as handle:
        alt_rows = [r for r in csv.reader(handle) if len(r) == 5]
    assert sum(len(e.names) for e in entities) == len(alt_rows)
    assert len(entities) == len({r[0] for r in alt_rows})
    assert all(e.entity_type is EntityType.UNKNOWN and not e.programs for e in entities)
    assert all(n.strength is AliasStrength.STRONG for e in entities for n in e.names)
    (summary,) = parsed.issues
    assert summary.file == "add.csv" and "names are only in sdn.csv" in summary.message


def test_folder_with_neither_sdn_nor_alt_is_refused(tmp_path: Path, sanctions_data: Path) -> None:
    folder = tmp_path / "ofac_sdn_2026-06-02"
    folder.mkdir()
    shutil.copy(sanctions_data / "ofac_sdn_2026-06-02" / "add.csv", folder / "add.csv")
    with pytest.raises(ListLoadError, match=r"neither sdn\.csv nor alt\.csv"):
        read_ofac_csv(folder)


def test_remarks_overflow_continues_mid_word(tmp_path: Path, sanctions_data: Path) -> None:
    """sdn.csv cuts Remarks at 1,000 characters; sdn_comments.csv continues them mid-word.
    (2024-05-03 sdn.csv joined with the 2025-01-06 sdn_comments.csv: ent_num is stable.)"""
    folder = tmp_path / "ofac_sdn_2024-05-03"
    folder.mkdir()
    shutil.copy(sanctions_data / "ofac_sdn_2024-05-03" / "sdn.csv", folder / "sdn.csv")
    shutil.copy(sanctions_data / "ofac_sdn_2025-01-06" / "sdn_comments.csv", folder)
    parsed = read_ofac_csv(folder)
    entry = next(e for e in parsed.entities if e.entity_id == "27307")
    weak = [n.name for n in entry.names if n.strength is AliasStrength.WEAK]
    assert "WHOIS HACKING TEAM" in weak and "RED DOT" in weak  # split across the two files
    assert entry.remarks is not None and "WHOIS HACKING TEAM" in entry.remarks


def test_bad_rows_are_reported_with_line_and_good_rows_kept(
    tmp_path: Path, sanctions_data: Path
) -> None:
    lines = (sanctions_data / "ofac_sdn_2024-05-03" / "sdn.csv").read_bytes().split(b"\r\n")
    broken = [
        *lines[:3],
        b'abc,"NOT A NUMBER",-0- ,"CUBA"',
        lines[3],
        b'77,"TOO FEW FIELDS"',
        *lines[4:10],
    ]
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"\r\n".join(broken) + b"\r\n\x1a")
    parsed = read_ofac_csv(path)
    entities = list(parsed.entities)
    assert len(entities) == 10
    assert [(i.line, i.message.split(":")[0]) for i in parsed.issues] == [
        (4, "expected 12 fields, found 4"),
        (6, "expected 12 fields, found 2"),
    ]
