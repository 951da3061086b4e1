"""Cases: the queue (``/cases``), one case (``/cases/{id}``) and the actions on it, each with its
JSON twin under ``/api/cases``. Changes go through ``storage.cases``, which writes the audit entry
in the same transaction; a disposition never changes the machine decision."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from precursor_watch.errors import InputError, NotFoundError
from precursor_watch.storage import cases as case_store
from precursor_watch.web.accounts import repository
from precursor_watch.web.case_detail import case_view
from precursor_watch.web.case_queue import CaseFilters, filter_choices, query_cases
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.forms import RowIdPath, optional_date
from precursor_watch.web.security import ASSIGN, COMMENT, DISPOSE, READ, DbSession, Principal
from precursor_watch.web.templating import render

router = APIRouter(tags=["cases"], responses=ERROR_RESPONSES)


class Assignment(BaseModel):
    assignee: str = Field(min_length=1, max_length=200)


class CommentIn(BaseModel):
    body: str = Field(min_length=1, max_length=10_000)


class DispositionIn(BaseModel):
    disposition: case_store.Disposition
    reason: str = Field(min_length=1, max_length=10_000, description="why; shown to auditors")


def known_user(session: Session, username: str) -> str:
    """Cases go to active users of the console only."""
    try:
        account = repository.get_user(session, username)
    except (NotFoundError, InputError):
        raise NotFoundError(f"no user named {username!r} to assign to", field="assignee") from None
    if not account.active:
        raise InputError(f"user {account.username!r} is disabled", field="assignee")
    return account.username


def filters_from(
    decision: str | None = None,
    status: str | None = None,
    rule: Annotated[str | None, Query(max_length=100)] = None,
    country: Annotated[str | None, Query(max_length=3)] = None,
    assignee: Annotated[str | None, Query(max_length=200)] = None,
    opened_from: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")] = None,
    opened_to: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> CaseFilters:
    """Query parameters of the queue; an empty value means no filter."""
    return CaseFilters(
        decision or None,
        status or None,
        rule or None,
        country or None,
        assignee or None,
        optional_date(opened_from, "opened_from"),
        optional_date(opened_to, "opened_to"),
        page,
    )


@router.get("/api/cases")
def list_cases(
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
    filters: Annotated[CaseFilters, Depends(filters_from)],
) -> dict[str, Any]:
    """The case queue, newest first, 50 a page; filter by decision, status, rule id, country
    (any country on the order), assignee and opening date."""
    return query_cases(session, filters)


@router.get("/api/cases/{case_id}")
def read_case(
    case_id: RowIdPath,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> dict[str, Any]:
    """One case: order, decision with findings and evidence, comments, dispositions, history."""
    return case_view(session, case_id)


@router.post("/api/cases/{case_id}/assign")
def assign(
    case_id: RowIdPath,
    body: Assignment,
    principal: Annotated[Principal, Depends(ASSIGN)],
    session: DbSession,
) -> dict[str, Any]:
    """Give the case to a user of the console (an open case moves to in_review)."""
    summary = case_store.assign_case(
        session, case_id, known_user(session, body.assignee), actor=principal.username
    )
    return {"id": summary.id, "status": summary.status, "assignee": summary.assignee}


@router.post("/api/cases/{case_id}/comments", status_code=201)
def comment(
    case_id: RowIdPath,
    body: CommentIn,
    principal: Annotated[Principal, Depends(COMMENT)],
    session: DbSession,
) -> dict[str, Any]:
    """Add a note to the case."""
    note = case_store.comment_case(session, case_id, body.body, author=principal.username)
    return {"author": note.author, "body": note.body, "created_at": note.created_at.isoformat()}


@router.post("/api/cases/{case_id}/disposition", status_code=201)
def dispose(
    case_id: RowIdPath,
    body: DispositionIn,
    principal: Annotated[Principal, Depends(DISPOSE)],
    session: DbSession,
) -> dict[str, Any]:
    """Record the human disposition (supervisor and above) and close the case."""
    record = case_store.dispose_case(
        session, case_id, body.disposition, body.reason, user=principal.username
    )
    return {
        "disposition": record.disposition,
        "reason": record.reason,
        "decided_by": record.decided_by,
        "decided_at": record.decided_at.isoformat(),
    }


@router.get("/api/cases/{case_id}/report")
def suspicious_order_report(
    case_id: RowIdPath,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> dict[str, Any]:
    """The suspicious-order report of the case (the contents 21 CFR 1310.06 asks for)."""
    from precursor_watch.reports.suspicious_order import build_suspicious_order_report

    detail = case_store.get_case(session, case_id)
    report: dict[str, Any] = build_suspicious_order_report(detail, prepared_by=principal.username)
    return report


@router.get("/cases", response_class=HTMLResponse, include_in_schema=False)
def queue_page(
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
    filters: Annotated[CaseFilters, Depends(filters_from)],
) -> HTMLResponse:
    return render(
        request,
        "cases.html",
        {
            **query_cases(session, filters),
            **filter_choices(session),
            "statuses": ("open", "in_review", "closed"),
        },
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
def case_page(
    request: Request,
    case_id: RowIdPath,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> HTMLResponse:
    view = case_view(session, case_id, with_pictures=True)
    return render(
        request,
        "case.html",
        {**view, "disposition_choices": [d.value for d in case_store.Disposition]},
    )


@router.get("/cases/{case_id}/report", response_class=HTMLResponse, include_in_schema=False)
def report_page(
    case_id: RowIdPath,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> HTMLResponse:
    from precursor_watch.reports.suspicious_order import (
        build_suspicious_order_report,
        render_suspicious_order_html,
    )

    detail = case_store.get_case(session, case_id)
    report = build_suspicious_order_report(detail, prepared_by=principal.username)
    return HTMLResponse(render_suspicious_order_html(report))


def _back(case_id: int) -> Response:
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/assign", include_in_schema=False)
def assign_form(
    case_id: RowIdPath,
    assignee: Annotated[str, Form(min_length=1, max_length=200)],
    principal: Annotated[Principal, Depends(ASSIGN)],
    session: DbSession,
) -> Response:
    case_store.assign_case(
        session, case_id, known_user(session, assignee), actor=principal.username
    )
    return _back(case_id)


@router.post("/cases/{case_id}/comments", include_in_schema=False)
def comment_form(
    case_id: RowIdPath,
    body: Annotated[str, Form(min_length=1, max_length=10_000)],
    principal: Annotated[Principal, Depends(COMMENT)],
    session: DbSession,
) -> Response:
    case_store.comment_case(session, case_id, body, author=principal.username)
    return _back(case_id)


@router.post("/cases/{case_id}/disposition", include_in_schema=False)
def dispose_form(
    case_id: RowIdPath,
    disposition: Annotated[case_store.Disposition, Form()],
    reason: Annotated[str, Form(min_length=1, max_length=10_000)],
    principal: Annotated[Principal, Depends(DISPOSE)],
    session: DbSession,
) -> Response:
    case_store.dispose_case(session, case_id, disposition, reason, user=principal.username)
    return _back(case_id)
