"""Known simple modifications (protecting/masking groups, ring substituents, esters) as data.

Each row of ``chem/data/modifications.csv`` is a reaction SMARTS that *undoes* one modification:
its reactant side recognises the modification in a query, its product side is what the parent
had there (N-H, C=O, aromatic C-H, COOH). Atoms of the reactant side without a map number are the
modification's own atoms; they must each be one explicit element, so the heavy-atom composition
change (``delta``) is known in advance and a query can be matched to candidate parents by a
single dictionary lookup before any reaction is run.

This recognises structures only; it describes no synthesis and plans no reaction.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

from rdkit import Chem
from rdkit.Chem import rdChemReactions

from precursor_watch.chem.errors import InvalidPatternError
from precursor_watch.chem.rdkit_log import capture_rdkit_errors

FAMILIES: Final = ("n_protecting_group", "carbonyl_mask", "aromatic_substituent", "ester_of_acid")
MODIFICATIONS_FILE: Final = "modifications.csv"


@dataclass(frozen=True, slots=True)
class Modification:
    """One recognisable modification and the reaction SMARTS that strips it."""

    modification_id: str
    family: str
    label: str
    reaction_smarts: str
    reaction: Any
    delta: tuple[tuple[int, int], ...]
    """Heavy atoms the modification adds to the parent: (atomic number, count), may be < 0."""

    def strip(self, mol: Any) -> Iterator[tuple[Any, tuple[int, ...]]]:
        """Each distinct way of undoing the modification once: (sanitized parent, query atoms).

        The atoms are the query atoms that belong to the modification.
        """
        seen: set[tuple[int, ...]] = set()
        with capture_rdkit_errors():
            products = self.reaction.RunReactants((mol,))
        for (product,) in products:
            kept = {a.GetIntProp("react_atom_idx") for a in product.GetAtoms() if _has_origin(a)}
            removed = tuple(i for i in range(mol.GetNumAtoms()) if i not in kept)
            if removed in seen:
                continue
            seen.add(removed)
            if _repair_and_sanitize(product, mol):
                yield product, removed


def _has_origin(atom: Any) -> bool:
    return bool(atom.HasProp("react_atom_idx"))


def _repair_and_sanitize(product: Any, reactant: Any) -> bool:
    """Give back hydrogens to atoms that lost a bond but cannot gain implicit H; sanitize."""
    for atom in product.GetAtoms():
        if not _has_origin(atom):
            continue
        before = reactant.GetAtomWithIdx(atom.GetIntProp("react_atom_idx"))
        lost = before.GetDegree() - atom.GetDegree()
        if lost > 0 and (atom.GetNoImplicit() or atom.GetIsAromatic()) and atom.GetAtomicNum() != 6:
            atom.SetNumExplicitHs(atom.GetNumExplicitHs() + lost)
    with capture_rdkit_errors():
        try:
            Chem.SanitizeMol(product)
        except Exception:
            return False
    return True


def _composition_delta(mod_id: str, reaction: Any) -> tuple[tuple[int, int], ...]:
    delta: Counter[int] = Counter()
    for template, sign in (
        (reaction.GetReactantTemplate(0), 1),
        (reaction.GetProductTemplate(0), -1),
    ):
        for atom in template.GetAtoms():
            if atom.GetAtomMapNum():
                continue
            if atom.GetAtomicNum() <= 1:
                raise InvalidPatternError(
                    mod_id, "every unmapped atom must be one explicit heavy element"
                )
            delta[atom.GetAtomicNum()] += sign
    return tuple(sorted((z, n) for z, n in delta.items() if n))


def compile_modification(mod_id: str, family: str, label: str, smarts: str) -> Modification:
    """Compile one modification; raise ``InvalidPatternError`` naming it when anything is wrong."""
    if family not in FAMILIES:
        raise InvalidPatternError(
            mod_id, f"unknown family {family!r} (known: {', '.join(FAMILIES)})"
        )
    with capture_rdkit_errors() as log:
        try:
            reaction = rdChemReactions.ReactionFromSmarts(smarts)
        except Exception as exc:
            detail = log.first(str(exc))
            raise InvalidPatternError(
                mod_id, f"invalid reaction SMARTS {smarts!r}: {detail}"
            ) from exc
    if reaction.GetNumReactantTemplates() != 1 or reaction.GetNumProductTemplates() != 1:
        raise InvalidPatternError(mod_id, "needs exactly one reactant and one product template")
    reaction.Initialize()
    return Modification(
        mod_id, family, label, smarts, reaction, _composition_delta(mod_id, reaction)
    )


@cache
def bundled_modifications() -> tuple[Modification, ...]:
    """The modifications of ``chem/data/modifications.csv``, compiled once."""
    text = resources.files("precursor_watch.chem").joinpath("data", MODIFICATIONS_FILE)
    rows = csv.DictReader(text.read_text("utf-8").splitlines())
    compiled = []
    for line_no, row in enumerate(rows, start=2):
        columns = ("modification_id", "family", "label", "reaction_smarts")
        mod_id, family, label, smarts = ((row.get(k) or "").strip() for k in columns)
        if not (mod_id and family and label and smarts):
            raise InvalidPatternError(f"{MODIFICATIONS_FILE}:{line_no}", "a column is empty")
        compiled.append(compile_modification(mod_id, family, label, smarts))
    return tuple(compiled)
