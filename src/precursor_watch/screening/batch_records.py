"""The records a batch hands to its store: plain frozen values, no database types.

``storage.decisions.record_decisions`` and ``storage.runs.DbRunStore`` take them; a distributed
runner can ship them between processes. A :class:`DecisionToStore` is a decision object; a
:class:`PreparedDecision` is the same decision serialized once, where it was made (the cluster
worker that screened it), into the text the store writes, so that the process that commits
(one per run) does no serialization or hashing of its own beyond the audit chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from precursor_watch.domain.findings import Decision
from precursor_watch.domain.json_text import JsonText, canonical_json, canonical_with, column_json
from precursor_watch.screening.case_facts import flagging_rules, order_countries


@dataclass(frozen=True, slots=True)
class DecisionToStore:
    """A decision and where it came from (a batch position, or none for a single screening).
    ``order_data`` (the order as JSON) is kept for non-clear decisions: reports need it."""

    decision: Decision
    order_data: Mapping[str, Any] | None = None
    run_id: str | None = None
    partition: int | None = None
    position: int | None = None


class PreparedDecision(NamedTuple):
    """A decision as the store writes it: its columns, the JSON ones as text, and the digest of
    its canonical JSON.

    A named tuple: a partition's 13,000 travel from a cluster worker to the committing process,
    which rebuilds them from columns in C (``screening.partition_result``) instead of calling a
    frozen dataclass's ``__init__`` for each."""

    order_id: str
    outcome: str
    input_hash: str
    findings: JsonText
    versions: JsonText
    rule_set: str | None
    knowledge_base: str
    order_data: JsonText | None
    digest: str
    rule_ids: tuple[str, ...]  # sorted, distinct: the audit entry lists them
    run_id: str | None = None
    partition: int | None = None
    position: int | None = None
    # what the case queue filters on (``screening.case_facts``); empty for a clear decision
    flagging_rules: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    @property
    def is_clear(self) -> bool:
        return self.outcome == "clear"

    @classmethod
    def of(
        cls,
        item: DecisionToStore,
        decision_json: Mapping[str, Any] | None = None,
        versions_text: str | None = None,
        *,
        findings_text: str | None = None,
        canonical: str | None = None,
    ) -> PreparedDecision:
        """Serialize ``item``. What the caller already has: ``decision_json``
        (``item.decision.to_json()``), the canonical JSON of its versions
        (``versions_text``), of its findings (``findings_text``) and of the whole decision
        (``canonical``, made with those two texts)."""
        d = item.decision
        as_json = decision_json if decision_json is not None else d.to_json()
        findings = findings_text or canonical_json(as_json["findings"])
        versions = versions_text or canonical_json(as_json["versions"])
        if canonical is None:
            canonical = canonical_with(as_json, {"findings": findings, "versions": versions})
        flagged = d.outcome.value != "clear"
        return cls(
            order_id=d.order_id,
            outcome=d.outcome.value,
            input_hash=d.input_hash,
            findings=JsonText(findings),
            versions=versions if isinstance(versions, JsonText) else JsonText(versions),
            rule_set=d.versions.rule_set,
            knowledge_base=d.versions.knowledge_base,
            order_data=column_json(dict(item.order_data)) if item.order_data is not None else None,
            digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
            rule_ids=tuple(sorted({f.rule_id for f in d.findings})),
            run_id=item.run_id,
            partition=item.partition,
            position=item.position,
            flagging_rules=tuple(sorted(flagging_rules(as_json["findings"]))) if flagged else (),
            countries=tuple(sorted(order_countries(item.order_data))) if flagged else (),
        )


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
