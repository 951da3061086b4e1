"""Store machine decisions: one immutable row each, a case for every non-clear one, an audit entry.

The decision row is never updated (a trigger refuses it); human follow-up lives in the case
tables. :func:`record_decisions` writes many decisions in the caller's transaction with one audit
lock, which is how a batch partition commits atomically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from precursor_watch.domain.outcomes import OrderOutcome
from precursor_watch.screening.batch_records import DecisionToStore
from precursor_watch.storage.audit import AuditItem, append_audit_many, canonical_json
from precursor_watch.storage.case_tables import CaseRow, DecisionRow

SYSTEM_ACTOR = "system"


class CaseStatus:
    OPEN = "open"
    IN_REVIEW = "in_review"
    CLOSED = "closed"
    ALL = (OPEN, IN_REVIEW, CLOSED)


@dataclass(frozen=True, slots=True)
class StoredDecision:
    id: int
    order_id: str
    outcome: str
    findings: list[dict[str, Any]]
    versions: dict[str, Any]
    input_hash: str
    order_data: dict[str, Any] | None
    run_id: str | None
    decided_at: datetime


def decision_digest(decision_json: Mapping[str, Any]) -> str:
    """sha256 of a decision's canonical JSON: the audit entry pins the decision's content."""
    return hashlib.sha256(canonical_json(decision_json).encode("utf-8")).hexdigest()


def record_decisions(
    session: Session, items: Sequence[DecisionToStore], *, actor: str = SYSTEM_ACTOR
) -> list[int]:
    """Insert the decisions, open a case for each non-clear one, append one audit entry per
    decision; return the decision ids in order. Runs in the caller's transaction."""
    if not items:
        return []
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    digests: list[str] = []
    for item in items:
        d = item.decision
        as_json = d.to_json()
        digests.append(decision_digest(as_json))
        rows.append(
            {
                "order_id": d.order_id,
                "run_id": item.run_id,
                "partition": item.partition,
                "position": item.position,
                "input_hash": d.input_hash,
                "outcome": d.outcome.value,
                "findings": as_json["findings"],
                "versions": as_json["versions"],
                "rule_set_version": d.versions.rule_set,
                "knowledge_base_version": d.versions.knowledge_base,
                "order_data": dict(item.order_data) if item.order_data is not None else None,
                "decided_at": now,
            }
        )
    partition = _one_partition(items)
    if partition is not None:
        ids = _insert_partition_decisions(session, rows, items, *partition)
    else:
        ids = list(
            session.execute(
                insert(cast(Table, DecisionRow.__table__)).returning(
                    DecisionRow.id, sort_by_parameter_order=True
                ),
                rows,
            ).scalars()
        )
    case_rows = [
        {
            "decision_id": decision_id,
            "order_id": item.decision.order_id,
            "machine_outcome": item.decision.outcome.value,
            "status": CaseStatus.OPEN,
            "assignee": None,
            "opened_at": now,
            "updated_at": now,
        }
        for decision_id, item in zip(ids, items, strict=True)
        if item.decision.outcome is not OrderOutcome.CLEAR
    ]
    case_ids: dict[int, int] = {}
    if case_rows and partition is not None:
        session.execute(insert(cast(Table, CaseRow.__table__)), case_rows)
        stmt = (
            select(CaseRow.decision_id, CaseRow.id)
            .join(DecisionRow, DecisionRow.id == CaseRow.decision_id)
            .where(DecisionRow.run_id == partition[0], DecisionRow.partition == partition[1])
        )
        case_ids = {decision_id: case_id for decision_id, case_id in session.execute(stmt)}
    elif case_rows:
        returned = session.execute(
            insert(cast(Table, CaseRow.__table__)).returning(
                CaseRow.id, CaseRow.decision_id, sort_by_parameter_order=True
            ),
            case_rows,
        ).all()
        case_ids = {decision_id: case_id for case_id, decision_id in returned}
    audit: list[AuditItem] = []
    for decision_id, item, digest in zip(ids, items, digests, strict=True):
        payload: dict[str, Any] = {
            "decision_id": decision_id,
            "outcome": item.decision.outcome.value,
            "input_hash": item.decision.input_hash,
            "decision_sha256": digest,
            "rule_ids": sorted({f.rule_id for f in item.decision.findings}),
        }
        if item.run_id is not None:
            payload["run"] = {
                "id": item.run_id,
                "partition": item.partition,
                "position": item.position,
            }
        if decision_id in case_ids:
            payload["case_id"] = case_ids[decision_id]
        audit.append((actor, "decision.recorded", f"order:{item.decision.order_id}", payload))
    append_audit_many(session, audit)
    return ids


def _one_partition(items: Sequence[DecisionToStore]) -> tuple[str, int] | None:
    """(run id, partition) when every item is a decision of that one batch partition, each at
    its own position; None otherwise."""
    first = items[0]
    if first.run_id is None or first.partition is None:
        return None
    positions = set()
    for item in items:
        if item.run_id != first.run_id or item.partition != first.partition:
            return None
        if item.position is None or item.position in positions:
            return None
        positions.add(item.position)
    return first.run_id, first.partition


def _insert_partition_decisions(
    session: Session,
    rows: list[dict[str, Any]],
    items: Sequence[DecisionToStore],
    run_id: str,
    partition: int,
) -> list[int]:
    """Insert one partition's decisions with a plain multi-row insert (no RETURNING, which
    SQLAlchemy runs row by row when the order of the ids must be kept) and read their ids back
    by (run, partition, position), which is unique. The ids are those RETURNING would give:
    the rows are inserted in the same order in the same transaction."""
    session.execute(insert(cast(Table, DecisionRow.__table__)), rows)
    stmt = select(DecisionRow.position, DecisionRow.id).where(
        DecisionRow.run_id == run_id, DecisionRow.partition == partition
    )
    by_position: dict[int | None, int] = {pos: i for pos, i in session.execute(stmt)}
    return [by_position[item.position] for item in items]


def _stored(row: DecisionRow) -> StoredDecision:
    return StoredDecision(
        row.id,
        row.order_id,
        row.outcome,
        row.findings,
        row.versions,
        row.input_hash,
        row.order_data,
        row.run_id,
        row.decided_at,
    )


def get_decision(session: Session, decision_id: int) -> StoredDecision | None:
    row = session.get(DecisionRow, decision_id)
    return _stored(row) if row is not None else None


def decisions_for_order(session: Session, order_id: str) -> list[StoredDecision]:
    stmt = select(DecisionRow).where(DecisionRow.order_id == order_id).order_by(DecisionRow.id)
    return [_stored(row) for row in session.execute(stmt).scalars()]
