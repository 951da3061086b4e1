from __future__ import annotations

import pytest

from precursor_watch.chem import standardize_text
from tests.chem.cases_io import read_cases, split_list

SALTS = read_cases("salts.csv")
INORGANIC = read_cases("inorganic.csv")
STEREO = read_cases("stereo.csv")


@pytest.mark.parametrize("case", SALTS, ids=[c["name"] for c in SALTS])
def test_salts_standardize_to_the_parent(case: dict[str, str]) -> None:
    salt = standardize_text(case["salt_smiles"])
    parent = standardize_text(case["parent_smiles"])
    assert salt.connectivity == parent.connectivity
    assert salt.inchikey == parent.inchikey
    assert salt.smiles == parent.smiles
    assert sorted(salt.removed) == sorted(split_list(case["removed"]))
    assert parent.removed == () and salt.dropped_components == ()


@pytest.mark.parametrize("case", INORGANIC, ids=[c["name"] for c in INORGANIC])
def test_inorganic_substances_keep_their_fragments(case: dict[str, str]) -> None:
    std = standardize_text(case["smiles"])
    assert std.formula == case["expected_formula"]
    assert list(std.removed) == split_list(case["removed"])
    assert not std.neutralized


@pytest.mark.parametrize("case", STEREO, ids=[f"{c['name_a']}|{c['name_b']}" for c in STEREO])
def test_stereo_and_tautomer_identity(case: dict[str, str]) -> None:
    a = standardize_text(case["smiles_a"])
    b = standardize_text(case["smiles_b"])
    assert (a.connectivity == b.connectivity) == (case["same_connectivity"] == "yes")
    assert (a.inchikey == b.inchikey) == (case["same_inchikey"] == "yes")


def test_stereo_fields() -> None:
    std = standardize_text("CN[C@@H](C)[C@H](O)c1ccccc1")
    assert std.has_stereo
    assert std.stereo_removed_smiles == "CNC(C)C(O)c1ccccc1"
    assert std.smiles != std.stereo_removed_smiles
    flat = standardize_text("CNC(C)C(O)c1ccccc1")
    assert not flat.has_stereo and flat.stereo_removed_smiles == flat.smiles


def test_mixture_reports_the_other_components() -> None:
    std = standardize_text("CCC(=O)N(c1ccccc1)C1CCNCC1.Nc1ccccc1.CCO")
    assert std.smiles == "CCC(=O)N(c1ccccc1)C1CCNCC1"
    assert std.dropped_components == ("Nc1ccccc1",)
    assert std.removed == ("ethanol",)
    assert any("mixture" in issue for issue in std.issues)


def test_neutralization_is_recorded() -> None:
    std = standardize_text("CCC(=O)N(c1ccccc1)C1CC[NH+](CCc2ccccc2)CC1")
    assert std.neutralized and std.formula == "C22H28N2O"
    quaternary = standardize_text("C[N+](C)(C)CCc1ccccc1.[I-]")
    assert any("net charge of +1" in issue for issue in quaternary.issues)


def test_a_known_solvent_alone_is_the_substance() -> None:
    std = standardize_text("CCOC(C)=O")
    assert std.smiles == "CCOC(C)=O" and std.removed == ()


def test_formula_and_key_of_fentanyl() -> None:
    std = standardize_text("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")
    assert std.formula == "C22H28N2O"
    # InChIKey of fentanyl as listed in /work/shared/data/precursors.csv is for its precursors;
    # the key below is fentanyl's published standard InChIKey (PubChem CID 3345).
    assert std.inchikey == "PJMPHNIQZUBGLI-UHFFFAOYSA-N"
    assert std.connectivity == "PJMPHNIQZUBGLI"


def test_cache_returns_the_same_object() -> None:
    assert standardize_text("O=C1CCNCC1") is standardize_text("O=C1CCNCC1")


@pytest.mark.parametrize("case", SALTS[:6], ids=[c["name"] for c in SALTS[:6]])
def test_salts_given_as_inchi_or_molblock_reach_the_same_parent(case: dict[str, str]) -> None:
    from rdkit import Chem
    from rdkit.Chem import rdinchi

    mol = Chem.MolFromSmiles(case["salt_smiles"])
    parent = standardize_text(case["parent_smiles"])
    for text in (rdinchi.MolToInchi(mol, "")[0], Chem.MolToMolBlock(mol)):
        std = standardize_text(text)
        assert std.connectivity == parent.connectivity
        assert sorted(std.removed) == sorted(split_list(case["removed"]))


def test_deuterated_parent_shares_the_connectivity_block() -> None:
    d5 = standardize_text("CCC(=O)N(c1c([2H])c([2H])c([2H])c([2H])c1[2H])C1CCN(CCc2ccccc2)CC1")
    plain = standardize_text("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")
    assert d5.connectivity == plain.connectivity and d5.inchikey != plain.inchikey
