"""The matcher's declared parts agree with each other and with its documentation."""

from __future__ import annotations

import re
from pathlib import Path

from precursor_watch.parties import MATCH_THRESHOLD, MATCHER, POSSIBLE_THRESHOLD, WEIGHTS
from precursor_watch.parties.features import FEATURES, feature_docs

DOC = Path(__file__).resolve().parents[2] / "docs" / "party-matching.md"


def test_every_weight_has_a_documented_feature_function() -> None:
    assert set(WEIGHTS) == set(FEATURES)
    assert all(len(text) > 40 for text in feature_docs().values())


def test_the_documentation_shows_the_weights_and_thresholds() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, weight in WEIGHTS.items():
        assert re.search(rf"\| `{name}` \| {weight:g} \|", text), (
            f"{name} {weight} not in {DOC.name}"
        )
    assert f"`match` >= {MATCH_THRESHOLD:.2f}" in text
    assert f"`possible` >= {POSSIBLE_THRESHOLD:.2f}" in text
    assert f"`{MATCHER}`" in text
