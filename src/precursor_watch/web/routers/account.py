"""The caller's own account and API tokens: ``/account`` and its JSON twin ``/api/me``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from precursor_watch.storage.audit import append_audit
from precursor_watch.web.accounts import repository
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.forms import RowIdPath
from precursor_watch.web.security import READ, DbSession, Principal
from precursor_watch.web.templating import render

router = APIRouter(tags=["account"], responses=ERROR_RESPONSES)


class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="what will use the token")


def me_view(session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "user": principal.account.to_json(),
        "authenticated_by": principal.via,
        "tokens": [t.to_json() for t in repository.list_tokens(session, principal.username)],
    }


def issue_token(session: Session, principal: Principal, name: str) -> dict[str, Any]:
    info, secret = repository.create_token(session, principal.username, name)
    append_audit(
        session,
        actor=principal.username,
        action="token.create",
        subject=f"user:{principal.username}",
        payload={"token_id": info.id, "prefix": info.prefix, "name": info.name},
    )
    return {"token": secret, **info.to_json()}


def withdraw_token(session: Session, principal: Principal, token_id: int) -> dict[str, Any]:
    info = repository.revoke_token(session, token_id, principal.username)
    append_audit(
        session,
        actor=principal.username,
        action="token.revoke",
        subject=f"user:{principal.username}",
        payload={"token_id": info.id, "prefix": info.prefix},
    )
    return info.to_json()


@router.get("/api/me")
def me(
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> dict[str, Any]:
    """Who you are, your role, and your API tokens (never their secrets)."""
    return me_view(session, principal)


@router.post("/api/me/tokens", status_code=201)
def create_token(
    body: TokenRequest,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> dict[str, Any]:
    """A new API token acting as you. The secret is in this response only; store it."""
    return issue_token(session, principal, body.name)


@router.delete("/api/me/tokens/{token_id}")
def revoke_token(
    token_id: RowIdPath,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> dict[str, Any]:
    """Revoke one of your API tokens."""
    return withdraw_token(session, principal, token_id)


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def account_page(
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> HTMLResponse:
    return render(request, "account.html", {**me_view(session, principal), "new_token": None})


@router.post("/account/tokens", response_class=HTMLResponse, include_in_schema=False)
def account_create_token(
    request: Request,
    name: Annotated[str, Form(min_length=1, max_length=200)],
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> HTMLResponse:
    created = issue_token(session, principal, name)
    return render(request, "account.html", {**me_view(session, principal), "new_token": created})


@router.post(
    "/account/tokens/{token_id}/revoke", response_class=HTMLResponse, include_in_schema=False
)
def account_revoke_token(
    request: Request,
    token_id: RowIdPath,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> HTMLResponse:
    withdraw_token(session, principal, token_id)
    return render(request, "account.html", {**me_view(session, principal), "new_token": None})
