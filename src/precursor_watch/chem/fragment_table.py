"""The table of counter-ions, acids, bases and solvents stripped from salts and solvates.

Kept as data (``chem/data/salts_solvents.csv``: name, SMILES, kind), in the manner of the ChEMBL
structure pipeline's ``salts.smi``. A fragment is recognised by the non-isomeric canonical SMILES
of its neutralized form, so ``[Cl-]`` and ``Cl``, citrate and citric acid, fumarate and maleate
drawn without stereo all find their entry.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Final

from rdkit import Chem
from rdkit.Chem.MolStandardize import rdMolStandardize

from precursor_watch.chem.errors import InvalidPatternError
from precursor_watch.chem.rdkit_log import capture_rdkit_errors

TABLE_FILE: Final = "salts_solvents.csv"


@dataclass(frozen=True, slots=True)
class KnownFragment:
    """One row of the salts/solvents table."""

    name: str
    smiles: str
    kind: str  # acid, base, counter-ion, solvent


def neutral_key(fragment: Any) -> str:
    """Non-isomeric canonical SMILES of the neutralized fragment (the table's lookup key)."""
    neutral = rdMolStandardize.Uncharger(canonicalOrder=True).uncharge(fragment)
    return str(Chem.MolToSmiles(neutral, isomericSmiles=False))


def _read_rows() -> list[KnownFragment]:
    text = resources.files("precursor_watch.chem").joinpath("data", TABLE_FILE).read_text("utf-8")
    rows = []
    for line_no, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        name, smiles, kind = (row.get(k, "") or "" for k in ("name", "smiles", "kind"))
        if not name or not smiles or not kind:
            raise InvalidPatternError(f"{TABLE_FILE}:{line_no}", "name, smiles and kind required")
        rows.append(KnownFragment(name.strip(), smiles.strip(), kind.strip()))
    return rows


@cache
def fragment_table() -> dict[str, KnownFragment]:
    """Neutral key -> known fragment; read once. Invalid rows raise ``InvalidPatternError``."""
    table: dict[str, KnownFragment] = {}
    for line_no, entry in enumerate(_read_rows(), start=2):
        with capture_rdkit_errors() as log:
            mol = Chem.MolFromSmiles(entry.smiles)
        if mol is None:
            raise InvalidPatternError(
                f"{TABLE_FILE}:{line_no}", f"SMILES {entry.smiles!r}: {log.first('invalid')}"
            )
        table.setdefault(neutral_key(mol), entry)
    return table


def known_fragment(fragment: Any) -> KnownFragment | None:
    """The table entry for ``fragment`` or None when it is not a known salt/solvent part."""
    return known_by_smiles(Chem.MolToSmiles(fragment))


@lru_cache(maxsize=4096)
def known_by_smiles(smiles: str) -> KnownFragment | None:
    """The table entry for a fragment given as SMILES (any spelling), or None; cached."""
    with capture_rdkit_errors():
        mol = Chem.MolFromSmiles(smiles)
    return None if mol is None else fragment_table().get(neutral_key(mol))
