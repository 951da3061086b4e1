"""Party screening: match names and identifiers against sanctions and watch lists.

A pure library: build a :class:`PartyScreener` from ``ListEntity`` objects (from the list
loaders or the database) and screen ``PartyQuery`` objects with it. The matcher is named and
versioned (:data:`MATCHER`), its weights and thresholds are declared in ``model``.
"""

from __future__ import annotations

from precursor_watch.parties.model import (
    MATCH_THRESHOLD,
    MATCHER,
    POSSIBLE_THRESHOLD,
    WEIGHTS,
)
from precursor_watch.parties.screener import PartyScreener

__all__ = ["MATCHER", "MATCH_THRESHOLD", "POSSIBLE_THRESHOLD", "WEIGHTS", "PartyScreener"]
