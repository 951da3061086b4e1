"""Acceptance: the labelled set built from real narcotics-program SDN entries (issue 3).

Targets: top-1 recall >= 0.98 on the positives; at most 2% of the look-alikes reach ``match``.
"""

from __future__ import annotations

import pytest

from precursor_watch.parties.screener import PartyScreener
from tests.parties.acceptance import AcceptanceResult, evaluate, read_cases

MIN_RECALL = 0.98
MAX_LOOKALIKE_MATCH_RATE = 0.02


@pytest.fixture(scope="module")
def result(sdn_screener: PartyScreener) -> AcceptanceResult:
    return evaluate(sdn_screener, read_cases())


def test_the_set_is_large_and_varied() -> None:
    rows = read_cases()
    positives = [r for r in rows if r["expected_entity_id"]]
    kinds = {r["variation"] for r in positives}
    assert len(positives) >= 200
    assert {"suffix", "word_order", "pinyin_spacing", "chinese_chars", "accents", "typo"} <= kinds
    assert {"alias", "identifier"} <= kinds
    assert sum(1 for r in rows if not r["expected_entity_id"]) >= 100


def test_top1_recall_on_listed_entities(result: AcceptanceResult) -> None:
    assert result.recall >= MIN_RECALL, "\n".join(result.misses)


def test_lookalikes_do_not_match(result: AcceptanceResult) -> None:
    assert result.lookalike_match_rate <= MAX_LOOKALIKE_MATCH_RATE, "\n".join(result.false_alerts)
