"""Store machine decisions: one immutable row each, a case for every non-clear one, an audit entry.

The decision row is never updated (a trigger refuses it); human follow-up lives in the case
tables. :func:`record_decisions` writes many decisions in the caller's transaction with one audit
lock, which is how a batch partition commits atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from precursor_watch.domain.json_text import JsonText, json_string
from precursor_watch.screening.batch_records import DecisionToStore, PreparedDecision
from precursor_watch.storage.audit import AuditItem, append_audit_many
from precursor_watch.storage.bulk_insert import driver_value, insert_tuples
from precursor_watch.storage.case_index import index_cases
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


def record_decisions(
    session: Session,
    items: Sequence[DecisionToStore | PreparedDecision],
    *,
    actor: str = SYSTEM_ACTOR,
) -> list[int]:
    """Insert the decisions, open a case for each non-clear one, append one audit entry per
    decision; return the decision ids in order. Runs in the caller's transaction. A batch passes
    ``PreparedDecision`` items (serialized where they were screened); others are prepared here."""
    if not items:
        return []
    prepared = [i if isinstance(i, PreparedDecision) else PreparedDecision.of(i) for i in items]
    now = datetime.now(UTC)
    partition = _one_partition(prepared)
    if partition is not None:
        ids = _insert_partition_decisions(session, prepared, now, *partition)
    else:
        rows = [
            dict(zip(DECISION_COLUMNS, _decision_values(p, now), strict=True)) for p in prepared
        ]
        ids = list(
            session.execute(
                insert(cast(Table, DecisionRow.__table__)).returning(
                    DecisionRow.id, sort_by_parameter_order=True
                ),
                rows,
            ).scalars()
        )
    case_ids = _open_cases(session, ids, prepared, partition, now)
    index_cases(session, ids, prepared, case_ids)  # what the case queue filters on
    audit: list[AuditItem] = [
        (actor, "decision.recorded", f"order:{p.order_id}", _payload(p, i, case_ids.get(i)))
        for i, p in zip(ids, prepared, strict=True)
    ]
    append_audit_many(session, audit, entries_wanted=False)
    return ids


DECISION_COLUMNS = (
    "order_id",
    "run_id",
    "partition",
    "position",
    "input_hash",
    "outcome",
    "findings",
    "versions",
    "rule_set_version",
    "knowledge_base_version",
    "order_data",
    "decided_at",
)


def _decision_values(p: PreparedDecision, decided_at: Any) -> tuple[Any, ...]:
    """The row of ``p`` in ``DECISION_COLUMNS`` order."""
    return (
        p.order_id,
        p.run_id,
        p.partition,
        p.position,
        p.input_hash,
        p.outcome,
        p.findings,
        p.versions,
        p.rule_set,
        p.knowledge_base,
        p.order_data,
        decided_at,
    )


def _payload(p: PreparedDecision, decision_id: int, case_id: int | None) -> JsonText:
    """The audit payload of a recorded decision, in canonical JSON: ``case_id`` (when a case
    opened), ``decision_id``, ``decision_sha256``, ``input_hash``, ``outcome``, ``rule_ids``,
    ``run`` (``id``, ``partition``, ``position``; batch decisions only), keys in sorted order
    (a test holds it equal to ``canonical_json`` of the same object)."""
    rule_ids = ",".join(json_string(r) for r in p.rule_ids)
    text = "{" if case_id is None else f'{{"case_id":{int(case_id)},'
    text += (
        f'"decision_id":{int(decision_id)},"decision_sha256":{json_string(p.digest)},'
        f'"input_hash":{json_string(p.input_hash)},"outcome":{json_string(p.outcome)},'
        f'"rule_ids":[{rule_ids}]'
    )
    if p.run_id is not None:
        text += (
            f',"run":{{"id":{json_string(p.run_id)},"partition":{_int_or_null(p.partition)},'
            f'"position":{_int_or_null(p.position)}}}'
        )
    return JsonText(text + "}")


def _int_or_null(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def _open_cases(
    session: Session,
    ids: list[int],
    prepared: list[PreparedDecision],
    partition: tuple[str, int] | None,
    now: datetime,
) -> dict[int, int]:
    """A case for every non-clear decision; decision id -> case id."""
    flagged = [
        (decision_id, p) for decision_id, p in zip(ids, prepared, strict=True) if not p.is_clear
    ]
    if not flagged:
        return {}
    table = cast(Table, CaseRow.__table__)
    if partition is not None:
        at = driver_value(session, table.c.opened_at, now)
        insert_tuples(
            session,
            table,
            CASE_COLUMNS,
            [
                (decision_id, p.order_id, p.outcome, CaseStatus.OPEN, None, at, at)
                for decision_id, p in flagged
            ],
        )
        stmt = (
            select(CaseRow.decision_id, CaseRow.id)
            .join(DecisionRow, DecisionRow.id == CaseRow.decision_id)
            .where(DecisionRow.run_id == partition[0], DecisionRow.partition == partition[1])
        )
        return {decision_id: case_id for decision_id, case_id in session.execute(stmt)}
    case_rows = [
        dict(
            zip(
                CASE_COLUMNS,
                (decision_id, p.order_id, p.outcome, CaseStatus.OPEN, None, now, now),
                strict=True,
            )
        )
        for decision_id, p in flagged
    ]
    returned = session.execute(
        insert(table).returning(CaseRow.id, CaseRow.decision_id, sort_by_parameter_order=True),
        case_rows,
    ).all()
    return {decision_id: case_id for case_id, decision_id in returned}


CASE_COLUMNS = (
    "decision_id",
    "order_id",
    "machine_outcome",
    "status",
    "assignee",
    "opened_at",
    "updated_at",
)


def _one_partition(items: Sequence[PreparedDecision]) -> tuple[str, int] | None:
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
    items: Sequence[PreparedDecision],
    now: datetime,
    run_id: str,
    partition: int,
) -> list[int]:
    """Insert one partition's decisions with one ``executemany`` of plain tuples
    (``storage.bulk_insert``; no RETURNING, which SQLAlchemy runs row by row when the order of
    the ids must be kept) and read their ids back by (run, partition, position), which is
    unique. The ids are those RETURNING would give: the rows are inserted in the same order in the
    same transaction."""
    table = cast(Table, DecisionRow.__table__)
    decided_at = driver_value(session, table.c.decided_at, now)
    insert_tuples(
        session, table, DECISION_COLUMNS, [_decision_values(p, decided_at) for p in items]
    )
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
