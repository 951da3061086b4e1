"""Standardize a molecule to its parent: the structure every salt, hydrate and isomer shares.

Steps (ChEMBL-pipeline style; every change is recorded in ``removed``/``issues``):

1. **Fast path**: one fragment, no formal charge (nitro groups aside), no metal: nothing to
   strip or neutralize. For SMILES input this is read from the text, without RDKit.
2. Metals bonded to O/N/halogen are disconnected (``rdMolStandardize.MetalDisconnector``).
3. Fragments listed in ``chem/data/salts_solvents.csv`` (water, acids, counter-ions, solvents) are
   removed as long as an organic fragment not in the table remains; the largest remaining organic
   fragment is the parent. Other organic fragments of a mixture are reported in
   ``dropped_components`` so a screener can look at them too.
4. Inputs without any carbon (KMnO4, HCl, red phosphorus) are inorganic substances in their own
   right: their fragments are kept (only water of hydration goes) and nothing is neutralized.
5. The parent is neutralized (``rdMolStandardize.Uncharger``).

Identity fields are **computed on first use** and then cached on the object: ``smiles``
(canonical, with stereo), ``stereo_removed_smiles``, ``has_stereo``, ``inchikey`` and
``connectivity``. InChI is the most expensive step (about 150 us); a screener that first compares
``composition`` (heavy-atom counts, always computed, free) with the compositions it knows skips
it for nearly every unseen structure: equal connectivity blocks imply equal heavy-atom
composition, since tautomers and protonation states only move hydrogens.

Stereo is kept in ``smiles`` and dropped in ``stereo_removed_smiles``; the connectivity block of
the InChIKey is the stereo-insensitive identity. Tautomers are not enumerated (too slow for the
hot path): standard InChI's mobile-H layer makes the connectivity block the same for the common
heteroatom tautomers (2-pyridone/2-hydroxypyridine, amide/imidic acid), and aliphatic enols are
rewritten as ketones before that block is computed (``identity.keto_form``); other carbon
tautomers (enamine/imine, ring-chain) stay distinct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Final

from rdkit import Chem
from rdkit.Chem.MolStandardize import rdMolStandardize

from precursor_watch.chem.errors import StructureError
from precursor_watch.chem.identity import (
    Composition,
    composition_from_formula,
    connectivity_block,
    formula,
    inchikey,
    keto_form,
)
from precursor_watch.chem.parent_fragment import ParentChoice, choose_parent, is_organic
from precursor_watch.chem.parse import KIND_SMILES, parse_structure
from precursor_watch.chem.rdkit_log import capture_rdkit_errors

NONMETALS: Final = frozenset(
    {1, 2, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 33, 34, 35, 36, 52, 53, 54}
)
"""Every other element is treated as a metal (slow path; bonds to it are disconnected)."""
_ORGANIC_SYMBOLS: Final = frozenset(
    ("H", "B", "C", "N", "O", "F", "Si", "P", "S", "Cl", "Br", "I", "Se",
     "b", "c", "n", "o", "p", "s", "se")
)  # fmt: skip
"""Bracket-atom symbols that do not send a SMILES to the slow path."""
_BRACKET_ATOM: Final = re.compile(r"\[\d*([A-Z][a-z]?|[a-z]{1,2})")
CACHE_SIZE: Final = 8192
_NITRO: Final = re.compile(r"\[N\+\]\(=O\)\[O-\]|\[O-\]\[N\+\]\(=O\)|O=\[N\+\]\(\[O-\]\)")
_QUERY_TEXT: Final = re.compile(r"[*~$:]")
_INCHI_BONDS: Final = frozenset(
    {Chem.BondType.SINGLE, Chem.BondType.DOUBLE, Chem.BondType.TRIPLE, Chem.BondType.AROMATIC}
)
_CHARGE: Final = re.compile(r"[+\-]\d*\]")


@dataclass(frozen=True)
class StandardStructure:
    """The standardized parent of a structure and how it was obtained.

    ``mol`` is the parent ``rdkit.Chem.Mol`` (read-only, typed ``Any``); ``removed`` names the
    stripped salt/solvent fragments; ``dropped_components`` holds SMILES of other organic
    components of a mixture. ``smiles``, ``inchikey``, ``connectivity`` (first InChIKey block),
    ``has_stereo`` and ``stereo_removed_smiles`` are computed on first access; ``inchikey`` and
    ``connectivity`` raise ``StructureError`` if InChI cannot describe the parent.
    """

    mol: Any
    formula: str
    composition: Composition
    removed: tuple[str, ...] = ()
    neutralized: bool = False
    dropped_components: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()

    @cached_property
    def smiles(self) -> str:
        """Canonical SMILES of the parent, with stereo."""
        return str(Chem.MolToSmiles(self.mol))

    @cached_property
    def has_stereo(self) -> bool:
        smiles = self.smiles
        return "@" in smiles or "/" in smiles or "\\" in smiles

    @cached_property
    def stereo_removed_smiles(self) -> str:
        """Canonical SMILES without stereo (and without isotopes)."""
        if not self.has_stereo:
            return self.smiles
        return str(Chem.MolToSmiles(self.mol, isomericSmiles=False))

    @cached_property
    def inchikey(self) -> str:
        """Standard InChIKey of the parent."""
        return inchikey(self.mol)

    @cached_property
    def connectivity(self) -> str:
        """First InChIKey block (of the keto form for an enol): the stereo- and
        tautomer-insensitive identity. Equal to ``inchikey[:14]`` unless the parent is an enol."""
        keto = keto_form(self.mol)
        return connectivity_block(self.inchikey if keto is self.mol else inchikey(keto))


def _unusual_elements(smiles: str) -> bool:
    """True when a bracket atom of the SMILES text is a metal or other non-organic element."""
    return any(sym not in _ORGANIC_SYMBOLS for sym in _BRACKET_ATOM.findall(smiles))


def _text_needs_full_path(smiles: str) -> bool:
    """Several fragments, a formal charge (other than nitro) or a metal, read from SMILES text."""
    if "." in smiles:
        return True
    if "[" not in smiles:
        return False
    return bool(_CHARGE.search(_NITRO.sub("", smiles))) or _unusual_elements(smiles)


def _mol_needs_full_path(mol: Any) -> bool:
    for atom in mol.GetAtoms():
        if atom.GetFormalCharge() or atom.GetAtomicNum() not in NONMETALS:
            return True
    return len(Chem.GetMolFrags(mol)) > 1


def _reject_dummy_atoms(mol: Any) -> None:
    """Dummy atoms (``*``) describe a pattern, not a substance."""
    if any(atom.GetAtomicNum() == 0 for atom in mol.GetAtoms()):
        raise StructureError(
            "InChI could not be generated: the structure has query or dummy atoms (*)"
        )


def _reject_bonds_inchi_refuses(mol: Any) -> None:
    """Refuse what InChI cannot describe now, rather than when ``inchikey`` is first read.

    Unspecified (``~``), quadruple, dative (RDKit makes bonds to metals dative) and other exotic
    bonds, and aromatic bonds between non-aromatic atoms (``C:C``), are refused by InChI.
    """
    for bond in mol.GetBonds():
        kind = bond.GetBondType()
        if kind not in _INCHI_BONDS:
            raise StructureError(
                f"InChI could not be generated: bond {bond.GetIdx()} is of type {kind.name}"
            )
        ends_aromatic = bond.GetBeginAtom().GetIsAromatic() and bond.GetEndAtom().GetIsAromatic()
        if kind == Chem.BondType.AROMATIC and not ends_aromatic:
            raise StructureError(
                f"InChI could not be generated: aromatic bond {bond.GetIdx()} "
                "between atoms that are not aromatic"
            )


def _has_metal(mol: Any) -> bool:
    return any(atom.GetAtomicNum() not in NONMETALS for atom in mol.GetAtoms())


def _charged_atoms(mol: Any) -> int:
    return sum(1 for atom in mol.GetAtoms() if atom.GetFormalCharge())


def _neutralize(mol: Any) -> tuple[Any, bool, list[str]]:
    before = _charged_atoms(mol)
    if not before:
        return mol, False, []
    uncharged = rdMolStandardize.Uncharger(canonicalOrder=True).uncharge(mol)
    changed = _charged_atoms(uncharged) != before
    still = Chem.GetFormalCharge(uncharged)
    issues = [f"parent keeps a net charge of {still:+d}"] if still else []
    return uncharged, changed, issues


def standardize(mol: Any, *, smiles_text: str | None = None) -> StandardStructure:
    """Standardize an RDKit molecule to its parent (see module docstring); never returns None.

    ``smiles_text``, when the molecule was parsed from that SMILES, lets the fast-path test read
    the text instead of the atoms. Raises ``StructureError`` (with the reason) when the molecule
    cannot be standardized.
    """
    if mol is None or not hasattr(mol, "GetAtoms"):
        raise StructureError("standardize needs a parsed molecule")
    check_bonds = smiles_text is None or bool(_QUERY_TEXT.search(smiles_text))
    if smiles_text is not None and not check_bonds and "[" in smiles_text:
        check_bonds = _unusual_elements(smiles_text)
    if check_bonds:
        _reject_dummy_atoms(mol)
    choice = ParentChoice(mol)
    neutralized = False
    issues: list[str] = []
    slow = _text_needs_full_path(smiles_text) if smiles_text else _mol_needs_full_path(mol)
    if slow:
        with capture_rdkit_errors() as log:
            try:
                disconnected = mol
                metal = _unusual_elements(smiles_text) if smiles_text else _has_metal(mol)
                if metal and is_organic(mol):
                    disconnected = rdMolStandardize.MetalDisconnector().Disconnect(mol)
                    smiles_text = None  # the fragments no longer follow the text
                texts = smiles_text.split(".") if smiles_text else None
                choice = choose_parent(disconnected, texts)
                issues.extend(choice.issues)
                parent = choice.parent
                if is_organic(parent):
                    parent, neutralized, charge_issues = _neutralize(parent)
                    issues.extend(charge_issues)
                choice = ParentChoice(parent, choice.removed, choice.dropped_components)
            except Exception as exc:
                raise StructureError(f"standardization failed: {log.first(str(exc))}") from exc
    parent = choice.parent
    if check_bonds:
        _reject_bonds_inchi_refuses(parent)
    hill = formula(parent)
    return StandardStructure(
        mol=parent,
        formula=hill,
        composition=composition_from_formula(hill),
        removed=choice.removed,
        neutralized=neutralized,
        dropped_components=choice.dropped_components,
        issues=tuple(issues),
    )


@lru_cache(maxsize=CACHE_SIZE)
def standardize_text(text: str) -> StandardStructure:
    """Parse (SMILES, InChI or molblock) and standardize; cached (LRU, 8192 entries).

    Raises ``StructureError`` with the reason for any malformed input.
    """
    parsed = parse_structure(text)
    return standardize(parsed.mol, smiles_text=parsed.text if parsed.kind == KIND_SMILES else None)
