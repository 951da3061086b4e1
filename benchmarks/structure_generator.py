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
N_PROTECTIONS = [
    "C(=O)OC(C)(C)C", "C(=O)OCc1ccccc1", "C(=O)C", "Cc1ccccc1", "C(=O)OCC", "C(=O)CC", "C(=O)OC",
    "C(=O)C(F)(F)F", "C=O", "C(=O)c1ccccc1",
]  # fmt: skip
# Aryl rings (ring-closure digit 9 so they never clash with a template's own rings).
ARYLS = (
    ["c9ccccc9"]
    + [f"c9ccc({x})cc9" for x in RING_SUBSTITUENTS]
    + [f"c9cccc({x})c9" for x in RING_SUBSTITUENTS]
    + [f"c9ccccc9{x}" for x in RING_SUBSTITUENTS]
    + [f"c9ccc({x})c({y})c9" for x in RING_SUBSTITUENTS for y in RING_SUBSTITUENTS]
)
ACYLS = ["C(=O)CC", "C(=O)C", "C(=O)CCC", "C(=O)C1CC1", "C(=O)COC", "C(=O)c1ccco1", "C(=O)OCC"]
DESIGNER_TEMPLATES = [
    "O=C1CCN(CC{AR})CC1",  # ring-substituted NPP
    "C1CN(CCc2ccccc2)CCC1N{AR}",  # ring-substituted ANPP
    "C1CN({P})CCC1N{AR}",  # protected, ring-substituted 4-AP
    "O=C1CCN({P})CC1",  # protected 4-piperidone
    "CC(=O)C{AR}",  # ring-substituted P-2-P
    "CC(=O)C(C#N){AR}",  # ring-substituted APAAN
    "C1CN(CC{AR})CCC12OCCO2",  # ketal-masked, ring-substituted NPP
    "C1CN(CCc2ccccc2)CCC1N({ACYL}){AR}",  # fentanyl analogues (class-controlled)
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
    return (
        template.replace("{AR}", rng.choice(ARYLS))
        .replace("{P}", rng.choice(N_PROTECTIONS))
        .replace("{ACYL}", rng.choice(ACYLS))
    )


def generate(count: int, seed: int = 20261123) -> list[str]:
    """``count`` distinct canonical SMILES, drawn ~88% drug-like, ~7% listed (and salts), ~5%
    designer variants. Listed substances have few distinct forms (79 x counter-ions), so in a large
    set their share falls below 7%: the benchmark reports the outcome counts it actually got."""
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
