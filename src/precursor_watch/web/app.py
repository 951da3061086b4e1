"""The console and HTTP API, built by :func:`create_app` (one router per endpoint in ``routers/``).

    from precursor_watch.web.app import create_app
    app = create_app()                      # configured database, key from PRECURSOR_WATCH_HOME
    app = create_app(WebConfig(...))        # tests, demo

Every HTML page has a JSON twin under ``/api`` computed by the same view function
(``PAGE_TWINS`` below lists them; a test checks each pair).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute

from precursor_watch import __version__
from precursor_watch.storage.db import open_database
from precursor_watch.web.accounts.throttle import LoginThrottle
from precursor_watch.web.accounts.token_cache import TokenCache
from precursor_watch.web.batch_jobs import BatchJobs
from precursor_watch.web.config import WebConfig
from precursor_watch.web.errors import install_error_handlers
from precursor_watch.web.routers import ROUTERS
from precursor_watch.web.security_headers import SecurityHeadersMiddleware

STATIC_DIR = Path(__file__).with_name("static")

# Paths that answer without authentication, and why (checked by tests/web/test_roles.py).
PUBLIC_PATHS: dict[str, str] = {
    "/health": "liveness probe for load balancers; says nothing about data",
    "/login": "the sign-in form itself",
    "/static": "style sheet and script of the pages; no data",
}

# page -> its JSON twin (same view function)
PAGE_TWINS: dict[str, str] = {
    "/": "/api/dashboard",
    "/substances": "/api/substances/screen",
    "/parties": "/api/parties/screen",
    "/batches": "/api/batches",
    "/cases": "/api/cases",
    "/knowledge-base": "/api/knowledge-base",
    "/lists": "/api/lists",
    "/audit": "/api/audit",
    "/users": "/api/users",
    "/account": "/api/me",
}


def create_app(config: WebConfig | None = None) -> FastAPI:
    config = config or WebConfig.from_settings()
    config.work_dir.mkdir(parents=True, exist_ok=True)
    app = FastAPI(
        title="precursor-watch",
        version=__version__,
        description=(
            "Screen chemicals, parties and orders against drug-precursor controls and sanctions "
            "lists. Authenticate with `Authorization: Bearer <token>` (create one on /account or "
            "with `precursor-watch users token`). Errors are JSON "
            '`{"error": {"code", "message", "field"}}`.'
        ),
        docs_url=None,  # Swagger UI loads from a CDN; the product runs offline
        redoc_url=None,
        openapi_url=None,  # served by routers/openapi.py behind authentication
    )
    app.state.config = config
    app.state.engine = open_database(config.database_url)
    app.state.login_throttle = LoginThrottle()
    app.state.token_cache = TokenCache()
    app.state.batches = BatchJobs(
        app.state.engine, config.database_url, config.work_dir / "batches"
    )
    app.state.batches.sweep()  # jobs a dead server process left queued or running: interrupted
    install_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    return app


def all_routes(app: FastAPI) -> list[BaseRoute]:
    """Every route of the app, with included routers flattened (no prefixes are used)."""

    def walk(routes: Sequence[BaseRoute]) -> Iterator[BaseRoute]:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:
                yield from walk(inner.routes)
            else:
                yield route

    return list(walk(app.routes))


def route_table(app: FastAPI) -> list[dict[str, Any]]:
    """Every route with its methods (used by docs and tests)."""
    rows: list[dict[str, Any]] = []
    for route in all_routes(app):
        methods = sorted(getattr(route, "methods", None) or [])
        rows.append({"path": getattr(route, "path", ""), "methods": methods})
    return rows
