"""The case queue with the filters the console offers: decision, status, rule, country, assignee
and opening date. Reads the cases and decisions tables, and for the rule and country filters
the index tables written when a case opens (``storage.case_index``): exact matches, one index
lookup each. Changes go through ``storage.cases``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from precursor_watch.errors import InputError
from precursor_watch.storage.case_fact_tables import CaseCountryRow, CaseRuleRow
from precursor_watch.storage.case_tables import CaseRow, DecisionRow
from precursor_watch.storage.decisions import CaseStatus
from precursor_watch.web.dashboard_stats import destination_of

DECISIONS = ("block", "hold", "review")
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class CaseFilters:
    decision: str | None = None
    status: str | None = None
    rule: str | None = None
    country: str | None = None
    assignee: str | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    page: int = 1

    def __post_init__(self) -> None:
        if self.decision and self.decision not in DECISIONS:
            raise InputError(
                f"decision must be one of {', '.join(DECISIONS)}, not {self.decision!r}",
                field="decision",
            )
        if self.status and self.status not in CaseStatus.ALL:
            raise InputError(
                f"status must be one of {', '.join(CaseStatus.ALL)}, not {self.status!r}",
                field="status",
            )
        if self.opened_from and self.opened_to and self.opened_from > self.opened_to:
            raise InputError("opened_from is after opened_to", field="opened_from")

    def as_params(self) -> dict[str, str]:
        return {
            k: str(v)
            for k, v in (
                ("decision", self.decision),
                ("status", self.status),
                ("rule", self.rule),
                ("country", self.country),
                ("assignee", self.assignee),
                ("opened_from", self.opened_from),
                ("opened_to", self.opened_to),
            )
            if v
        }


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def query_cases(session: Session, filters: CaseFilters) -> dict[str, Any]:
    stmt = select(CaseRow, DecisionRow.findings, DecisionRow.order_data).join(
        DecisionRow, DecisionRow.id == CaseRow.decision_id
    )
    if filters.decision:
        stmt = stmt.where(CaseRow.machine_outcome == filters.decision)
    if filters.status:
        stmt = stmt.where(CaseRow.status == filters.status)
    if filters.assignee:
        stmt = stmt.where(CaseRow.assignee == filters.assignee)
    if filters.rule:
        flagged_by = select(CaseRuleRow.case_id).where(CaseRuleRow.rule_id == filters.rule.strip())
        stmt = stmt.where(CaseRow.id.in_(flagged_by))
    if filters.country:
        touching = select(CaseCountryRow.case_id).where(
            CaseCountryRow.country == filters.country.strip().upper()
        )
        stmt = stmt.where(CaseRow.id.in_(touching))
    if filters.opened_from:
        stmt = stmt.where(CaseRow.opened_at >= _day_start(filters.opened_from))
    if filters.opened_to:
        stmt = stmt.where(CaseRow.opened_at < _day_start(filters.opened_to + timedelta(days=1)))
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    page = max(1, filters.page)
    rows = session.execute(
        stmt.order_by(CaseRow.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    cases = []
    for case, findings, order in rows:
        rules = sorted(
            {str(f.get("rule_id")) for f in findings or () if f.get("outcome") != "clear"}
        )
        cases.append(
            {
                "id": case.id,
                "order_id": case.order_id,
                "decision": case.machine_outcome,
                "status": case.status,
                "assignee": case.assignee,
                "opened_at": case.opened_at.isoformat(),
                "updated_at": case.updated_at.isoformat(),
                "rules": rules,
                "country": destination_of(order),
            }
        )
    return {
        "filters": filters.as_params(),
        "total": int(total),
        "page": page,
        "pages": max(1, -(-int(total) // PAGE_SIZE)),
        "cases": cases,
    }


def filter_choices(session: Session) -> dict[str, list[str]]:
    """Assignees that occur, for the filter form."""
    assignees = session.execute(
        select(CaseRow.assignee).where(CaseRow.assignee.is_not(None)).distinct()
    ).scalars()
    return {"assignees": sorted(a for a in assignees if a)}
