"""Facts in OFAC Remarks, table-driven from cases/ofac_remarks.csv (snippets of the real sdn.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from precursor_watch.domain.parties import AliasStrength
from precursor_watch.sources.ofac_remarks import parse_remarks

CASES = list(csv.DictReader((Path(__file__).parent / "cases" / "ofac_remarks.csv").open()))


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['expected_kind']}:{c['expected_value']}" for c in CASES]
)
def test_identifier_found(case: dict[str, str]) -> None:
    facts = parse_remarks(case["remarks"])
    found = {(i.kind, i.value): i.country for i in facts.identifiers}
    key = (case["expected_kind"], case["expected_value"])
    assert key in found, f"{key} not in {found}"
    assert found[key] == (case["expected_country"] or None)


def test_weak_alias_with_apostrophe_inside() -> None:
    facts = parse_remarks(
        "DOB 09 Feb 1951; POB Gaza, Egypt; Political Leader in Amman; a.k.a. 'ABU-'UMAR'."
    )
    assert [(n.name, n.strength, n.kind) for n in facts.weak_aliases] == [
        ("ABU-'UMAR", AliasStrength.WEAK, "aka")
    ]
    assert facts.birth_dates == ("1951-02-09",)


def test_fka_in_remarks_is_a_weak_former_name() -> None:
    facts = parse_remarks("Linked To: NATIONAL IRANIAN TANKER COMPANY; f.k.a. 'ALPHA'.")
    assert [(n.name, n.kind) for n in facts.weak_aliases] == [("ALPHA", "fka")]


@pytest.mark.parametrize(
    ("remarks", "dates"),
    [
        ("DOB 1948; POB Sinaloa, Mexico", ("1948",)),
        ("DOB circa 1965", ("1965",)),
        ("DOB Mar 1977", ("1977-03",)),
        ("DOB 1960 to 1962", ("1960", "1962")),
        ("Organization Established Date 19 Nov 1991", ("1991-11-19",)),
    ],
)
def test_dates(remarks: str, dates: tuple[str, ...]) -> None:
    assert parse_remarks(remarks).birth_dates == dates


def test_nationality_and_citizenship_become_country_codes() -> None:
    facts = parse_remarks(
        "nationality Korea, North; citizen Mexico; Nationality of Registration Iran"
    )
    assert facts.countries == ("KP", "MX", "IR")


def test_unknown_segments_give_no_facts() -> None:
    facts = parse_remarks("Additional Sanctions Information - Subject to Secondary Sanctions")
    assert facts.identifiers == () and facts.countries == () and facts.weak_aliases == ()
