"""Micro-benchmark of the chemistry engine (not part of SUITES): structures/s per stage, one core.

    python -m benchmarks.chem_micro            # 10,000 distinct structures
    python -m benchmarks.chem_micro --quick    # 1,000

Stages, each on the same distinct (uncached) structures from ``benchmarks.structure_generator``:
parse + standardize, class rules, designer watch, and their sum (end to end). The baseline is
what a user would otherwise write with plain RDKit calls: parse, LargestFragmentChooser,
Uncharger, InChIKey and SMILES, every rule's HasSubstructMatch, and every modification reaction
run on every molecule with an InChIKey of each product. Rules and watch parents are read from
the knowledge base tables (``precursor_watch/data``) with the csv module.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

from rdkit import Chem
from rdkit.Chem import rdinchi
from rdkit.Chem.MolStandardize import rdMolStandardize

from benchmarks.structure_generator import generate
from precursor_watch.chem import (
    ClassRuleEngine,
    DesignerWatch,
    StandardStructure,
    WatchParent,
    bundled_modifications,
    standardize_text,
)


def _table(name: str) -> list[dict[str, str]]:
    text = resources.files("precursor_watch.data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def load_rules() -> list[tuple[str, str]]:
    return [(r["rule_id"], r["smarts"]) for r in _table("class_rules.csv") if r.get("smarts")]


def load_parents() -> list[WatchParent]:
    smiles = {r["substance_id"]: r for r in _table("substances.csv")}
    parents = []
    for row in _table("watch_parents.csv"):
        sub = smiles[row["substance_id"]]
        families = tuple(f for f in row["families"].split(";") if f)
        parents.append(
            WatchParent(row["substance_id"], sub["preferred_name"], sub["smiles"], families)
        )
    return parents


def timed(label: str, items: list[Any], work: Callable[[Any], object]) -> float:
    """Run ``work`` on every item; print the rate per CPU-second and per wall second.

    The machine is shared, so the CPU time of this process (``time.process_time``) is the
    figure to compare; wall-clock time is printed beside it.
    """
    gc.disable()
    wall, cpu = time.perf_counter(), time.process_time()
    for item in items:
        work(item)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    gc.enable()
    print(
        f"{label:<34} {len(items) / cpu:>10,.0f}/CPU-s {len(items) / wall:>10,.0f}/wall-s"
        f"  ({cpu * 1e6 / len(items):7.1f} us CPU each)"
    )
    return cpu


def naive_baseline(
    rules: list[tuple[str, str]], parents: list[WatchParent]
) -> Callable[[str], object]:
    queries = [Chem.MolFromSmarts(s) for _, s in rules]
    reactions = [m.reaction for m in bundled_modifications()]
    chooser = rdMolStandardize.LargestFragmentChooser(preferOrganic=True)
    uncharger = rdMolStandardize.Uncharger()
    parent_keys = {rdinchi.MolToInchiKey(Chem.MolFromSmiles(p.smiles))[:14] for p in parents}

    def screen(smiles: str) -> object:
        mol = Chem.MolFromSmiles(smiles)
        if mol is None:
            return None
        mol = uncharger.uncharge(chooser.choose(mol))
        key = rdinchi.MolToInchiKey(mol)
        Chem.MolToSmiles(mol)
        Chem.MolToSmiles(mol, isomericSmiles=False)
        hits = [q for q in queries if mol.HasSubstructMatch(q)]
        watch = []
        for reaction in reactions:
            for (product,) in reaction.RunReactants((mol,)):
                try:
                    Chem.SanitizeMol(product)
                except Exception:
                    continue
                if rdinchi.MolToInchiKey(product)[:14] in parent_keys:
                    watch.append(product)
        return key, hits, watch

    return screen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    count = 1_000 if args.quick else args.count
    smiles = generate(count, seed=7)
    rules, parents = load_rules(), load_parents()
    engine, watch = ClassRuleEngine(rules), DesignerWatch(parents)
    print(
        f"{len(smiles)} distinct structures; {len(rules)} class rules; {len(parents)} watch parents"
    )
    standardize_text.cache_clear()
    stds: list[StandardStructure] = []

    def standardize_one(text: str) -> None:
        with contextlib.suppress(Exception):
            stds.append(standardize_text(text))

    t_std = timed("parse + standardize (uncached)", smiles, standardize_one)
    t_rules = timed("class rules (prefiltered)", stds, engine.match)
    timed("class rules (no prefilter)", stds, lambda s: engine.match(s, prefilter=False))
    t_watch = timed("designer watch", stds, watch.find)
    total = t_std + t_rules + t_watch
    print(f"{'end to end (sum of the three)':<34} {len(smiles) / total:>10,.0f}/CPU-s")
    t_identity = timed("InChIKey + SMILES (lazy; if read)", stds, lambda s: (s.inchikey, s.smiles))
    forced = total + t_identity
    print(f"{'end to end, identity always read':<34} {len(smiles) / forced:>10,.0f}/CPU-s")
    t_naive = timed("naive plain-RDKit baseline", smiles, naive_baseline(rules, parents))
    print(
        f"speed-up over baseline: {t_naive / total:.1f}x ({t_naive / forced:.1f}x if identity read)"
    )
    repeated = smiles[:100] * 1000
    timed("repeated identifiers (cached)", repeated, standardize_text)
    flagged = sum(1 for s in stds if watch.find(s))
    print(f"watch hits: {flagged}; rule hits: {sum(1 for s in stds if engine.match(s))}")


if __name__ == "__main__":
    main()
