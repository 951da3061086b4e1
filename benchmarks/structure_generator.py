"""A seeded generator of distinct structures for the substance benchmark.

The mix imitates what a screener sees: mostly drug-like and commodity molecules assembled from
common scaffolds and substituents, some listed precursors (as drawn, as salts, as stereoisomers)
and some designer variants (ring substituents, protecting groups, masked carbonyls).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from importlib import resources

SCAFFOLDS = [
    "c1ccc({R1})cc1{R2}", "c1cc({R1})ccc1N{R2}", "c1ccc2[nH]c({R1})cc2c1{R2}", "c1ccc(cc1)C(=O)N{R1}{R2}",
    "C1CCN(CC1){R1}{R2}", "C1CN(CCN1{R1}){R2}", "c1cnc({R1})nc1{R2}", "c1ccc(nc1){R1}{R2}",
    "O=C(N{R1})c1ccc({R2})cc1", "c1ccc2c(c1)oc({R1})n2{R2}", "C1CCC(CC1){R1}{R2}", "c1csc({R1})c1{R2}",
    "O=C1NC(=O)C({R1})N1{R2}", "c1ccc(Oc2ccc({R1})cc2)cc1{R2}", "CC(C)(C){R1}{R2}", "OC(=O)C{R1}{R2}",
    "c1ccc2ncccc2c1{R1}{R2}", "C1COCCN1C{R1}{R2}", "c1cc(ccc1{R1})S(=O)(=O)N{R2}", "n1c({R1})sc({R2})c1",
]  # fmt: skip
SUBSTITUENTS = [
    "", "C", "CC", "CCC", "C(C)C", "OC", "OCC", "F", "Cl", "Br", "C(F)(F)F", "N(C)C", "C(=O)O", "C#N",
    "C(=O)OC", "C(N)=O", "O", "N", "S(C)(=O)=O", "c1ccccc1", "Cc1ccccc1", "C1CC1", "OC(F)(F)F",
    "C(=O)C", "CO", "CCO", "N1CCOCC1", "c1ccncc1", "CN", "C=C", "SC", "[N+](=O)[O-]", "CC(=O)O",
]  # fmt: skip
COUNTER_IONS = [
    ".Cl",
    ".Cl.Cl",
    ".Br",
    ".OC(=O)CC(O)(CC(=O)O)C(=O)O",
    ".OC(=O)C(=O)O",
    ".O",
    ".OS(=O)(=O)O",
]
RING_SUBSTITUENTS = ["F", "Cl", "Br", "C", "OC", "I"]
N_PROTECTIONS = ["C(=O)OC(C)(C)C", "C(=O)OCc1ccccc1", "C(=O)C", "Cc1ccccc1", "C(=O)OCC", "C(=O)CC"]
DESIGNER_TEMPLATES = [
    "O=C1CCN(CCc2ccc({X})cc2)CC1",  # ring-substituted NPP
    "c1ccc(CCN2CCC(Nc3ccc({X})cc3)CC2)cc1",  # ring-substituted ANPP
    "{P}N1CCC(Nc2ccc({X})cc2)CC1",  # protected, ring-substituted 4-AP
    "{P}N1CCC(=O)CC1",  # protected 4-piperidone
    "CC(=O)Cc1ccc({X})cc1",  # ring-substituted P-2-P
    "CC(=O)C(C#N)c1ccc({X})cc1",  # ring-substituted APAAN
    "C1CN(CCc2ccc({X})cc2)CCC12OCCO1",  # masked, ring-substituted NPP
]  # fmt: skip


def listed_smiles() -> list[str]:
    text = resources.files("precursor_watch.data").joinpath("substances.csv").read_text("utf-8")
    return [row["smiles"] for row in csv.DictReader(text.splitlines()) if row.get("smiles")]


def _drug_like(rng: random.Random) -> str:
    scaffold = rng.choice(SCAFFOLDS)
    r1, r2 = rng.choice(SUBSTITUENTS), rng.choice(SUBSTITUENTS)
    return scaffold.replace("{R1}", f"({r1})" if r1 else "").replace(
        "{R2}", f"({r2})" if r2 else ""
    )


def _listed_variant(rng: random.Random, listed: list[str]) -> str:
    base = rng.choice(listed)
    return base + rng.choice(COUNTER_IONS) if rng.random() < 0.6 else base


def _designer(rng: random.Random) -> str:
    template = rng.choice(DESIGNER_TEMPLATES)
    return template.replace("{X}", rng.choice(RING_SUBSTITUENTS)).replace(
        "{P}", rng.choice(N_PROTECTIONS)
    )


def generate(count: int, seed: int = 20261123) -> list[str]:
    """``count`` distinct canonical SMILES: ~88% drug-like, ~7% listed (and salts), ~5% designer."""
    from rdkit import Chem, RDLogger

    RDLogger.DisableLog("rdApp.*")
    rng = random.Random(seed)
    listed = listed_smiles()
    seen: set[str] = set()
    out: list[str] = []
    attempts = 0
    while len(out) < count and attempts < count * 50:
        attempts += 1
        roll = rng.random()
        if roll < 0.07:
            smiles = _listed_variant(rng, listed)
        elif roll < 0.12:
            smiles = _designer(rng)
        else:
            smiles = _drug_like(rng)
            if rng.random() < 0.85:  # two linked pieces: a large space of distinct molecules
                smiles = _join(smiles, _drug_like(rng), rng)
        mol = Chem.MolFromSmiles(smiles)
        if mol is None:
            continue
        canonical = Chem.MolToSmiles(mol)
        if canonical not in seen:
            seen.add(canonical)
            out.append(canonical)
    return out


def _join(left: str, right: str, rng: random.Random) -> str:
    """Link two pieces by a short linker so the space of distinct molecules is large."""
    linker = rng.choice(["", "C", "CC", "O", "N", "C(=O)N", "S", "OC"])
    return f"{left}{linker}{_renumber(right)}"


def _renumber(smiles: str) -> str:
    """Shift ring-closure digits of the right piece so they do not clash with the left piece."""
    return "".join(str(int(ch) + 4) if ch.isdigit() and int(ch) < 5 else ch for ch in smiles)


def stream(count: int, seed: int = 20261123) -> Iterator[str]:
    yield from generate(count, seed)
