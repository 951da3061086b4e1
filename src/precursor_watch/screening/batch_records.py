"""The records a batch hands to its store: plain frozen values, no database types.

``storage.decisions.record_decisions`` and ``storage.runs.DbRunStore`` take them; a distributed
runner can ship them between processes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from precursor_watch.domain.findings import Decision


@dataclass(frozen=True, slots=True)
class DecisionToStore:
    """A decision and where it came from (a batch position, or none for a single screening).
    ``order_data`` (the order as JSON) is kept for non-clear decisions: reports need it."""

    decision: Decision
    order_data: Mapping[str, Any] | None = None
    run_id: str | None = None
    partition: int | None = None
    position: int | None = None


@dataclass(frozen=True, slots=True)
class RunInfo:
    """A batch run as the store records it."""

    run_id: str
    input_name: str
    input_sha256: str
    input_size: int
    input_format: str
    options: dict[str, Any]
    partitions: int
