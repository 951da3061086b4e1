"""Pure data types for party (sanctions and watch-list) screening."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from precursor_watch.domain.outcomes import PartyStatus


class EntityType(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Identifier:
    """A typed identifier: registration or tax number, passport, email, phone, website, wallet."""

    kind: str  # e.g. "registration", "tax", "passport", "national_id", "email", "phone", "website", "wallet"
    value: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class PartyQuery:
    """What we know about a party to screen."""

    name: str
    country: str | None = None
    entity_type: EntityType | None = None
    identifiers: tuple[Identifier, ...] = ()
    birth_date: date | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class MatchFeature:
    """One compared fact behind a score: its name, weight in the score, the values and a sentence."""

    name: str
    score: float
    weight: float
    query_value: str | None
    candidate_value: str | None
    explanation: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "score": round(self.score, 4),
            "weight": round(self.weight, 4),
            "query_value": self.query_value,
            "candidate_value": self.candidate_value,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class PartyMatch:
    list: str
    list_version: str
    entity_id: str
    name: str
    matched_name: str
    score: float
    programs: tuple[str, ...]
    countries: tuple[str, ...]
    features: tuple[MatchFeature, ...]
    explanation: tuple[str, ...]
    entity_type: EntityType = EntityType.UNKNOWN

    def to_json(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "list_version": self.list_version,
            "entity_id": self.entity_id,
            "name": self.name,
            "matched_name": self.matched_name,
            "score": round(self.score, 4),
            "programs": list(self.programs),
            "countries": list(self.countries),
            "entity_type": self.entity_type.value,
            "features": [f.to_json() for f in self.features],
            "explanation": list(self.explanation),
        }


@dataclass(frozen=True, slots=True)
class PartyScreening:
    query: str
    status: PartyStatus
    matches: tuple[PartyMatch, ...]
    matcher: str
    list_versions: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "status": self.status.value,
            "matches": [m.to_json() for m in self.matches],
            "matcher": self.matcher,
            "list_versions": dict(sorted(self.list_versions.items())),
        }


class AliasStrength(StrEnum):
    PRIMARY = "primary"
    STRONG = "strong"  # a.k.a./f.k.a. published as a full alias
    WEAK = "weak"  # OFAC "weak a.k.a." (remarks): low-quality, confirms but never matches alone


@dataclass(frozen=True, slots=True)
class EntityName:
    name: str
    strength: AliasStrength = AliasStrength.STRONG
    script: str | None = None  # e.g. "Latn", "Hani", "Cyrl", "Arab" when known
    kind: str = "aka"  # "primary", "aka", "fka", "nka", "original_script"


@dataclass(frozen=True, slots=True)
class ListEntity:
    """One entry of a sanctions or watch list, as loaded from the official file."""

    list: str  # e.g. "us_ofac_sdn", "un_sc_consolidated", "us_trade_csl"
    entity_id: str  # the list's own id (OFAC: ent_num)
    entity_type: EntityType
    names: tuple[EntityName, ...]  # names[0] is the primary name
    programs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 where known
    addresses: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()  # ISO dates or partial ("1970", "1970-05")
    identifiers: tuple[Identifier, ...] = ()
    remarks: str | None = None
    source_line: int | None = None

    @property
    def primary_name(self) -> str:
        return self.names[0].name if self.names else ""
