"""SVG drawings of molecules, the atoms that matched (and the bonds between them) highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from rdkit import Chem
from rdkit.Chem.Draw import rdMolDraw2D

from precursor_watch.chem.errors import StructureError
from precursor_watch.chem.parse import parse_structure
from precursor_watch.chem.rdkit_log import capture_rdkit_errors

HIGHLIGHT_RGB: Final = (1.0, 0.55, 0.2)
"""Orange; appears in the SVG as ``#FF8C33``."""


def _bonds_between(mol: Any, atoms: set[int]) -> list[int]:
    return [
        bond.GetIdx()
        for bond in mol.GetBonds()
        if bond.GetBeginAtomIdx() in atoms and bond.GetEndAtomIdx() in atoms
    ]


def draw_svg(
    mol_or_smiles: Any,
    highlight_atoms: Sequence[int] = (),
    legend: str = "",
    size: tuple[int, int] = (420, 300),
) -> str:
    """SVG text of the molecule; ``highlight_atoms`` (indices into it) and their bonds in orange.

    Accepts an RDKit molecule or a structure text. Raises ``StructureError`` for a bad structure
    or an atom index outside the molecule.
    """
    mol = parse_structure(mol_or_smiles).mol if isinstance(mol_or_smiles, str) else mol_or_smiles
    if mol is None or not hasattr(mol, "GetNumAtoms"):
        raise StructureError("draw_svg needs a molecule or a structure text")
    atoms = sorted({int(i) for i in highlight_atoms})
    if atoms and (atoms[0] < 0 or atoms[-1] >= mol.GetNumAtoms()):
        raise StructureError(f"highlighted atom index out of range 0..{mol.GetNumAtoms() - 1}")
    width, height = size
    with capture_rdkit_errors() as log:
        try:
            prepared = rdMolDraw2D.PrepareMolForDrawing(Chem.Mol(mol))
            drawer = rdMolDraw2D.MolDraw2DSVG(width, height)
            bonds = _bonds_between(prepared, set(atoms))
            drawer.DrawMolecule(
                prepared,
                legend=legend,
                highlightAtoms=atoms,
                highlightBonds=bonds,
                highlightAtomColors=dict.fromkeys(atoms, HIGHLIGHT_RGB),
                highlightBondColors=dict.fromkeys(bonds, HIGHLIGHT_RGB),
            )
            drawer.FinishDrawing()
        except Exception as exc:
            raise StructureError(f"drawing failed: {log.first(str(exc))}") from exc
    return str(drawer.GetDrawingText())
