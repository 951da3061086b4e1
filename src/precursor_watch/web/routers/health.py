"""``GET /health``: the only endpoint that answers without authentication."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from precursor_watch import __version__
from precursor_watch.web.security import engine_of

router = APIRouter(tags=["health"])


@router.get("/health")
def health(request: Request) -> dict[str, str]:
    """Liveness and database reachability. Says nothing about users or data."""
    with engine_of(request).connect() as connection:
        connection.execute(text("SELECT 1"))
    return {"status": "ok", "version": __version__}
