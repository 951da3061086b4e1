"""Substance screening throughput: precursor-watch end to end vs a naive plain-RDKit loop.

* ours: ``SubstanceScreener.screen_many`` on unseen structures (no cache hits), one core, and two
  processes each screening half of the set;
* baseline: what a user would otherwise write: for each structure, parse, strip salts, neutralize,
  then test every listed substance (InChIKey), every class rule (SMARTS) and every designer
  modification (as a reaction) with plain RDKit calls (``benchmarks.chem_micro.naive_baseline``);
* cached: the same identifiers screened again (repeated queries hit the result cache).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections import Counter
from collections.abc import Sequence

from benchmarks.structure_generator import generate

FULL_SIZE = 100_000
QUICK_SIZE = 3_000
BASELINE_SHARE = 10  # the baseline runs on 1/10 of the set (it is slow); rates are per structure


def _screen_rate(smiles: Sequence[str]) -> tuple[float, float, Counter[str]]:
    """(wall rate, CPU rate, outcomes) of one process screening every structure once."""
    from precursor_watch.substances.knowledge_base import load_knowledge_base
    from precursor_watch.substances.screening import SubstanceScreener

    screener = SubstanceScreener(
        load_knowledge_base(), use_opsin=False, cache_size=len(smiles) + 10
    )
    start, cpu = time.perf_counter(), time.process_time()
    results = screener.screen_many(list(smiles))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return len(smiles) / wall, len(smiles) / cpu, Counter(r.status.value for r in results)


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


def _baseline_rate(smiles: Sequence[str]) -> tuple[float, float]:
    """The same work with plain RDKit calls in a loop: standardize (largest fragment, uncharge),
    InChIKey against every listed substance, every class-rule SMARTS, and every designer
    modification run as a reaction whose products are compared with the watched parents."""
    from rdkit import RDLogger

    from benchmarks.chem_micro import load_parents, load_rules, naive_baseline
    from precursor_watch.substances.knowledge_base import load_knowledge_base

    RDLogger.DisableLog("rdApp.*")
    listed = {r.inchikey[:14] for r in load_knowledge_base().substances if r.inchikey}
    screen = naive_baseline(load_rules(), load_parents())
    start, cpu = time.perf_counter(), time.process_time()
    for text in smiles:
        result = screen(text)
        if isinstance(result, tuple):
            _ = result[0][:14] in listed
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return len(smiles) / wall, len(smiles) / cpu


def _cached_rate(smiles: Sequence[str], rounds: int = 20) -> tuple[float, float]:
    from precursor_watch import screen_substance
    from precursor_watch.substances.screening import default_screener

    default_screener().screen_many(list(smiles))  # warm
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for text in smiles:
            screen_substance(text)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return rounds * len(smiles) / wall, rounds * len(smiles) / cpu


def run(quick: bool = False) -> str:
    size = QUICK_SIZE if quick else FULL_SIZE
    t0 = time.perf_counter()
    smiles = generate(size)
    gen_s = time.perf_counter() - t0
    load_before = os.getloadavg()[0]
    one_core, one_core_cpu, statuses = _screen_rate(smiles)
    two_cores = _two_process_rate(smiles)
    base, base_cpu = _baseline_rate(smiles[: max(len(smiles) // BASELINE_SHARE, 500)])
    cached, cached_cpu = _cached_rate(smiles[:2000])
    load_after = os.getloadavg()[0]
    mix = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    lines = [
        f"{len(smiles):,} distinct structures from the seeded generator ({gen_s:.1f} s to generate); "
        f"outcomes: {mix}. Load average {load_before:.1f} before, {load_after:.1f} after "
        "(2 cores): wall rates fall when other work shares the machine; CPU rates "
        "(structures per CPU-second of the screening process) do not.",
        "",
        "| what | structures/s (wall) | structures per CPU-second | ratio to baseline (CPU) |",
        "|---|---:|---:|---:|",
        f"| precursor-watch, one core (unseen structures, end to end) | {one_core:,.0f} | {one_core_cpu:,.0f} | {one_core_cpu / base_cpu:.1f}x |",
        f"| precursor-watch, two processes | {two_cores:,.0f} | - | {two_cores / base:.1f}x (wall) |",
        f"| naive plain-RDKit loop (baseline), one core | {base:,.0f} | {base_cpu:,.0f} | 1.0x |",
        f"| repeated identifiers (cached), one core | {cached:,.0f} | {cached_cpu:,.0f} | {cached_cpu / base_cpu:.0f}x |",
        "",
        "Targets: >= 2,000 unseen structures/s per core; >= 5x the baseline; >= 100,000 cached/s.",
        f"Met (per CPU-second): per core {'yes' if one_core_cpu >= 2000 else 'NO'}; "
        f"vs baseline {'yes' if one_core_cpu / base_cpu >= 5 else 'NO'}; "
        f"cached {'yes' if cached_cpu >= 100_000 else 'NO'}.",
    ]
    return "\n".join(lines) + "\n"
