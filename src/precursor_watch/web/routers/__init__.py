"""One router per endpoint family; ``ROUTERS`` is the order they are mounted in."""

from __future__ import annotations

from fastapi import APIRouter

from precursor_watch.web.routers import (
    account,
    audit,
    batches,
    cases,
    dashboard,
    health,
    knowledge_base,
    lists,
    login,
    openapi,
    orders,
    parties,
    substances,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    login.router,
    openapi.router,
    account.router,
    dashboard.router,
    audit.router,
    cases.router,
    users.router,
    substances.router,
    parties.router,
    orders.router,
    batches.router,
    knowledge_base.router,
    lists.router,
)
