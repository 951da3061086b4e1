"""Standardize a molecule to its parent: the structure every salt, hydrate and isomer shares.

Steps (ChEMBL-pipeline style; every change is recorded in ``removed``/``issues``):

1. **Fast path**: one fragment, no formal charge, no metal: nothing to strip or neutralize.
2. Metals bonded to O/N/halogen are disconnected (``rdMolStandardize.MetalDisconnector``).
3. Fragments listed in ``chem/data/salts_solvents.csv`` (water, acids, counter-ions, solvents) are
   removed as long as an organic fragment not in the table remains; the largest remaining organic
   fragment is the parent. Other organic fragments of a mixture are reported in
   ``dropped_components`` so a screener can look at them too.
4. Inputs without any carbon (KMnO4, HCl, red phosphorus) are inorganic substances in their own
   right: their fragments are kept (only water of hydration goes) and nothing is neutralized.
5. The parent is neutralized (``rdMolStandardize.Uncharger``).

Stereo is kept in ``smiles`` and dropped in ``stereo_removed_smiles``; the connectivity block of
the InChIKey is the stereo-insensitive identity. Tautomers are not enumerated (too slow for the
hot path): standard InChI's mobile-H layer makes the connectivity block the same for the common
heteroatom tautomers; keto/enol pairs stay distinct.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from rdkit import Chem
from rdkit.Chem.MolStandardize import rdMolStandardize

from precursor_watch.chem.errors import StructureError
from precursor_watch.chem.fragment_table import known_fragment, neutral_key
from precursor_watch.chem.identity import (
    Composition,
    composition,
    connectivity_block,
    formula,
    inchikey,
)
from precursor_watch.chem.parse import parse_structure
from precursor_watch.chem.rdkit_log import capture_rdkit_errors

METALS: Final = frozenset({3, 11, 12, 13, 19, 20, 25, 26, 27, 28, 29, 30, 37, 38, 47, 55, 56, 79})
"""Atomic numbers that send a molecule to the slow path (salts drawn with covalent metal bonds)."""
CACHE_SIZE: Final = 8192


@dataclass(frozen=True, slots=True)
class StandardStructure:
    """The standardized parent of a structure and how it was obtained.

    ``mol`` is the parent ``rdkit.Chem.Mol`` (read-only, typed ``Any``); ``connectivity`` is the
    first InChIKey block; ``removed`` names the stripped salt/solvent fragments;
    ``dropped_components`` holds SMILES of other organic components of a mixture.
    """

    mol: Any
    smiles: str
    inchikey: str
    connectivity: str
    formula: str
    composition: Composition
    removed: tuple[str, ...] = ()
    neutralized: bool = False
    has_stereo: bool = False
    stereo_removed_smiles: str = ""
    dropped_components: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()


def _needs_full_path(mol: Any) -> bool:
    for atom in mol.GetAtoms():
        if atom.GetFormalCharge() or atom.GetAtomicNum() in METALS:
            return True
    return len(Chem.GetMolFrags(mol)) > 1


def _has_carbon(mol: Any) -> bool:
    return any(atom.GetAtomicNum() == 6 for atom in mol.GetAtoms())


def _size_key(fragment: Any) -> tuple[int, float, str]:
    """Largest first: heavy atoms, then mass, then SMILES (for a deterministic choice)."""
    mass = sum(atom.GetMass() for atom in fragment.GetAtoms())
    return (fragment.GetNumHeavyAtoms(), mass, Chem.MolToSmiles(fragment))


def _label(fragment: Any) -> str:
    known = known_fragment(fragment)
    return known.name if known else f"unlisted fragment {Chem.MolToSmiles(fragment)}"


def _choose_parent(mol: Any) -> tuple[Any, list[str], list[str], list[str]]:
    """Pick the parent fragment; return it with removed names, dropped components and issues."""
    fragments = list(Chem.GetMolFrags(mol, asMols=True))
    if len(fragments) == 1:
        return fragments[0], [], [], []
    organic = [f for f in fragments if _has_carbon(f)]
    if not organic:
        kept = [f for f in fragments if neutral_key(f) != "O"] or fragments[:1]
        removed = ["water"] * (len(fragments) - len(kept))
        parent = kept[0]
        for other in kept[1:]:
            parent = Chem.CombineMols(parent, other)
        return parent, removed, [], ["inorganic substance: all fragments but water kept"]
    unknown = [f for f in organic if known_fragment(f) is None]
    pool = sorted(unknown or organic, key=_size_key, reverse=True)
    parent = pool[0]
    dropped_mols = [f for f in unknown if f is not parent]
    removed = [_label(f) for f in fragments if f is not parent and f not in dropped_mols]
    dropped = [Chem.MolToSmiles(f) for f in dropped_mols]
    issues = [f"mixture: kept the largest organic component, also present: {s}" for s in dropped]
    return parent, removed, dropped, issues


def _neutralize(mol: Any) -> tuple[Any, bool, list[str]]:
    if not any(atom.GetFormalCharge() for atom in mol.GetAtoms()):
        return mol, False, []
    uncharged = rdMolStandardize.Uncharger(canonicalOrder=True).uncharge(mol)
    changed = Chem.MolToSmiles(uncharged) != Chem.MolToSmiles(mol)
    still = Chem.GetFormalCharge(uncharged)
    issues = [f"parent keeps a net charge of {still:+d}"] if still else []
    return uncharged, changed, issues


def standardize(mol: Any) -> StandardStructure:
    """Standardize an RDKit molecule to its parent (see module docstring); never returns None.

    Raises ``StructureError`` (with the reason) when the molecule cannot be standardized or
    described by InChI.
    """
    if mol is None or not hasattr(mol, "GetAtoms"):
        raise StructureError("standardize needs a parsed molecule")
    removed: list[str] = []
    dropped: list[str] = []
    issues: list[str] = []
    neutralized = False
    parent = mol
    with capture_rdkit_errors() as log:
        try:
            if _needs_full_path(mol):
                if _has_carbon(mol) and any(a.GetAtomicNum() in METALS for a in mol.GetAtoms()):
                    parent = rdMolStandardize.MetalDisconnector().Disconnect(mol)
                parent, removed, dropped, issues = _choose_parent(parent)
                if _has_carbon(parent):
                    parent, neutralized, charge_issues = _neutralize(parent)
                    issues.extend(charge_issues)
            smiles = Chem.MolToSmiles(parent)
        except Exception as exc:
            raise StructureError(f"standardization failed: {log.first(str(exc))}") from exc
    has_stereo = "@" in smiles or "/" in smiles or "\\" in smiles
    flat = Chem.MolToSmiles(parent, isomericSmiles=False) if has_stereo else smiles
    key = inchikey(parent)
    return StandardStructure(
        mol=parent,
        smiles=smiles,
        inchikey=key,
        connectivity=connectivity_block(key),
        formula=formula(parent),
        composition=composition(parent),
        removed=tuple(removed),
        neutralized=neutralized,
        has_stereo=has_stereo,
        stereo_removed_smiles=flat,
        dropped_components=tuple(dropped),
        issues=tuple(issues),
    )


@lru_cache(maxsize=CACHE_SIZE)
def standardize_text(text: str) -> StandardStructure:
    """Parse (SMILES, InChI or molblock) and standardize; cached (LRU, 8192 entries).

    Raises ``StructureError`` with the reason for any malformed input.
    """
    return standardize(parse_structure(text).mol)
