from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from rdkit import Chem

from precursor_watch.chem import (
    DesignerWatch,
    InvalidPatternError,
    WatchParent,
    compile_modification,
    standardize_text,
)
from tests.chem.cases_io import read_cases, split_list

PARENTS = [
    WatchParent(r["substance_id"], r["name"], r["smiles"], tuple(split_list(r["families"])))
    for r in read_cases("watch_parents.csv")
]
WATCH = DesignerWatch(PARENTS)
CASES = read_cases("watch_cases.csv")
DECOYS = read_cases("watch_decoys.csv")


def _elements(mol: Any, atoms: tuple[int, ...]) -> Counter[int]:
    return Counter(mol.GetAtomWithIdx(i).GetAtomicNum() for i in atoms)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_designer_variant_names_parent_and_modification(case: dict[str, str]) -> None:
    std = standardize_text(case["smiles"])
    found = WATCH.find(std)
    pairs = {(r.parent_id, r.modification_id) for r in found}
    assert (case["parent_id"], case["modification_id"]) in pairs, found
    hit = next(r for r in found if r.modification_id == case["modification_id"])
    expected = Chem.MolFromSmiles(case["modification_atoms"])
    expected_atoms = Counter(a.GetAtomicNum() for a in expected.GetAtoms())
    assert _elements(std.mol, hit.atoms) == expected_atoms
    assert 0.0 < hit.similarity < 1.0
    assert hit.modification and hit.family
    assert hit.parent_name == next(p.name for p in PARENTS if p.substance_id == hit.parent_id)


@pytest.mark.parametrize("case", DECOYS, ids=[c["name"] for c in DECOYS])
def test_decoys_resemble_nothing(case: dict[str, str]) -> None:
    assert WATCH.find(standardize_text(case["smiles"])) == ()


def test_symmetric_matches_are_reported_once() -> None:
    # RDKit finds the tert-butyl group six ways; it is one place, one resemblance
    assert len(WATCH.find(standardize_text("CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1"))) == 1


def test_two_modifications_are_not_reported() -> None:
    # dimethoxy-NPP: undoing one methoxy leaves methoxy-NPP, not NPP
    std = standardize_text("COc1ccc(CCN2CCC(=O)CC2)cc1OC")
    assert WATCH.find(std) == ()
    # a Boc on both nitrogens of 4-AP is two modifications: not reported
    assert WATCH.find(standardize_text("CC(C)(C)OC(=O)N1CCC(N(C(=O)OC(C)(C)C)c2ccccc2)CC1")) == ()


def test_family_must_be_allowed_for_the_parent() -> None:
    only_masks = DesignerWatch(
        [WatchParent("4piperidone", "4-Piperidone", "O=C1CCNCC1", ("carbonyl_mask",))]
    )
    assert only_masks.find(standardize_text("CC(C)(C)OC(=O)N1CCC(=O)CC1")) == ()
    assert only_masks.find(standardize_text("C1CC2(CCN1)OCCO2"))


def test_could_resemble_is_a_cheap_superset() -> None:
    for case in CASES:
        assert WATCH.could_resemble(standardize_text(case["smiles"]))
    assert not WATCH.could_resemble(standardize_text("CCCCCCCCCCCCCCCC"))


def test_aromatic_nitrogen_gets_its_hydrogen_back() -> None:
    indole = DesignerWatch(
        [WatchParent("indole", "Indole", "c1ccc2[nH]ccc2c1", ("n_protecting_group",))]
    )
    found = indole.find(standardize_text("CC(C)(C)OC(=O)n1ccc2ccccc21"))
    assert [r.modification_id for r in found] == ["boc"]


def test_bad_parent_and_family_are_data_errors() -> None:
    with pytest.raises(InvalidPatternError, match=r"^x: unknown families"):
        DesignerWatch([WatchParent("x", "X", "CCO", ("colour_change",))])
    with pytest.raises(InvalidPatternError, match=r"^y: parent SMILES: SMILES: unclosed ring"):
        DesignerWatch([WatchParent("y", "Y", "C1CC", ("carbonyl_mask",))])


def test_bad_modification_names_its_id() -> None:
    with pytest.raises(InvalidPatternError, match=r"^broken: invalid reaction SMARTS"):
        compile_modification("broken", "carbonyl_mask", "label", "[C:1](O>>[C:1]")
    with pytest.raises(InvalidPatternError, match=r"^vague: every unmapped atom"):
        compile_modification("vague", "carbonyl_mask", "label", "[C:1]*>>[C:1]")
