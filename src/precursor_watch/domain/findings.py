"""Findings and decisions: the explainable, replayable record of a screening."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from precursor_watch.domain.json_text import ascii_sorted_json
from precursor_watch.domain.outcomes import OrderOutcome, worst_of
from precursor_watch.domain.provenance import DataVersions, SourceRef


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's conclusion about one order: rule, outcome, evidence, source and a sentence."""

    rule_id: str
    rule_version: str
    outcome: OrderOutcome
    sentence: str
    evidence: dict[str, Any] = field(default_factory=dict)
    source: SourceRef | None = None
    citation: str | None = None
    line: int | None = None  # order line number the finding is about, if any
    party_role: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "rule_version": self.rule_version,
            "outcome": self.outcome.value,
            "sentence": self.sentence,
            "evidence": self.evidence,
        }
        if self.source is not None:
            out["source"] = {
                "list": self.source.list,
                "version": self.source.version,
                "entry": self.source.entry,
                "url": self.source.url,
            }
        if self.citation:
            out["citation"] = self.citation
        if self.line is not None:
            out["line"] = self.line
        if self.party_role:
            out["party_role"] = self.party_role
        return out


def input_hash(payload: Any) -> str:
    """A stable sha256 of a JSON-serialisable input, for replay and de-duplication."""
    return hashlib.sha256(ascii_sorted_json(payload)).hexdigest()


@dataclass(frozen=True, slots=True)
class Decision:
    """The decision on one order: the worst of its findings, with the versions used."""

    order_id: str
    outcome: OrderOutcome
    findings: tuple[Finding, ...]
    versions: DataVersions
    input_hash: str

    @classmethod
    def from_findings(
        cls,
        order_id: str,
        findings: tuple[Finding, ...],
        versions: DataVersions,
        input_digest: str,
    ) -> Decision:
        outcome = worst_of((f.outcome for f in findings), OrderOutcome.CLEAR)
        ordered = tuple(sorted(findings, key=lambda f: (-f.outcome.rank, f.rule_id, f.line or 0)))
        return cls(order_id, outcome, ordered, versions, input_digest)

    def to_json(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "decision": self.outcome.value,
            "findings": [f.to_json() for f in self.findings],
            "versions": self.versions.as_dict(),
            "input_hash": self.input_hash,
        }
