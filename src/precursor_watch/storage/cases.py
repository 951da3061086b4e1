"""Cases: the human follow-up of a non-clear decision.

A case has a status (``open`` -> ``in_review`` -> ``closed``), an assignee, comments and human
dispositions. A disposition is appended to ``case_dispositions`` with its reason and user; it
never changes the machine decision. Every change appends an audit entry in the same transaction.

These functions take a :class:`~sqlalchemy.orm.Session` and do not commit: the caller's
``session_scope`` is the transaction (the CLI and the web console call them the same way).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precursor_watch.errors import InvalidQueryError, NotFoundError
from precursor_watch.storage.audit import append_audit
from precursor_watch.storage.case_tables import CaseCommentRow, CaseDispositionRow, CaseRow
from precursor_watch.storage.decisions import CaseStatus, StoredDecision, get_decision


class Disposition(StrEnum):
    """What a person decided about a flagged order."""

    RELEASED = "released"
    BLOCKED = "blocked"
    REPORTED_TO_AUTHORITY = "reported_to_authority"
    FALSE_POSITIVE = "false_positive"


@dataclass(frozen=True, slots=True)
class Comment:
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DispositionRecord:
    disposition: str
    reason: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class CaseSummary:
    id: int
    decision_id: int
    order_id: str
    machine_outcome: str
    status: str
    assignee: str | None
    opened_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class CaseDetail:
    case: CaseSummary
    decision: StoredDecision
    comments: tuple[Comment, ...]
    dispositions: tuple[DispositionRecord, ...]

    @property
    def disposition(self) -> DispositionRecord | None:
        """The current (newest) human disposition, if any."""
        return self.dispositions[-1] if self.dispositions else None


def _summary(row: CaseRow) -> CaseSummary:
    return CaseSummary(
        row.id,
        row.decision_id,
        row.order_id,
        row.machine_outcome,
        row.status,
        row.assignee,
        row.opened_at,
        row.updated_at,
    )


def _case_row(session: Session, case_id: int) -> CaseRow:
    row = session.get(CaseRow, case_id)
    if row is None:
        raise NotFoundError(f"case {case_id} does not exist", field="case_id")
    return row


def list_cases(
    session: Session,
    *,
    status: str | None = None,
    assignee: str | None = None,
    outcome: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[CaseSummary]:
    """Cases, newest first, filtered by status, assignee and machine outcome."""
    if status is not None and status not in CaseStatus.ALL:
        raise InvalidQueryError(
            f"unknown case status {status!r}; use one of {', '.join(CaseStatus.ALL)}",
            field="status",
        )
    stmt = select(CaseRow).order_by(CaseRow.id.desc()).limit(limit).offset(offset)
    if status is not None:
        stmt = stmt.where(CaseRow.status == status)
    if assignee is not None:
        stmt = stmt.where(CaseRow.assignee == assignee)
    if outcome is not None:
        stmt = stmt.where(CaseRow.machine_outcome == outcome)
    return [_summary(row) for row in session.execute(stmt).scalars()]


def count_cases(session: Session, *, status: str | None = None) -> int:
    stmt = select(func.count()).select_from(CaseRow)
    if status is not None:
        stmt = stmt.where(CaseRow.status == status)
    return int(session.execute(stmt).scalar_one())


def get_case(session: Session, case_id: int) -> CaseDetail:
    row = _case_row(session, case_id)
    decision = get_decision(session, row.decision_id)
    if decision is None:  # a foreign key makes this impossible short of manual deletion
        raise NotFoundError(f"decision {row.decision_id} of case {case_id} is missing")
    comments = session.execute(
        select(CaseCommentRow).where(CaseCommentRow.case_id == case_id).order_by(CaseCommentRow.id)
    ).scalars()
    dispositions = session.execute(
        select(CaseDispositionRow)
        .where(CaseDispositionRow.case_id == case_id)
        .order_by(CaseDispositionRow.id)
    ).scalars()
    return CaseDetail(
        _summary(row),
        decision,
        tuple(Comment(c.author, c.body, c.created_at) for c in comments),
        tuple(
            DispositionRecord(d.disposition, d.reason, d.decided_by, d.decided_at)
            for d in dispositions
        ),
    )


def _required(value: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidQueryError(f"{field} must not be empty", field=field)
    return value


def assign_case(session: Session, case_id: int, assignee: str, *, actor: str) -> CaseSummary:
    """Give the case to ``assignee``; an open case moves to ``in_review``."""
    row = _case_row(session, case_id)
    assignee = _required(assignee, "assignee")
    previous = row.assignee
    row.assignee = assignee
    if row.status == CaseStatus.OPEN:
        row.status = CaseStatus.IN_REVIEW
    row.updated_at = datetime.now(UTC)
    append_audit(
        session,
        _required(actor, "actor"),
        "case.assign",
        f"case:{case_id}",
        {"assignee": assignee, "previous": previous, "status": row.status},
    )
    return _summary(row)


def set_case_status(session: Session, case_id: int, status: str, *, actor: str) -> CaseSummary:
    """Move a case to ``open``, ``in_review`` or ``closed`` (reopening is allowed, and audited)."""
    if status not in CaseStatus.ALL:
        raise InvalidQueryError(f"unknown case status {status!r}", field="status")
    row = _case_row(session, case_id)
    previous = row.status
    row.status = status
    row.updated_at = datetime.now(UTC)
    append_audit(
        session,
        _required(actor, "actor"),
        "case.status",
        f"case:{case_id}",
        {"status": status, "previous": previous},
    )
    return _summary(row)


def comment_case(session: Session, case_id: int, body: str, *, author: str) -> Comment:
    row = _case_row(session, case_id)
    body, author = _required(body, "comment"), _required(author, "author")
    now = datetime.now(UTC)
    session.add(CaseCommentRow(case_id=case_id, author=author, body=body, created_at=now))
    row.updated_at = now
    append_audit(session, author, "case.comment", f"case:{case_id}", {"body": body})
    return Comment(author, body, now)


def dispose_case(
    session: Session, case_id: int, disposition: Disposition | str, reason: str, *, user: str
) -> DispositionRecord:
    """Record a human disposition with its reason and close the case. The machine decision
    stays as it was; a later disposition is appended, the earlier ones are kept."""
    try:
        value = Disposition(disposition)
    except ValueError:
        allowed = ", ".join(d.value for d in Disposition)
        raise InvalidQueryError(
            f"unknown disposition {disposition!r}; use one of {allowed}", field="disposition"
        ) from None
    row = _case_row(session, case_id)
    reason, user = _required(reason, "reason"), _required(user, "user")
    now = datetime.now(UTC)
    session.add(
        CaseDispositionRow(
            case_id=case_id, disposition=value.value, reason=reason, decided_by=user, decided_at=now
        )
    )
    row.status = CaseStatus.CLOSED
    row.updated_at = now
    append_audit(
        session,
        user,
        "case.dispose",
        f"case:{case_id}",
        {
            "disposition": value.value,
            "reason": reason,
            "order_id": row.order_id,
            "machine_outcome": row.machine_outcome,
        },
    )
    return DispositionRecord(value.value, reason, user, now)
