from __future__ import annotations

import pytest
from rdkit import Chem

from precursor_watch.chem import composition, morgan_fingerprint, standardize_text, tanimoto
from precursor_watch.chem.identity import composition_from_formula, formula
from tests.chem.cases_io import read_cases

SMILES = sorted(
    {c["smiles"] for c in read_cases("class_rule_expectations.csv")}
    | {c["salt_smiles"] for c in read_cases("salts.csv")}
    | {"[13CH3]CO", "[2H]C([2H])([2H])N", "C[N+](C)(C)C", "[K+].[O-][Mn](=O)(=O)=O"}
)


@pytest.mark.parametrize("smiles", SMILES)
def test_composition_from_formula_matches_the_atoms(smiles: str) -> None:
    mol = Chem.MolFromSmiles(smiles)
    assert composition_from_formula(formula(mol)) == composition(mol)


def test_tanimoto() -> None:
    npp = standardize_text("O=C1CCN(CCc2ccccc2)CC1").mol
    fluoro = standardize_text("O=C1CCN(CCc2ccc(F)cc2)CC1").mol
    aspirin = standardize_text("CC(=O)Oc1ccccc1C(=O)O").mol
    assert tanimoto(npp, npp) == 1.0
    assert tanimoto(npp, fluoro) == tanimoto(morgan_fingerprint(fluoro), morgan_fingerprint(npp))
    assert tanimoto(npp, aspirin) < 0.2 < tanimoto(npp, fluoro) < 1.0


def test_salt_fast_path_and_slow_path_agree() -> None:
    # the same parent reached by the text fast path and by the full path from a salt
    plain = standardize_text("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")
    salt = standardize_text("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1.Cl")
    assert plain.composition == salt.composition and plain.formula == salt.formula
