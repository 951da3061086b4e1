"""Sign in and out of the browser console (``/login``, ``/logout``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from precursor_watch.storage.audit import append_audit
from precursor_watch.web.accounts import repository
from precursor_watch.web.accounts.throttle import LoginThrottle
from precursor_watch.web.errors import ERROR_RESPONSES
from precursor_watch.web.security import (
    READ,
    SESSION_COOKIE,
    DbSession,
    Principal,
    config_of,
    cookie_serializer,
    session_cookie_value,
)
from precursor_watch.web.templating import render

router = APIRouter(tags=["sign-in"], responses=ERROR_RESPONSES)


def safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", {"next": safe_next(next), "error": None})


def failed_sign_in(
    request: Request, next: str, username: str, message: str, status: int
) -> Response:
    context = {"next": safe_next(next), "error": message, "username": username}
    return render(request, "login.html", context, status=status)


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=500)],
    session: DbSession,
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    config = config_of(request)
    throttle: LoginThrottle = request.app.state.login_throttle
    name = username.strip().lower()
    wait = throttle.retry_after(name)
    if wait:
        message = f"Too many failed sign-ins for this user name: try again in {wait // 60 + 1} min."
        return failed_sign_in(request, next, username, message, 429)
    account = repository.authenticate(session, username, password)
    if account is None:
        throttle.failed(name)
        return failed_sign_in(request, next, username, "Wrong user name or password.", 401)
    throttle.succeeded(name)
    secret, _csrf = repository.start_session(session, account, config.session_hours)
    append_audit(
        session, actor=account.username, action="user.sign_in", subject=f"user:{account.username}"
    )
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_cookie_value(config, secret),
        max_age=int(config.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=config.secure_cookies,
    )
    return response


@router.post("/logout", include_in_schema=False)
def logout(
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    session: DbSession,
) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    try:
        secret = cookie_serializer(config_of(request)).loads(cookie)
    except Exception:  # a bad cookie simply has no session to end
        secret = None
    if isinstance(secret, str):
        repository.end_session(session, secret)
    append_audit(session, principal.username, "user.sign_out", f"user:{principal.username}")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
