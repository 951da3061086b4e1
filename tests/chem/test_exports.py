"""The public API of the chemistry engine is locked: a change to it must be deliberate."""

from __future__ import annotations

import precursor_watch.chem as chem

EXPECTED = {
    "FAMILIES", "ClassRuleEngine", "CompiledRule", "DesignerWatch", "InvalidPatternError",
    "Modification", "OpsinResult", "ParsedStructure", "Resemblance", "StandardStructure",
    "StructureError", "WatchParent", "bundled_modifications", "compile_modification",
    "composition", "connectivity_block", "detect_structure_kind", "draw_svg", "engine_versions", "formula",
    "inchikey", "is_inchikey", "looks_like_smiles", "looks_systematic", "morgan_fingerprint",
    "names_to_structures", "parse_structure", "standardize", "standardize_text", "tanimoto",
}  # fmt: skip


def test_all_is_locked_and_importable() -> None:
    assert set(chem.__all__) == EXPECTED
    for name in chem.__all__:
        assert getattr(chem, name) is not None


def test_structure_error_is_an_invalid_query_error() -> None:
    from precursor_watch.errors import DataError, InvalidQueryError

    assert issubclass(chem.StructureError, InvalidQueryError)
    assert issubclass(chem.InvalidPatternError, DataError)


def test_engine_versions_name_every_component() -> None:
    versions = chem.engine_versions()
    assert set(versions) == {
        "rdkit",
        "inchi",
        "py2opsin",
        "opsin",
        "salts_solvents",
        "modifications",
    }
    assert versions["opsin"] == "2.9.0"
    assert all(len(versions[k]) == 16 for k in ("salts_solvents", "modifications"))


def test_rule_set_digest_changes_with_the_rules() -> None:
    a = chem.ClassRuleEngine([("A", "C=O")])
    assert a.digest == chem.ClassRuleEngine([("A", "C=O")]).digest
    assert a.digest != chem.ClassRuleEngine([("A", "C=N")]).digest
