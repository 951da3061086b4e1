"""User administration (admin only): ``/users`` and its JSON twin ``/api/users``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from precursor_watch.storage.audit import append_audit
from precursor_watch.web.accounts import repository
from precursor_watch.web.accounts.roles import Role
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.security import MANAGE_USERS, DbSession, Principal
from precursor_watch.web.templating import render

router = APIRouter(tags=["users"], responses=ERROR_RESPONSES)


class NewUser(BaseModel):
    username: str = Field(min_length=2, max_length=100)
    role: Role
    display_name: str | None = Field(default=None, max_length=200)
    password: str | None = Field(
        default=None, min_length=10, max_length=500, description="omit to generate a one-time one"
    )


class UserChange(BaseModel):
    role: Role | None = None
    active: bool | None = None


def users_view(session: Session) -> dict[str, Any]:
    return {
        "users": [u.to_json() for u in repository.list_users(session)],
        "roles": [r.value for r in Role],
    }


def add(session: Session, principal: Principal, body: NewUser) -> dict[str, Any]:
    account, generated = repository.add_user(
        session, body.username, body.role, body.password, body.display_name
    )
    append_audit(
        session,
        actor=principal.username,
        action="user.create",
        subject=f"user:{account.username}",
        payload={"role": account.role.value},
    )
    return {"user": account.to_json(), "one_time_password": generated}


def change(
    session: Session, principal: Principal, username: str, body: UserChange
) -> dict[str, Any]:
    if username == principal.username and (
        body.active is False or body.role not in (None, Role.ADMIN)
    ):
        from precursor_watch.errors import InputError

        raise InputError("you cannot demote or disable your own account", field="username")
    account = repository.update_user(session, username, role=body.role, active=body.active)
    append_audit(
        session,
        actor=principal.username,
        action="user.update",
        subject=f"user:{account.username}",
        payload=body.model_dump(mode="json", exclude_none=True),
    )
    return {"user": account.to_json()}


@router.get("/api/users")
def list_users(
    principal: Annotated[Principal, Depends(MANAGE_USERS)],
    session: DbSession,
) -> dict[str, Any]:
    """Every user with role and state (admin)."""
    return users_view(session)


@router.post("/api/users", status_code=201)
def create_user(
    body: NewUser,
    principal: Annotated[Principal, Depends(MANAGE_USERS)],
    session: DbSession,
) -> dict[str, Any]:
    """Create a user (admin). Without a password, a one-time password is returned once."""
    return add(session, principal, body)


@router.patch("/api/users/{username}")
def update_user(
    username: str,
    body: UserChange,
    principal: Annotated[Principal, Depends(MANAGE_USERS)],
    session: DbSession,
) -> dict[str, Any]:
    """Change a user's role or disable them (admin); disabling ends their sessions."""
    return change(session, principal, username, body)


@router.get("/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(
    request: Request,
    principal: Annotated[Principal, Depends(MANAGE_USERS)],
    session: DbSession,
) -> HTMLResponse:
    return render(request, "users.html", {**users_view(session), "created": None})


@router.post("/users", response_class=HTMLResponse, include_in_schema=False)
def users_create_form(
    request: Request,
    username: Annotated[str, Form(min_length=2, max_length=100)],
    role: Annotated[Role, Form()],
    principal: Annotated[Principal, Depends(MANAGE_USERS)],
    session: DbSession,
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    created = add(
        session, principal, NewUser(username=username, role=role, display_name=display_name or None)
    )
    return render(request, "users.html", {**users_view(session), "created": created})


@router.post("/users/{username}", response_class=HTMLResponse, include_in_schema=False)
def users_update_form(
    request: Request,
    username: str,
    principal: Annotated[Principal, Depends(MANAGE_USERS)],
    session: DbSession,
    role: Annotated[Role | None, Form()] = None,
    active: Annotated[str, Form()] = "",
) -> HTMLResponse:
    flag = {"yes": True, "no": False}.get(active)
    change(session, principal, username, UserChange(role=role, active=flag))
    return render(request, "users.html", {**users_view(session), "created": None})
