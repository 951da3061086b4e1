"""The matcher's identity, weights and thresholds, declared in one place.

A score is ``sum(feature.score * WEIGHTS[feature.name])`` clipped to [0, 1]. Every result
records ``MATCHER`` so that a decision can be replayed with the same weights.
"""

from __future__ import annotations

from precursor_watch.domain.outcomes import PartyStatus

MATCHER_NAME = "pw-party"
MATCHER_VERSION = "1"
MATCHER = f"{MATCHER_NAME}-v{MATCHER_VERSION}"

WEIGHTS: dict[str, float] = {
    "name_similarity": 0.85,  # distinctive words, transliterated, any order or spacing
    "sector_words_agree": 0.15,  # + chemical / huagong... agree, - chemical vs pharmaceutical
    "place_agrees": 0.15,  # + shared Chinese province or city, - different ones
    "legal_form_compatible": 0.03,  # + same kind of legal form, - different kinds
    "country_agrees": 0.12,  # + same country, - different countries
    "entity_type_agrees": 0.2,  # - a person against an organization
    "birth_date_agrees": 0.15,  # + same date of birth, - different one
    "identifier_matches": 1.0,  # an exact identifier is a match on its own
    "alias_strength": 0.0,  # explains; a weak alias caps the status instead
}

MATCH_THRESHOLD = 0.90
POSSIBLE_THRESHOLD = 0.76


def status_for(score: float, *, weak_alias_only: bool) -> PartyStatus:
    """The status a score earns; a weak alias alone never earns more than ``possible``."""
    if score >= MATCH_THRESHOLD and not weak_alias_only:
        return PartyStatus.MATCH
    if score >= POSSIBLE_THRESHOLD:
        return PartyStatus.POSSIBLE
    return PartyStatus.CLEAR


def combine(weighted: list[tuple[float, float]]) -> float:
    """Sum of score x weight, clipped to [0, 1]."""
    return max(0.0, min(1.0, sum(score * weight for score, weight in weighted)))
