"""Reference tables: sourced entries only, consistent with the knowledge base."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from precursor_watch.rules.facts import is_essential_text
from precursor_watch.rules.reference import hs_digits, load_hs_codes, load_reference_data, parse_hs

SHARED_PRECURSORS = Path("/work/shared/data/precursors.csv")


def test_thresholds_are_sourced_and_match_the_knowledge_base() -> None:
    ref = load_reference_data()
    assert ref.thresholds
    for t in ref.thresholds:
        assert t.citation and t.url.startswith("http"), t
        assert t.unit in ("kg", "L") and t.quantity >= 0
        kb = ref.hs_codes.get(t.substance_id)
        assert kb is not None, f"{t.substance_id} not in the knowledge base"
        assert ref.hs_codes.get(t.cas) == kb, f"{t.cas} is not the CAS of {t.substance_id}"


def test_corridors_are_sourced_and_name_a_known_family() -> None:
    ref = load_reference_data()
    families = set().union(*ref.families.values())
    for c in ref.corridors:
        assert c.source and c.url.startswith("http"), c
        assert c.family in families
        assert len(c.origin) == 2 and len(c.destination) == 2


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2933.37 (HS 2022; 2933.39 before 2022)", ("293337", 6)),
        ("2933.39", ("293339", 6)),
        ("2933 (heading; subheading not verified)", ("2933", 4)),
        ("", None),
        ("n/a", None),
    ],
)
def test_parse_hs(cell: str, expected: object) -> None:
    assert parse_hs(cell) == expected


def test_hs_digits() -> None:
    assert hs_digits("2933.39.90") == "29333990"
    assert hs_digits(" 2933399073 ") == "2933399073"
    assert hs_digits(None) == ""


@pytest.mark.skipif(not SHARED_PRECURSORS.is_file(), reason="shared data not available")
def test_hs_codes_load_from_the_reference_precursor_table() -> None:
    codes = load_hs_codes(SHARED_PRECURSORS.read_text(encoding="utf-8"))
    with SHARED_PRECURSORS.open(encoding="utf-8") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert codes["npp"].code == "293337"
    assert codes["39742-60-4"] is codes["npp"]
    assert codes["anpp"].code == "293336"
    assert set(codes) >= {sid for sid, r in rows.items() if parse_hs(r["hs_code"])}


@pytest.mark.parametrize(
    ("category", "text", "hits"),
    [
        ("po_box", "P.O. Box 4411, Chicago", ("p.o. box",)),
        ("po_box", "PO Box 7", ("po box",)),
        ("po_box", "12 Boxwood Lane", ()),
        ("residential", "Apartment 12B, 300 Elm Street", ("apartment",)),
        ("residential", "2 Warehouse Road", ()),
        ("labelling", "GHS hazard labels in English", ()),
        ("labelling", "plain packaging, no labels please", ("plain", "no labels")),
        ("labelling", "Declare as cleaning agent", ("declare as",)),
        ("payment_crypto", "Bitcoin (BTC)", ("bitcoin", "btc")),
        ("payment_cash", "cash on delivery", ("cash", "cash on delivery")),
        ("payment_cash", "cashier's cheque", ()),
        ("innocuous", "strawberry flavour ingredient", ("flavour",)),
        ("innocuous", None, ()),
    ],
)
def test_term_hits_match_whole_words(
    category: str, text: str | None, hits: tuple[str, ...]
) -> None:
    assert load_reference_data().term_hits(category, text) == hits


@pytest.mark.parametrize(
    ("listing", "essential"),
    [
        ("1988 Convention Table II Acetone", True),
        ("1988 Convention Table I N-Phenethyl-4-piperidone", False),
        ("US List II (21 CFR 1310.02) Acetone", True),
        ("US List I (21 CFR 1310.02) Piperidine", False),
        ("EU Category 3 (Reg. 273/2004, 111/2005) Toluene", True),
        ("EU Category 2B (Reg. 273/2004) Piperidine", False),
        ("CN precursor chemicals catalogue (Category III) Acetone", True),
        ("CN precursor chemicals catalogue (Category II) 4-AP", False),
        ("US CSA Schedule II immediate precursor ANPP", False),
    ],
)
def test_essential_level(listing: str, essential: bool) -> None:
    assert is_essential_text(listing) is essential
