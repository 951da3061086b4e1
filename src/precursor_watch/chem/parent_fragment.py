"""Choose the parent fragment of a multi-fragment structure (salt, hydrate, solvate, mixture).

Rules (the "why" of each is in ``standardize``'s module docstring):

* no fragment contains carbon: an inorganic substance; all fragments are kept except water;
* otherwise fragments found in the salts/solvents table are removed as long as an organic
  fragment not in the table remains; the largest remaining organic fragment (heavy atoms, then
  exact mass, then canonical SMILES) is the parent; other unknown organic fragments are reported
  as dropped components of a mixture.

When the SMILES text is known, fragments are looked up by their own text (cached), so a salt
costs a few dictionary lookups instead of a canonical SMILES per counter-ion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from precursor_watch.chem.fragment_table import KnownFragment, known_by_smiles

_CARBON: Final = re.compile(r"C(?![a-z])")


@dataclass(frozen=True, slots=True)
class ParentChoice:
    """The parent fragment and what was done to get it."""

    parent: Any
    removed: tuple[str, ...] = ()
    dropped_components: tuple[str, ...] = ()
    issues: tuple[str, ...] = field(default=())


def is_organic(mol: Any) -> bool:
    """True when the molecule contains carbon (read from its formula: no Python atom loop)."""
    return bool(_CARBON.search(rdMolDescriptors.CalcMolFormula(mol)))


def _fragment_texts(mol: Any, texts: list[str] | None, count: int) -> list[str]:
    """SMILES text of each fragment: the input's own pieces when they map one to one onto the
    fragments (contiguous atom ranges in order), else canonical SMILES."""
    if texts is not None and len(texts) == count:
        start = 0
        for atoms in Chem.GetMolFrags(mol):
            if atoms != tuple(range(start, start + len(atoms))):
                break
            start += len(atoms)
        else:
            return texts
    return [Chem.MolToSmiles(f) for f in Chem.GetMolFrags(mol, asMols=True)]


def _size(fragment: Any) -> tuple[int, float]:
    return (fragment.GetNumHeavyAtoms(), rdMolDescriptors.CalcExactMolWt(fragment))


def _largest(pool: list[int], fragments: tuple[Any, ...]) -> int:
    sizes = {i: _size(fragments[i]) for i in pool}
    best = max(sizes.values())
    tied = [i for i in pool if sizes[i] == best]
    if len(tied) == 1:
        return tied[0]
    return max(tied, key=lambda i: Chem.MolToSmiles(fragments[i]))


def _label(known: KnownFragment | None, text: str) -> str:
    return known.name if known else f"unlisted fragment {text}"


def choose_parent(mol: Any, texts: list[str] | None = None) -> ParentChoice:
    """Pick the parent of ``mol``; ``texts`` are the '.'-separated pieces of its SMILES, if any."""
    fragments = Chem.GetMolFrags(mol, asMols=True)
    if len(fragments) == 1:
        return ParentChoice(mol)
    pieces = _fragment_texts(mol, texts, len(fragments))
    known = [known_by_smiles(text) for text in pieces]
    organic = [i for i, fragment in enumerate(fragments) if is_organic(fragment)]
    if not organic:
        kept = [i for i, k in enumerate(known) if not (k and k.name == "water")] or [0]
        if len(kept) == len(fragments):
            return ParentChoice(mol, issues=("inorganic substance: all fragments kept",))
        parent = fragments[kept[0]]
        for i in kept[1:]:
            parent = Chem.CombineMols(parent, fragments[i])
        removed = tuple("water" for _ in range(len(fragments) - len(kept)))
        return ParentChoice(parent, removed, (), ("inorganic substance: water removed",))
    unknown = [i for i in organic if known[i] is None]
    chosen = _largest(unknown or organic, fragments)
    others = [i for i in unknown if i != chosen]
    if others:  # copies of the parent (2:1 salts) are neither removed nor a mixture
        parent_smiles = Chem.MolToSmiles(fragments[chosen])
        copies = {i for i in others if Chem.MolToSmiles(fragments[i]) == parent_smiles}
    else:
        copies = set()
    dropped = [i for i in others if i not in copies]
    removed = tuple(
        _label(known[i], pieces[i])
        for i in range(len(fragments))
        if i != chosen and i not in dropped and i not in copies
    )
    dropped_smiles = tuple(Chem.MolToSmiles(fragments[i]) for i in dropped)
    issues = tuple(
        f"mixture: kept the largest organic component, also present: {s}" for s in dropped_smiles
    )
    return ParentChoice(fragments[chosen], removed, dropped_smiles, issues)
