"""Screen one order: ``POST /api/orders/screen`` (analyst and above). The decision is stored,
with a case when it is not clear, unless ``record=false``; the order's lines join the customer's
history so later orders are compared with it. Many orders: upload a file to ``/api/batches``."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from precursor_watch.storage.db import session_scope
from precursor_watch.web.batch_jobs import party_screener_for
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.order_models import OrderIn
from precursor_watch.web.security import SCREEN, Principal, config_of, engine_of

router = APIRouter(tags=["orders"], responses=ERROR_RESPONSES)

_contexts: dict[tuple[str, date | None, tuple[tuple[str, str], ...]], Any] = {}
_contexts_lock = threading.Lock()


def base_context(database_url: str, as_of: date | None) -> Any:
    """The screening context for the lists active now, built once per (database, date, lists)."""
    from precursor_watch.screening.context import ScreeningContext

    party_screener, versions = party_screener_for(database_url)
    key = (database_url, as_of, tuple(sorted(versions.items())))
    with _contexts_lock:
        context = _contexts.get(key)
        if context is None:
            context = ScreeningContext.default(as_of=as_of, party_screener=party_screener)
            _contexts.clear()
            _contexts[key] = context
        return context


def screen_one(request: Request, user: str, body: OrderIn, record: bool) -> dict[str, Any]:
    from precursor_watch import screen_order
    from precursor_watch.io.order_json import order_from_dict
    from precursor_watch.screening.batch_records import DecisionToStore
    from precursor_watch.screening.order_engine import history_lines
    from precursor_watch.storage.case_tables import CaseRow
    from precursor_watch.storage.customer_history import DbCustomerHistory, store_history_lines
    from precursor_watch.storage.decisions import record_decisions

    engine = engine_of(request)
    order = order_from_dict(body.model_dump(mode="json", exclude_none=True))
    context = replace(
        base_context(config_of(request).database_url, body.date),
        history=DbCustomerHistory(engine),
    )
    decision = screen_order(order, context)
    out: dict[str, Any] = {**decision.to_json(), "decision_id": None, "case_id": None}
    if record:
        with session_scope(engine) as session:
            decision_id = record_decisions(
                session, [DecisionToStore(decision, order.to_json())], actor=user
            )[0]
            store_history_lines(session, history_lines(order, context))
            case_id = session.execute(
                select(CaseRow.id).where(CaseRow.decision_id == decision_id)
            ).scalar_one_or_none()
        out.update(decision_id=decision_id, case_id=case_id)
    return out


@router.post("/api/orders/screen")
async def screen_order_endpoint(
    request: Request,
    body: OrderIn,
    principal: Annotated[Principal, Depends(SCREEN)],
    record: Annotated[bool, Query(description="store the decision (and open a case)")] = True,
) -> dict[str, Any]:
    """Screen one order or export declaration: the decision (block, hold, review, clear) with
    every finding's rule, evidence and source and the versions used; ``case_id`` when stored
    and not clear."""
    return await run_in_threadpool(screen_one, request, principal.username, body, record)
