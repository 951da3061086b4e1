"""What the batch report shows, counted partition by partition and merged in partition order.

A :class:`ReportTally` is plain JSON when saved, so each partition's tally is written next to its
decisions and a resumed (or distributed) run merges exactly the same numbers. Memory is bounded:
counters are keyed by outcome, rule, country and identified substance, and only the first
``flagged_limit`` flagged orders of each outcome (block, hold, review) keep their details.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

FLAGGED_LIMIT = 200  # per outcome


@dataclass(frozen=True, slots=True)
class Structure:
    """A structure to draw for a flagged line: name, SMILES and the atoms the rule matched."""

    name: str
    smiles: str
    atoms: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "smiles": self.smiles, "atoms": list(self.atoms)}


@dataclass
class ReportTally:
    orders: int = 0
    error_rows: int = 0
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    by_country: Counter[str] = field(default_factory=Counter)
    by_substance: Counter[str] = field(default_factory=Counter)
    flagged_total: int = 0
    flagged: list[dict[str, Any]] = field(default_factory=list)
    versions: dict[str, dict[str, Any]] = field(default_factory=dict)
    flagged_limit: int = FLAGGED_LIMIT
    _kept: Counter[str] = field(default_factory=Counter, repr=False)  # flagged kept per outcome

    def add_decision(
        self,
        decision: dict[str, Any],
        *,
        lines: tuple[int, ...] = (),
        country: str | None = None,
        buyer: str | None = None,
        substances: tuple[str, ...] = (),
        structures: tuple[Structure, ...] = (),
    ) -> None:
        """Count one decision (its ``Decision.to_json()``) and keep it if it is flagged."""
        self.orders += 1
        outcome = str(decision["decision"])
        self.by_outcome[outcome] += 1
        versions = decision.get("versions") or {}
        key = repr(sorted(versions.items()))
        if key not in self.versions and len(self.versions) < 20:
            self.versions[key] = versions
        if outcome == "clear":
            return
        self.flagged_total += 1
        findings = [f for f in decision["findings"] if f.get("outcome") != "clear"]
        for rule_id in sorted({str(f["rule_id"]) for f in findings}):
            self.by_rule[rule_id] += 1
        self.by_country[country or "unknown"] += 1
        for name in sorted(set(substances)) or ["(none identified)"]:
            self.by_substance[name] += 1
        if self._kept[outcome] < self.flagged_limit:
            self._kept[outcome] += 1
            self.flagged.append(
                {
                    "order_id": decision["order_id"],
                    "outcome": outcome,
                    "lines": list(lines),
                    "country": country,
                    "buyer": buyer,
                    "findings": findings,
                    "structures": [s.to_json() for s in structures],
                }
            )

    def add_errors(self, count: int) -> None:
        self.error_rows += count

    def merge(self, other: ReportTally) -> None:
        """Add ``other`` (the next partition) to this tally."""
        self.orders += other.orders
        self.error_rows += other.error_rows
        self.by_outcome.update(other.by_outcome)
        self.by_rule.update(other.by_rule)
        self.by_country.update(other.by_country)
        self.by_substance.update(other.by_substance)
        self.flagged_total += other.flagged_total
        for order in other.flagged:
            outcome = str(order["outcome"])
            if self._kept[outcome] < self.flagged_limit:
                self.flagged.append(order)
                self._kept[outcome] += 1
        for key, versions in other.versions.items():
            if key not in self.versions and len(self.versions) < 20:
                self.versions[key] = versions

    def to_json(self) -> dict[str, Any]:
        return {
            "orders": self.orders,
            "error_rows": self.error_rows,
            "by_outcome": dict(sorted(self.by_outcome.items())),
            "by_rule": dict(sorted(self.by_rule.items())),
            "by_country": dict(sorted(self.by_country.items())),
            "by_substance": dict(sorted(self.by_substance.items())),
            "flagged_total": self.flagged_total,
            "flagged": self.flagged,
            "versions": self.versions,
            "flagged_limit": self.flagged_limit,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportTally:
        return cls(
            orders=int(data["orders"]),
            error_rows=int(data["error_rows"]),
            by_outcome=Counter(data["by_outcome"]),
            by_rule=Counter(data["by_rule"]),
            by_country=Counter(data["by_country"]),
            by_substance=Counter(data["by_substance"]),
            flagged_total=int(data["flagged_total"]),
            flagged=list(data["flagged"]),
            versions=dict(data["versions"]),
            flagged_limit=int(data.get("flagged_limit", FLAGGED_LIMIT)),
            _kept=Counter(str(o["outcome"]) for o in data["flagged"]),
        )
