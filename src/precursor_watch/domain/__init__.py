"""Pure domain types shared by every part of precursor-watch. Imports nothing but the stdlib."""

from precursor_watch.domain.findings import Decision, Finding, input_hash
from precursor_watch.domain.outcomes import (
    OrderOutcome,
    PartyStatus,
    RankedOutcome,
    SubstanceStatus,
    worst_of,
)
from precursor_watch.domain.parties import (
    AliasStrength,
    EntityName,
    EntityType,
    Identifier,
    ListEntity,
    MatchFeature,
    PartyMatch,
    PartyQuery,
    PartyScreening,
)
from precursor_watch.domain.provenance import DataVersions, DateSpan, SourceRef
from precursor_watch.domain.substances import (
    Confidence,
    Control,
    ControlBasis,
    SubstanceRef,
    SubstanceScreening,
    WatchBasis,
    WatchHit,
)

__all__ = [
    "AliasStrength",
    "Confidence",
    "Control",
    "ControlBasis",
    "DataVersions",
    "DateSpan",
    "Decision",
    "EntityName",
    "EntityType",
    "Finding",
    "Identifier",
    "ListEntity",
    "MatchFeature",
    "OrderOutcome",
    "PartyMatch",
    "PartyQuery",
    "PartyScreening",
    "PartyStatus",
    "RankedOutcome",
    "SourceRef",
    "SubstanceRef",
    "SubstanceScreening",
    "SubstanceStatus",
    "WatchBasis",
    "WatchHit",
    "input_hash",
    "worst_of",
]
