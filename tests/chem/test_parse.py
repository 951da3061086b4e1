from __future__ import annotations

import pytest

from precursor_watch.chem import (
    StructureError,
    detect_structure_kind,
    parse_structure,
    standardize_text,
)
from precursor_watch.errors import InvalidQueryError
from tests.chem.cases_io import read_cases

ERRORS = read_cases("parse_errors.csv")
KINDS = read_cases("detect_kind.csv")


@pytest.mark.parametrize("case", ERRORS, ids=[c["text"][:30] for c in ERRORS])
def test_malformed_structures_raise_with_reason(case: dict[str, str]) -> None:
    with pytest.raises(StructureError) as info:
        standardize_text(case["text"])
    assert case["expected_in_message"] in str(info.value)
    assert isinstance(info.value, InvalidQueryError)


@pytest.mark.parametrize("case", KINDS, ids=[c["text"][:30] or "empty" for c in KINDS])
def test_detect_structure_kind(case: dict[str, str]) -> None:
    assert detect_structure_kind(case["text"]) == (case["kind"] or None)


def test_molblock_round_trip() -> None:
    from rdkit import Chem

    block = Chem.MolToMolBlock(Chem.MolFromSmiles("O=C1CCNCC1"))
    assert detect_structure_kind(block) == "molblock"
    parsed = parse_structure(block)
    assert parsed.kind == "molblock"
    assert Chem.MolToSmiles(parsed.mol) == "O=C1CCNCC1"


def test_inchi_parses_to_the_same_structure() -> None:
    std = standardize_text("InChI=1S/C5H9NO/c7-5-1-3-6-4-2-5/h6H,1-4H2")
    assert std.smiles == "O=C1CCNCC1"


def test_too_large_structure_is_rejected() -> None:
    with pytest.raises(StructureError, match="heavy atoms, more than"):
        parse_structure("C" * 600)


def test_non_text_is_rejected() -> None:
    with pytest.raises(StructureError, match="must be text"):
        parse_structure(42)  # type: ignore[arg-type]
