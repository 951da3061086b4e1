"""The public API of the chemistry engine is locked: a change to it must be deliberate."""

from __future__ import annotations

import precursor_watch.chem as chem

EXPECTED = {
    "FAMILIES", "ClassRuleEngine", "CompiledRule", "DesignerWatch", "InvalidPatternError",
    "Modification", "OpsinResult", "ParsedStructure", "Resemblance", "StandardStructure",
    "StructureError", "WatchParent", "bundled_modifications", "compile_modification",
    "composition", "connectivity_block", "detect_structure_kind", "draw_svg", "formula",
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
