"""Identity of a molecule: InChIKey, connectivity block, formula, composition, fingerprints.

The **connectivity block** (first 14 characters of the standard InChIKey) is the project's
stereo- and tautomer-insensitive identity: standard InChI omits nothing about the skeleton but
ignores stereo in that block, and its mobile-H layer merges the common heteroatom tautomers
(amide/imidic acid, 1,3-H shifts between N and O). InChI does *not* merge keto/enol tautomers,
so ``connectivity_key`` first rewrites aliphatic enols (``C=C-OH``) as their keto form; only
molecules with an enol pay for this (one substructure test for the others).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any, Final

from rdkit import Chem, DataStructs
from rdkit.Chem import rdChemReactions, rdFingerprintGenerator, rdinchi, rdMolDescriptors

from precursor_watch.chem.errors import StructureError
from precursor_watch.chem.rdkit_log import capture_rdkit_errors

MORGAN_RADIUS: Final = 2
MORGAN_BITS: Final = 2048
_MORGAN = rdFingerprintGenerator.GetMorganGenerator(radius=MORGAN_RADIUS, fpSize=MORGAN_BITS)

INCHI_OPTIONS: Final = "/AuxNone"
"""Standard InChI without the auxiliary layer (not used; about a quarter faster)."""
_ENOL: Final = Chem.MolFromSmarts("[CX3]=[CX3]-[OX2H1]")
_ENOL_TO_KETO: Final = rdChemReactions.ReactionFromSmarts(
    "[C:1]=[C:2]-[OX2H1:3]>>[C:1]-[C:2]=[O:3]"
)
_FORMULA_PART: Final = re.compile(r"([A-Z][a-z]?)(\d*)")

Composition = tuple[tuple[int, int], ...]
"""Heavy-atom composition: sorted ``(atomic number, count)`` pairs, hydrogens excluded."""


def inchikey(mol: Any) -> str:
    """The standard InChIKey of ``mol``; raise ``StructureError`` when InChI cannot describe it."""
    with capture_rdkit_errors() as log:
        try:
            inchi, retcode, message, _log, _aux = rdinchi.MolToInchi(mol, INCHI_OPTIONS)
            key = rdinchi.InchiToInchiKey(inchi) if inchi else ""
        except Exception as exc:
            raise StructureError(f"InChI could not be generated: {exc}") from exc
    if not key:
        reason = message or log.first("the structure has features InChI does not support")
        raise StructureError(f"InChI could not be generated: {reason} (code {retcode})")
    return str(key)


def connectivity_block(key: str) -> str:
    """First block of an InChIKey (the skeleton, without stereo and protonation)."""
    return key.split("-", 1)[0]


def keto_form(mol: Any) -> Any:
    """``mol`` with every aliphatic enol ``C=C-OH`` rewritten as ``CH-C=O``; ``mol`` itself when
    it has none (so callers can test ``keto_form(m) is m``)."""
    current = mol
    for _ in range(8):
        if not current.HasSubstructMatch(_ENOL):
            return current
        with capture_rdkit_errors():
            products = _ENOL_TO_KETO.RunReactants((current,), 1)
            if not products:
                return current
            product = products[0][0]
            try:
                Chem.SanitizeMol(product)
            except Exception:
                return current
        current = product
    return current


def connectivity_key(mol: Any) -> str:
    """Connectivity block of the keto form's InChIKey: the identity used to compare skeletons."""
    return connectivity_block(inchikey(keto_form(mol)))


def formula(mol: Any) -> str:
    """Hill formula with charge, e.g. ``C22H28N2O``."""
    return str(rdMolDescriptors.CalcMolFormula(mol))


def composition(mol: Any) -> Composition:
    """Heavy-atom composition of ``mol`` (element counts, hydrogens excluded)."""
    counts = Counter(atom.GetAtomicNum() for atom in mol.GetAtoms())
    counts.pop(1, None)
    return tuple(sorted(counts.items()))


def composition_from_formula(hill: str) -> Composition:
    """Heavy-atom composition parsed from a Hill formula such as ``C22H28N2O`` (fast path).

    Isotopes are counted with their element, as in ``CalcMolFormula``'s default output.
    """
    counts: Counter[int] = Counter()
    for symbol, number in _FORMULA_PART.findall(hill):
        z = _atomic_number(symbol)
        if z > 1:
            counts[z] += int(number) if number else 1
    return tuple(sorted(counts.items()))


@cache
def _atomic_number(symbol: str) -> int:
    try:
        return int(Chem.GetPeriodicTable().GetAtomicNumber(symbol))
    except Exception:
        return 0


def morgan_fingerprint(mol: Any) -> Any:
    """Morgan (ECFP4-like) bit vector, radius 2, 2048 bits."""
    return _MORGAN.GetFingerprint(mol)


def tanimoto(a: Any, b: Any) -> float:
    """Tanimoto similarity of two molecules or two fingerprints (Morgan radius 2)."""
    fp_a = a if isinstance(a, DataStructs.ExplicitBitVect) else morgan_fingerprint(a)
    fp_b = b if isinstance(b, DataStructs.ExplicitBitVect) else morgan_fingerprint(b)
    return float(DataStructs.TanimotoSimilarity(fp_a, fp_b))
