"""Jinja2 pages: one environment, the signed-in user and CSRF token in every page's context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))

NAV: tuple[tuple[str, str, str], ...] = (
    # (path, label, action needed to see the link)
    ("/", "Dashboard", "read"),
    ("/substances", "Substance", "screen"),
    ("/parties", "Party", "screen"),
    ("/batches", "Upload", "screen"),
    ("/cases", "Cases", "read"),
    ("/knowledge-base", "Knowledge base", "read"),
    ("/lists", "Lists", "read"),
    ("/audit", "Audit", "read"),
    ("/users", "Users", "manage_users"),
)


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    principal = getattr(request.state, "principal", None)
    full = {
        "principal": principal,
        "csrf_token": getattr(principal, "csrf_token", None) or "",
        "nav": NAV,
        "path": request.url.path,
        **context,
    }
    response = TEMPLATES.TemplateResponse(request, template, full, status_code=status)
    assert isinstance(response, HTMLResponse)
    return response
