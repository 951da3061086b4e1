"""The dashboard: ``/`` (page with inline SVG charts) and ``/api/dashboard`` (JSON twin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from precursor_watch.web import charts
from precursor_watch.web.dashboard_stats import dashboard_stats
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.security import READ, DbSession, Principal
from precursor_watch.web.templating import render

router = APIRouter(tags=["dashboard"], responses=ERROR_RESPONSES)


@router.get("/api/dashboard")
def dashboard(
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> dict[str, Any]:
    """Decisions by outcome and by day, top rules, top countries, top substances, open cases."""
    return dashboard_stats(session)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> HTMLResponse:
    stats = dashboard_stats(session)
    pictures = {
        "over_time": charts.stacked_days(stats["decisions_by_day"], charts.OUTCOME_COLOURS),
        "rules": charts.bars(stats["top_rules"], "rule"),
        "countries": charts.bars(stats["top_countries"], "country"),
        "substances": charts.bars(stats["top_substances"], "substance"),
    }
    return render(request, "dashboard.html", {"stats": stats, "charts": pictures})
