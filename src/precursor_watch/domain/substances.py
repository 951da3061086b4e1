"""Pure data types for substance screening (no RDKit, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from precursor_watch.domain.outcomes import SubstanceStatus


class ControlBasis(StrEnum):
    """Why a listing applies to the queried structure."""

    LISTED = "listed"  # the structure is the listed substance itself
    SALT = "salt"  # a salt, hydrate or solvate of the listed substance
    ISOMER = "isomer"  # a stereoisomer (same connectivity) of the listed substance
    CLASS = "class"  # covered by a generic (class-wide) legal definition


class WatchBasis(StrEnum):
    STRUCTURAL = "structural"  # one known modification away from a listed precursor
    SURVEILLANCE_LIST = "surveillance-list"  # named on a watch list without legal control


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class SubstanceRef:
    """The identity of the substance a query resolved to."""

    name: str
    cas: str | None
    smiles: str | None
    inchikey: str | None
    substance_id: str | None = None  # knowledge-base id; None for an unlisted structure

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "cas": self.cas,
            "smiles": self.smiles,
            "inchikey": self.inchikey,
        }


@dataclass(frozen=True, slots=True)
class Control:
    """One control that applies to the queried substance in one jurisdiction."""

    jurisdiction: str
    list: str
    entry: str
    basis: ControlBasis
    effective: date
    source: str
    confidence: Confidence
    end: date | None = None
    listing_id: str | None = None
    rule_id: str | None = None
    effective_precision: str = "day"
    matched_atoms: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "jurisdiction": self.jurisdiction,
            "list": self.list,
            "entry": self.entry,
            "basis": self.basis.value,
            "effective": self.effective.isoformat(),
            "source": self.source,
            "confidence": self.confidence.value,
        }
        if self.end is not None:
            out["end"] = self.end.isoformat()
        if self.effective_precision != "day":
            out["effective_precision"] = self.effective_precision
        if self.listing_id:
            out["listing_id"] = self.listing_id
        if self.rule_id:
            out["rule_id"] = self.rule_id
        return out


@dataclass(frozen=True, slots=True)
class WatchHit:
    """A designer-precursor signal: close to a listed precursor but not covered by a rule."""

    basis: WatchBasis
    resembles: str
    modification: str
    similarity: float
    resembles_id: str | None = None
    matched_atoms: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "basis": self.basis.value,
            "resembles": self.resembles,
            "modification": self.modification,
            "similarity": round(self.similarity, 3),
        }


@dataclass(frozen=True, slots=True)
class SubstanceScreening:
    """The answer to one substance query; ``to_json`` is the documented JSON object."""

    query: str
    status: SubstanceStatus
    substance: SubstanceRef | None
    controls: tuple[Control, ...]
    watch: tuple[WatchHit, ...]
    explanation: tuple[str, ...]
    data_version: str
    error: str | None = None
    resolved_by: str | None = None  # how the query was resolved: name, cas, smiles, inchi, ...
    as_of: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({c.jurisdiction for c in self.controls}))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": self.query,
            "status": self.status.value,
            "substance": self.substance.to_json() if self.substance else None,
            "controls": [c.to_json() for c in self.controls],
            "watch": [w.to_json() for w in self.watch],
            "explanation": list(self.explanation),
            "data_version": self.data_version,
        }
        if self.error is not None:
            out["error"] = self.error
        if self.resolved_by is not None:
            out["resolved_by"] = self.resolved_by
        if self.as_of is not None:
            out["as_of"] = self.as_of.isoformat()
        return out
