"""The audit trail: ``/audit`` (page), ``/api/audit`` (JSON twin) and ``/api/audit/verify``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from precursor_watch.errors import AuditChainBrokenError
from precursor_watch.storage.audit import read_entries, verify_chain
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.forms import SeqQuery
from precursor_watch.web.security import READ, DbSession, Principal, engine_of
from precursor_watch.web.templating import render

router = APIRouter(tags=["audit"], responses=ERROR_RESPONSES)


def audit_view(
    session: Session, subject: str | None, limit: int, before: int | None
) -> dict[str, Any]:
    entries = read_entries(session, subject=subject or None, limit=limit, before_seq=before)
    return {
        "subject": subject,
        "entries": [asdict(e) for e in entries],
        "next_before": entries[-1].seq if len(entries) == limit else None,
    }


@router.get("/api/audit")
def audit(
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
    subject: Annotated[str | None, Query(max_length=300, description="e.g. case:12")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before: SeqQuery = None,
) -> dict[str, Any]:
    """Audit entries, newest first: who did what to which subject, with each entry's hash."""
    return audit_view(session, subject, limit, before)


@router.get("/api/audit/verify")
async def verify(
    request: Request, principal: Annotated[Principal, Depends(READ)]
) -> dict[str, Any]:
    """Walk the hash chain; ``intact`` false names the first broken entry."""
    try:
        status = await run_in_threadpool(verify_chain, engine_of(request))
    except AuditChainBrokenError as exc:
        return {"intact": False, "message": exc.message, "broken_seq": exc.field}
    return {"intact": True, "entries": status.count, "head_hash": status.head_hash}


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
    subject: Annotated[str, Query(max_length=300)] = "",
    before: SeqQuery = None,
) -> HTMLResponse:
    return render(request, "audit.html", audit_view(session, subject, 100, before))
