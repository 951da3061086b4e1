"""The sample generator: deterministic, exact in size, realistic, and labelled truthfully
(checked by screening a small sample with the real engine)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from tests.cases.order_scenarios import SDN_2024, build_party_screener

from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.samples import generate, write_sample
from precursor_watch.samples.generator import RED_FLAGS
from precursor_watch.screening.context import ScreeningContext
from precursor_watch.screening.order_engine import screen_orders
from precursor_watch.substances.cas import check_cas

KNOWN_LABELS = {
    *RED_FLAGS,
    "controlled_precursor",
    "new_customer",
    "corridor",
    "mislabel_hs",
    "watch_substance",
    "quantity_spike",
    "licensed_precursor",
}


def test_same_seed_same_orders_other_seed_other_orders() -> None:
    a = [s.order.to_json() for s in generate(500, seed=7)]
    b = [s.order.to_json() for s in generate(500, seed=7)]
    c = [s.order.to_json() for s in generate(500, seed=8)]
    assert a == b
    assert a != c


@pytest.mark.parametrize("n_lines", [1, 2, 3, 999])
def test_exact_number_of_lines(n_lines: int) -> None:
    assert sum(len(s.order.lines) for s in generate(n_lines, seed=1)) == n_lines


def test_labels_and_identifiers_are_plausible() -> None:
    samples = list(generate(5000, seed=4))
    labels = Counter(label for s in samples for label in s.planted)
    assert set(labels) <= KNOWN_LABELS
    planted = [s for s in samples if set(s.planted) - {"licensed_precursor"}]
    assert 0.005 < len(planted) / len(samples) < 0.05
    for s in samples:
        for line in s.order.lines:
            if line.cas:
                assert check_cas(line.cas).valid, line.cas
        assert s.order.route.origin and s.order.route.destination
    ids = [s.order.order_id for s in samples]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_write_sample_writes_orders_and_labels(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"sample{suffix}"
    count, labels = write_sample(path, 300, seed=3)
    assert path.is_file()
    rows = [json.loads(line) for line in labels.read_text().splitlines()]
    assert len(rows) == count
    assert all(set(r) == {"order_id", "planted"} for r in rows)


@pytest.mark.slow
def test_planted_orders_are_flagged_and_legitimate_trade_is_not() -> None:
    if not SDN_2024.is_file():
        pytest.skip("shared sanctions data not available")
    context = ScreeningContext.default(
        as_of=date(2026, 12, 1), party_screener=build_party_screener()
    )
    samples = list(generate(4000, seed=21, planted_rate=0.05))
    decisions = list(screen_orders([s.order for s in samples], context))
    missed, false_alarms, legit = [], [], 0
    for sample, decision in zip(samples, decisions, strict=True):
        planted = set(sample.planted) - {"licensed_precursor"}
        if planted and decision.outcome is OrderOutcome.CLEAR:
            missed.append(sample.planted)
        if not sample.planted:
            legit += 1
            if decision.outcome is not OrderOutcome.CLEAR:
                false_alarms.append([f.rule_id for f in decision.findings])
    assert missed == []
    assert legit > 1500
    assert len(false_alarms) <= 0.01 * legit, false_alarms[:5]
