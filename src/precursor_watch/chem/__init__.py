"""The chemistry engine: the only package of precursor-watch that imports RDKit.

Public API (plain values in, frozen dataclasses out; RDKit molecules travel as opaque ``mol``):

* ``detect_structure_kind(text)``, ``parse_structure(text)`` -> ``ParsedStructure``
* ``standardize(mol)``, ``standardize_text(text)`` -> ``StandardStructure``
* ``ClassRuleEngine(rules).match(std)`` -> ``{rule_id: atom indices}``
* ``DesignerWatch(parents).find(std)`` -> ``(Resemblance, ...)`` (designer-precursor watch)
* ``draw_svg(mol_or_smiles, highlight_atoms)`` -> SVG text
* ``names_to_structures(names)`` -> ``{name: OpsinResult}`` (OPSIN, one JVM per batch)
* ``engine_versions()`` -> RDKit, InChI, OPSIN and data-table versions for results to record
* ``inchikey``, ``connectivity_block``, ``formula``, ``morgan_fingerprint``, ``tanimoto``

Errors: ``StructureError`` (a malformed structure; subclass of ``InvalidQueryError``) and
``InvalidPatternError`` (a bad SMARTS in data; subclass of ``DataError``).
"""

from __future__ import annotations

from precursor_watch.chem.class_rules import ClassRuleEngine, CompiledRule
from precursor_watch.chem.drawing import draw_svg
from precursor_watch.chem.errors import InvalidPatternError, StructureError
from precursor_watch.chem.identity import (
    composition,
    connectivity_block,
    formula,
    inchikey,
    morgan_fingerprint,
    tanimoto,
)
from precursor_watch.chem.modifications import (
    FAMILIES,
    Modification,
    bundled_modifications,
    compile_modification,
)
from precursor_watch.chem.opsin import OpsinResult, looks_systematic, names_to_structures
from precursor_watch.chem.parse import (
    ParsedStructure,
    detect_structure_kind,
    is_inchikey,
    looks_like_smiles,
    parse_structure,
)
from precursor_watch.chem.resemblance import DesignerWatch, Resemblance, WatchParent
from precursor_watch.chem.standardize import StandardStructure, standardize, standardize_text
from precursor_watch.chem.versions import engine_versions

__all__ = [
    "FAMILIES",
    "ClassRuleEngine",
    "CompiledRule",
    "DesignerWatch",
    "InvalidPatternError",
    "Modification",
    "OpsinResult",
    "ParsedStructure",
    "Resemblance",
    "StandardStructure",
    "StructureError",
    "WatchParent",
    "bundled_modifications",
    "compile_modification",
    "composition",
    "connectivity_block",
    "detect_structure_kind",
    "draw_svg",
    "engine_versions",
    "formula",
    "inchikey",
    "is_inchikey",
    "looks_like_smiles",
    "looks_systematic",
    "morgan_fingerprint",
    "names_to_structures",
    "parse_structure",
    "standardize",
    "standardize_text",
    "tanimoto",
]
