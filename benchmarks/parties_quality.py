"""Match quality of the party matcher, side by side with nomenklatura ``logic-v2``.

* name pairs: precision / recall / F1 on nomenklatura's labelled ``name_bench_cases.csv``,
  ours at both declared thresholds, logic-v2 from its committed frozen run and, when the
  peer environment exists (benchmarks/_work/nk-venv), logic-v2 run live on the same pairs;
* OFAC parity: rank correlation with the scores OFAC's own Sanctions List Search recorded;
* cross-script pairs (watchman): share of pairs reaching the pair's minimum score;
* false alerts: generated non-listed names from CN, MX and IN screened against the SDN.
"""

from __future__ import annotations

import csv
import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from precursor_watch.domain.outcomes import PartyStatus
from precursor_watch.domain.parties import (
    AliasStrength,
    EntityName,
    EntityType,
    ListEntity,
    PartyQuery,
)
from precursor_watch.parties.model import MATCH_THRESHOLD, POSSIBLE_THRESHOLD
from precursor_watch.parties.screener import PartyScreener, compare_entity

BENCH = Path("/work/shared/data/sanctions/matching_benchmarks")
NAME_PAIRS = BENCH / "nomenklatura" / "name_bench_cases.csv"
FROZEN = BENCH / "nomenklatura" / "name_bench_logicv2_frozen_run.csv"
OFAC = BENCH / "nomenklatura" / "ofac_sls_score_fixtures.csv"
CROSS_SCRIPT = BENCH / "watchman" / "cross_script_pairs.csv"
PEER_PYTHON = Path(__file__).with_name("_work") / "nk-venv" / "bin" / "python"
PEER_SCRIPT = Path(__file__).with_name("nomenklatura_peer.py")
LOGIC_V2_THRESHOLD = 0.7  # the frozen run's predicted_match cut-off (yente's default)
SCHEMA_TYPES = {
    "Person": EntityType.PERSON,
    "Company": EntityType.ORGANIZATION,
    "Organization": EntityType.ORGANIZATION,
    "LegalEntity": EntityType.ORGANIZATION,
    "Vessel": EntityType.VESSEL,
}
TYPE_SCHEMAS = {EntityType.PERSON: "Person", EntityType.VESSEL: "Vessel"}


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def row(self, label: str) -> str:
        return f"| {label} | {self.precision:.3f} | {self.recall:.3f} | **{self.f1:.3f}** |"


def prf(predicted: Sequence[bool], truth: Sequence[bool]) -> Scores:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def our_pair_score(name1: str, name2: str, schema: str) -> float:
    kind = SCHEMA_TYPES.get(schema, EntityType.UNKNOWN)
    entity = ListEntity("pairs", "x", kind, (EntityName(name2, AliasStrength.PRIMARY),))
    return compare_entity(PartyQuery(name1, entity_type=kind), entity)[0]


def run_peer(
    pairs: Sequence[Mapping[str, object]],
) -> tuple[dict[str, float], list[float], str] | None:
    """logic-v2 scores by pair id, per-pair milliseconds, version; None without the peer."""
    if not PEER_PYTHON.exists():
        return None
    payload = "\n".join(json.dumps(p, ensure_ascii=False) for p in pairs) + "\n"
    done = subprocess.run(
        [str(PEER_PYTHON), str(PEER_SCRIPT)], input=payload, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"nomenklatura peer failed: {done.stderr[-2000:]}")
    scores: dict[str, float] = {}
    times: list[float] = []
    meta = ""
    for line in done.stdout.splitlines():
        row = json.loads(line)
        if row["id"] == "__meta__":
            meta = f"nomenklatura {row['version']} {row['algorithm']}"
        else:
            scores[row["id"]] = float(row["score"])
            times.append(float(row["ms"]))
    return scores, times, meta


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(line for line in handle if not line.startswith("#"))]


def name_pair_section() -> tuple[str, dict[str, float]]:
    cases = _read(NAME_PAIRS)
    truth = [c["is_match"] == "true" for c in cases]
    ours = [our_pair_score(c["name1"], c["name2"], c["schema"]) for c in cases]
    frozen = {(r["case_group"], r["name1"], r["name2"]): float(r["score"]) for r in _read(FROZEN)}
    both = [i for i, c in enumerate(cases) if (c["case_group"], c["name1"], c["name2"]) in frozen]
    frozen_scores = [
        frozen[(cases[i]["case_group"], cases[i]["name1"], cases[i]["name2"])] for i in both
    ]
    lines = [
        f"Name pairs: {len(cases)} labelled pairs (nomenklatura name_bench_cases.csv); the frozen "
        f"logic-v2 run covers {len(both)} of them.\n",
        "| matcher | precision | recall | F1 |",
        "|---|---|---|---|",
        prf([s >= POSSIBLE_THRESHOLD for s in ours], truth).row(
            f"pw-party >= possible ({POSSIBLE_THRESHOLD}), all pairs"
        ),
        prf([s >= MATCH_THRESHOLD for s in ours], truth).row(
            f"pw-party >= match ({MATCH_THRESHOLD}), all pairs"
        ),
        prf([ours[i] >= POSSIBLE_THRESHOLD for i in both], [truth[i] for i in both]).row(
            "pw-party >= possible, frozen-run pairs"
        ),
        prf([s >= LOGIC_V2_THRESHOLD for s in frozen_scores], [truth[i] for i in both]).row(
            "logic-v2 frozen run (>= 0.7), frozen-run pairs"
        ),
    ]
    pairs = [
        {"id": str(i), "schema": c["schema"], "left": [c["name1"]], "right": [c["name2"]]}
        for i, c in enumerate(cases)
    ]
    peer = run_peer(pairs)
    extra: dict[str, float] = {}
    if peer is None:
        lines.append("\nlogic-v2 live: not run (no peer environment at benchmarks/_work/nk-venv).")
    else:
        scores, times, meta = peer
        live = [scores[str(i)] >= LOGIC_V2_THRESHOLD for i in range(len(cases))]
        lines.append(prf(live, truth).row(f"logic-v2 live ({meta}, >= 0.7), all pairs"))
        extra["logic_v2_pair_ms_p50"] = float(np.median(times))
        lines.append(
            f"\nlogic-v2 live scoring time per pair: p50 {np.median(times):.2f} ms, "
            f"p99 {np.percentile(times, 99):.2f} ms (reference data loaded before timing)."
        )
    return "\n".join(lines), extra


def _ranks(values: Sequence[float]) -> np.ndarray:
    order = np.argsort(np.argsort(values, kind="stable"))
    return order.astype(float)


def ofac_section() -> str:
    rows = _read(OFAC)
    ofac = [float(r["ofac_score"]) for r in rows]
    ours = [our_pair_score(r["query_name"], r["result_name"], "LegalEntity") * 100 for r in rows]
    rho = float(np.corrcoef(_ranks(ofac), _ranks(ours))[0, 1])
    mad = float(np.mean(np.abs(np.array(ofac) - np.array(ours))))
    lines = [
        f"OFAC parity: {len(rows)} (query, result, OFAC Sanctions List Search score) fixtures. "
        f"Spearman rank correlation with OFAC's scores: **{rho:.3f}**; mean absolute difference "
        f"{mad:.1f} points (our score x 100)."
    ]
    peer = run_peer(
        [
            {
                "id": str(i),
                "schema": "LegalEntity",
                "left": [r["query_name"]],
                "right": [r["result_name"]],
            }
            for i, r in enumerate(rows)
        ]
    )
    if peer is not None:
        theirs = [peer[0][str(i)] * 100 for i in range(len(rows))]
        rho2 = float(np.corrcoef(_ranks(ofac), _ranks(theirs))[0, 1])
        lines.append(f"logic-v2 live on the same fixtures: Spearman {rho2:.3f}.")
    return " ".join(lines)


def cross_script_section() -> str:
    rows = []
    with CROSS_SCRIPT.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                query, expected, minimum, _ = line.rstrip("\n").split(",", 3)
                rows.append((query, expected, float(minimum)))
    ours = [our_pair_score(q, e, "Person") for q, e, _ in rows]
    passed = sum(s >= m for s, (_, _, m) in zip(ours, rows, strict=True))
    text = (
        f"Cross-script pairs (watchman, {len(rows)} pairs, each with its own minimum score): "
        f"pw-party reaches the minimum on **{passed}/{len(rows)}**"
    )
    peer = run_peer(
        [
            {"id": str(i), "schema": "Person", "left": [q], "right": [e]}
            for i, (q, e, _) in enumerate(rows)
        ]
    )
    if peer is not None:
        theirs = sum(peer[0][str(i)] >= m for i, (_, _, m) in enumerate(rows))
        text += f"; logic-v2 live on **{theirs}/{len(rows)}**"
    return text + "."


def false_alert_section(screener: PartyScreener, names: list[tuple[str, str, str]]) -> str:
    matches = possibles = 0
    examples: list[str] = []
    for name, country, kind in names:
        result = screener.screen(PartyQuery(name, country=country, entity_type=EntityType(kind)))
        if result.status is PartyStatus.MATCH:
            matches += 1
            if len(examples) < 5:
                examples.append(f"{name!r} -> {result.matches[0].name!r}")
        elif result.status is PartyStatus.POSSIBLE:
            possibles += 1
    rate = matches / len(names)
    return (
        f"False alerts: {len(names):,} generated non-listed names (CN, MX, IN; companies and "
        f"people, seeded) screened with their country and type against the SDN: **{rate:.2%}** "
        f"`match` (target <= 1%), {possibles / len(names):.2%} `possible`."
        + (f" Examples of matches: {'; '.join(examples)}." if examples else "")
    )
