"""Where a fact comes from: list, version, entry, and the data versions a decision used."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A pointer to the record a finding rests on (a list entry, a legal text, a rule)."""

    list: str
    version: str
    entry: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class DataVersions:
    """The versions of every data set and rule set a decision was computed with."""

    knowledge_base: str
    rule_set: str | None = None
    matcher: str | None = None
    lists: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "knowledge_base": self.knowledge_base,
            "rule_set": self.rule_set,
            "matcher": self.matcher,
            "lists": dict(sorted(self.lists.items())),
        }


@dataclass(frozen=True, slots=True)
class DateSpan:
    """When a control is in force: ``start`` inclusive, ``end`` exclusive (None = open)."""

    start: date
    end: date | None = None

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)
