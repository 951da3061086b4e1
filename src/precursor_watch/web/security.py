"""Who is calling and may they: browser sessions (signed cookie + CSRF) and API tokens (Bearer).

Every route except ``/health``, the sign-in page and static files depends on :class:`Requires`,
which names the :class:`~precursor_watch.web.accounts.roles.Action` the route performs. The test
``tests/web/test_roles.py`` walks ``app.routes``, reads that action back and proves that every role
below the minimum is refused and that nobody unauthenticated gets an answer.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from precursor_watch.errors import PermissionDeniedError
from precursor_watch.storage.db import session_scope
from precursor_watch.web.accounts import repository
from precursor_watch.web.accounts.repository import Account
from precursor_watch.web.accounts.roles import MINIMUM_ROLE, Action, may
from precursor_watch.web.accounts.token_cache import TokenCache, auth_generation
from precursor_watch.web.config import WebConfig
from precursor_watch.web.errors import AuthenticationRequiredError, CsrfFailedError

SESSION_COOKIE = "pw_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Principal:
    account: Account
    via: Literal["session", "token"]
    csrf_token: str | None = None

    @property
    def username(self) -> str:
        return self.account.username

    def may(self, action: Action | str) -> bool:
        return may(self.account.role, Action(action))


def engine_of(request: Request) -> Engine:
    engine = request.app.state.engine
    assert isinstance(engine, Engine)
    return engine


def config_of(request: Request) -> WebConfig:
    config = request.app.state.config
    assert isinstance(config, WebConfig)
    return config


def db_session(request: Request) -> Iterator[Session]:
    """A database session for one request: committed when the route returns, else rolled back."""
    with session_scope(engine_of(request)) as session:
        yield session


# "function" scope: the transaction commits when the route returns, before the response is sent,
# so a browser that follows a redirect at once finds what the previous request wrote.
DbSession = Annotated[Session, Depends(db_session, scope="function")]


def cookie_serializer(config: WebConfig) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(config.secret_key, salt="precursor-watch-session")


def session_cookie_value(config: WebConfig, secret: str) -> str:
    return cookie_serializer(config).dumps(secret)


def token_cache_of(request: Request) -> TokenCache:
    cache = request.app.state.token_cache
    assert isinstance(cache, TokenCache)
    return cache


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, else None."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    token = credentials.strip()
    return token if scheme.lower() == "bearer" and token else None


def _token_lookup(request: Request, secret: str) -> Principal | None:
    generation = auth_generation()  # before reading: a change committed meanwhile voids the entry
    with session_scope(engine_of(request)) as session:
        account = repository.account_for_token(session, secret)
    if account is None:
        return None
    token_cache_of(request).put(secret, account, generation)
    return Principal(account, "token")


def _session_lookup(request: Request) -> Principal | None:
    config = config_of(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        secret = cookie_serializer(config).loads(cookie, max_age=int(config.session_hours * 3600))
    except BadSignature:
        return None
    if not isinstance(secret, str):
        return None
    with session_scope(engine_of(request)) as session:
        found = repository.account_for_session(session, secret)
    return Principal(found[0], "session", found[1]) if found else None


async def authenticate(request: Request) -> Principal:
    """The caller, or :class:`AuthenticationRequiredError`. Cached on ``request.state``.

    An API token's account comes from the process's :class:`TokenCache` when it holds it (no
    database and no worker thread); see ``web/accounts/token_cache.py`` for when a revocation
    takes effect.
    """
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    token = bearer_token(request)
    principal: Principal | None
    if token is None:
        principal = await run_in_threadpool(_session_lookup, request)
    else:
        account = token_cache_of(request).get(token)
        if account is not None:
            principal = Principal(account, "token")
        else:
            principal = await run_in_threadpool(_token_lookup, request, token)
    if principal is None:
        raise AuthenticationRequiredError(
            "sign in or send an API token (Authorization: Bearer ...)"
        )
    request.state.principal = principal
    return principal


async def check_csrf(request: Request, principal: Principal) -> None:
    """Browser sessions must echo their CSRF token on every change (header or form field)."""
    expected = principal.csrf_token or ""
    given = request.headers.get(CSRF_HEADER, "")
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else ""
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise CsrfFailedError(
            "the form is missing its CSRF token or it does not match your session; "
            "reload the page and try again",
            field=CSRF_FIELD,
        )


class Requires:
    """Dependency: the caller is authenticated and their role may take ``action``."""

    def __init__(self, action: Action) -> None:
        self.action = action

    async def __call__(self, request: Request) -> Principal:
        principal = await authenticate(request)
        if not principal.may(self.action):
            needed = MINIMUM_ROLE[self.action].value
            raise PermissionDeniedError(
                f"your role {principal.account.role.value!r} may not "
                f"{self.action.value.replace('_', ' ')} (needs {needed} or above)",
                field="role",
            )
        if principal.via == "session" and request.method not in SAFE_METHODS:
            await check_csrf(request, principal)
        return principal


READ = Requires(Action.READ)
SCREEN = Requires(Action.SCREEN)
COMMENT = Requires(Action.COMMENT)
ASSIGN = Requires(Action.ASSIGN)
DISPOSE = Requires(Action.DISPOSE)
LOAD_LISTS = Requires(Action.LOAD_LISTS)
MANAGE_USERS = Requires(Action.MANAGE_USERS)
