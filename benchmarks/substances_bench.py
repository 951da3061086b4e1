"""Substance screening throughput: precursor-watch end to end vs a naive plain-RDKit loop.

* ours: ``SubstanceScreener.screen_many`` on unseen structures (no cache hits), one core, and two
  processes each screening half of the set;
* baseline: what a user would otherwise write: for each structure, parse, strip salts, neutralize,
  then test every listed substance (InChIKey equality) and every class rule (SMARTS) with plain RDKit;
* cached: the same identifiers screened again (repeated queries hit the result cache).
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import Counter
from collections.abc import Sequence

from benchmarks.structure_generator import generate

FULL_SIZE = 100_000
QUICK_SIZE = 3_000
BASELINE_SHARE = 10  # the baseline runs on 1/10 of the set (it is slow); rates are per structure


def _screen_rate(smiles: Sequence[str]) -> tuple[float, Counter[str]]:
    from precursor_watch.substances.knowledge_base import load_knowledge_base
    from precursor_watch.substances.screening import SubstanceScreener

    screener = SubstanceScreener(
        load_knowledge_base(), use_opsin=False, cache_size=len(smiles) + 10
    )
    start = time.perf_counter()
    results = screener.screen_many(list(smiles))
    elapsed = time.perf_counter() - start
    return len(smiles) / elapsed, Counter(r.status.value for r in results)


def _worker(chunk: list[str]) -> tuple[int, float, float]:
    from precursor_watch.substances.knowledge_base import load_knowledge_base
    from precursor_watch.substances.screening import SubstanceScreener

    screener = SubstanceScreener(load_knowledge_base(), use_opsin=False, cache_size=len(chunk) + 10)
    start = time.perf_counter()
    screener.screen_many(chunk)
    return len(chunk), start, time.perf_counter()


def _two_process_rate(smiles: Sequence[str]) -> float:
    half = len(smiles) // 2
    chunks = [list(smiles[:half]), list(smiles[half:])]
    with mp.get_context("spawn").Pool(2) as pool:
        done = pool.map(_worker, chunks)
    total = sum(d[0] for d in done)
    wall = max(d[2] for d in done) - min(d[1] for d in done)
    return total / wall


def _baseline_rate(smiles: Sequence[str]) -> float:
    from rdkit import Chem, RDLogger
    from rdkit.Chem.MolStandardize import rdMolStandardize

    from precursor_watch.substances.knowledge_base import load_knowledge_base

    RDLogger.DisableLog("rdApp.*")
    kb = load_knowledge_base()
    chooser = rdMolStandardize.LargestFragmentChooser()
    uncharger = rdMolStandardize.Uncharger()
    listed = []
    for record in kb.substances:
        mol = Chem.MolFromSmiles(record.smiles) if record.smiles else None
        if mol is not None:
            listed.append(Chem.MolToInchiKey(uncharger.uncharge(chooser.choose(mol))))
    rules = [Chem.MolFromSmarts(r.smarts) for r in kb.class_rules]
    start = time.perf_counter()
    for text in smiles:
        mol = Chem.MolFromSmiles(text)
        if mol is None:
            continue
        parent = uncharger.uncharge(chooser.choose(mol))
        key = Chem.MolToInchiKey(parent)
        for listed_key in listed:
            if key.split("-")[0] == listed_key.split("-")[0]:
                break
        for rule in rules:
            parent.HasSubstructMatch(rule)
    return len(smiles) / (time.perf_counter() - start)


def _cached_rate(smiles: Sequence[str], rounds: int = 20) -> float:
    from precursor_watch import screen_substance
    from precursor_watch.substances.screening import default_screener

    default_screener().screen_many(list(smiles))  # warm
    start = time.perf_counter()
    for _ in range(rounds):
        for text in smiles:
            screen_substance(text)
    return rounds * len(smiles) / (time.perf_counter() - start)


def run(quick: bool = False) -> str:
    size = QUICK_SIZE if quick else FULL_SIZE
    t0 = time.perf_counter()
    smiles = generate(size)
    gen_s = time.perf_counter() - t0
    one_core, statuses = _screen_rate(smiles)
    two_cores = _two_process_rate(smiles)
    base = _baseline_rate(smiles[: max(len(smiles) // BASELINE_SHARE, 500)])
    cached = _cached_rate(smiles[:2000])
    mix = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    lines = [
        f"{len(smiles):,} distinct structures from the seeded generator ({gen_s:.1f} s to generate); "
        f"outcomes: {mix}.",
        "",
        "| what | structures/s | ratio to baseline |",
        "|---|---:|---:|",
        f"| precursor-watch, one core (unseen structures, end to end) | {one_core:,.0f} | {one_core / base:.1f}x |",
        f"| precursor-watch, two processes | {two_cores:,.0f} | {two_cores / base:.1f}x |",
        f"| naive plain-RDKit loop (baseline), one core | {base:,.0f} | 1.0x |",
        f"| repeated identifiers (cached), one core | {cached:,.0f} | {cached / base:.1f}x |",
        "",
        "Targets: >= 2,000 unseen structures/s per core; >= 5x the baseline; >= 100,000 cached/s.",
        f"Met: per core {'yes' if one_core >= 2000 else 'NO'}; vs baseline {'yes' if one_core / base >= 5 else 'NO'}; "
        f"cached {'yes' if cached >= 100_000 else 'NO'}.",
    ]
    return "\n".join(lines) + "\n"
