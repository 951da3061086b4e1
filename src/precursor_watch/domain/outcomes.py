"""Ordered outcomes: every decision is the worst of its findings.

Three scales share one mechanism:

* substances: ``clear < watch < controlled``, plus ``unknown`` (nothing resolved) and
  ``invalid`` (malformed input), which sit outside the ordering of a resolved substance;
* parties: ``clear < possible < match``;
* orders: ``clear < review < hold < block``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum, StrEnum
from functools import cache
from typing import TypeVar


@cache
def _ranks(scale: type[Enum]) -> dict[Enum, int]:
    """Member -> position in declaration order, computed once per scale."""
    return {member: position for position, member in enumerate(scale)}


class RankedOutcome(StrEnum):
    """A string enum whose members are ordered by declaration (first is mildest)."""

    @property
    def rank(self) -> int:
        return _ranks(type(self))[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank >= other.rank


OutcomeT = TypeVar("OutcomeT", bound=RankedOutcome)


def worst_of(outcomes: Iterable[OutcomeT], default: OutcomeT) -> OutcomeT:
    """The most severe outcome, or ``default`` when there is none."""
    worst = default
    for outcome in outcomes:
        if outcome > worst:
            worst = outcome
    return worst


class SubstanceStatus(RankedOutcome):
    """Status of one substance query. ``invalid`` < ``unknown`` < ``clear`` < ``watch`` < ``controlled``."""

    INVALID = "invalid"
    UNKNOWN = "unknown"
    CLEAR = "clear"
    WATCH = "watch"
    CONTROLLED = "controlled"


class PartyStatus(RankedOutcome):
    """Status of one party query."""

    CLEAR = "clear"
    POSSIBLE = "possible"
    MATCH = "match"


class OrderOutcome(RankedOutcome):
    """Decision on an order: the worst finding wins."""

    CLEAR = "clear"
    REVIEW = "review"
    HOLD = "hold"
    BLOCK = "block"
