"""Names taken apart: transliteration, legal forms (rigour), places, sector words, core."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from precursor_watch.parties.normalization import normalize_name
from precursor_watch.parties.transliteration import ccc_available, decode_ccc, to_latin

CASES = Path(__file__).resolve().parents[1] / "cases" / "party_normalization.csv"
ROWS = list(csv.DictReader(CASES.open(encoding="utf-8")))


@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_name_is_taken_apart(row: dict[str, str]) -> None:
    name = normalize_name(row["name"])
    assert " ".join(name.core) == row["core"]
    assert name.places == frozenset(row["places"].split())
    assert set(name.generics) == set(row["generics"].split())
    assert set(name.legal_classes) == set(row["legal_classes"].split())


def test_scripts_become_latin() -> None:
    assert to_latin("湖北") == "hu bei"
    assert to_latin("Шевченко") == "shevchenko"
    assert to_latin("Ñúñez") == "nunez"


@pytest.mark.skipif(not ccc_available(), reason="Unihan data (Debian unicode-data) not installed")
def test_chinese_commercial_codes_decode_with_unihan() -> None:
    # ZHANG, Lei (SDN 16318) publishes "Chinese Commercial Code 1728 4320".
    assert decode_ccc("1728 4320") == "张磊"
    assert decode_ccc("5170 3057 1344") == "胡永安"
    assert decode_ccc("9999 0000 12") is None


def test_place_table_romanizations_agree_with_pypinyin() -> None:
    from pypinyin import lazy_pinyin

    places = Path(__file__).resolve().parents[2] / "src/precursor_watch/parties/data/cn_places.csv"
    for row in csv.DictReader(places.open(encoding="utf-8")):
        pinyin = "".join(lazy_pinyin(row["han"]))
        spellings = {"".join(n.lower().replace("'", "").split()) for n in row["names"].split("|")}
        # 陕西 is romanized Shaanxi by convention, to tell it from 山西 Shanxi.
        assert pinyin in spellings or row["han"] == "陕西", row
