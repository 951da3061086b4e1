"""Structure pictures for pages: the screened molecule with the atoms that matched highlighted.

The screening result carries the standardized SMILES; this module standardizes it again (the same
standardizer, so the same parent) and asks the screener's own class-rule engine and designer watch
which atoms they matched on that molecule, so the highlighted atoms are exactly the ones the rule
or resemblance used. Drawing is ``precursor_watch.chem.draw_svg`` (RDKit lives only in ``chem``).
"""

from __future__ import annotations

from typing import Any

from precursor_watch.domain import SubstanceScreening

PICTURE_SIZE = (420, 300)


def highlighted_atoms(screener: Any, result: SubstanceScreening, mol_structure: Any) -> list[int]:
    """Atoms of ``mol_structure`` matched by the rules and resemblances the result reports."""
    atoms: set[int] = set()
    rule_ids = {c.rule_id for c in result.controls if c.rule_id}
    if not result.controls:  # watch: screening rules and designer resemblance
        rule_ids |= {r.rule_id for r in screener.screening_rules}
        for found in screener.watch.find(mol_structure):
            atoms.update(found.atoms)
    for rule_id, matched in screener.rule_engine.match(mol_structure).items():
        if rule_id in rule_ids:
            atoms.update(matched)
    return sorted(atoms)


def substance_svg(result: SubstanceScreening, legend: str | None = None) -> str | None:
    """The SVG of a screened substance, or None when the query did not resolve to a structure."""
    if result.substance is None or not result.substance.smiles:
        return None
    from precursor_watch.chem import draw_svg, standardize_text
    from precursor_watch.substances.screening import default_screener

    screener = default_screener()
    structure = standardize_text(result.substance.smiles)
    atoms = highlighted_atoms(screener, result, structure)
    name = legend if legend is not None else result.substance.name
    svg: str = draw_svg(structure.mol, atoms, name, PICTURE_SIZE)
    return svg


def smiles_svg(smiles: str, legend: str = "") -> str:
    """A plain drawing of a SMILES (knowledge-base examples, order lines)."""
    from precursor_watch.chem import draw_svg

    svg: str = draw_svg(smiles, (), legend, PICTURE_SIZE)
    return svg
