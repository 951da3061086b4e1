"""API tokens are authenticated from a short-lived in-process cache (web/accounts/token_cache.py).

Each test first proves the token is held in the cache, then changes the account or the token and
checks the very next request: a revocation, a disabled user or a lowered role must take effect
at once in this process, however the change was made. A change made by another process is seen
when the entry expires (the documented bound), shown with a clock the test moves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from precursor_watch.storage.db import session_scope
from precursor_watch.web.accounts import repository
from precursor_watch.web.accounts.roles import Role
from precursor_watch.web.accounts.token_cache import (
    TOKEN_CACHE_SECONDS,
    TokenCache,
    auth_generation,
)
from tests.web.conftest import Console, make_console


def new_account(console: Console, username: str, role: Role) -> tuple[TestClient, str, int]:
    """A new user with a token: (client sending the token, the token, its id)."""
    with session_scope(console.app.state.engine) as session:
        repository.add_user(session, username, role, "a password long enough")
        info, secret = repository.create_token(session, username, "cache test")
    client = console.client()
    client.headers["Authorization"] = f"Bearer {secret}"
    return client, secret, info.id


def cached(console: Console, client: TestClient, secret: str) -> None:
    """One request through the token, after which the cache holds it (so the test is not idle)."""
    assert client.get("/api/me").status_code == 200
    assert console.app.state.token_cache.get(secret) is not None


def test_a_token_revoked_through_the_api_is_refused_at_once(console: Console) -> None:
    client, secret, token_id = new_account(console, "cache.revoke.api", Role.ANALYST)
    cached(console, client, secret)
    assert client.delete(f"/api/me/tokens/{token_id}").status_code == 200  # revokes itself
    assert client.get("/api/me").status_code == 401


def test_a_token_revoked_in_any_session_of_the_process_is_refused_at_once(
    console: Console,
) -> None:
    client, secret, token_id = new_account(console, "cache.revoke.repo", Role.ANALYST)
    cached(console, client, secret)
    with session_scope(console.app.state.engine) as session:
        repository.revoke_token(session, token_id)
    assert client.get("/api/me").status_code == 401


def test_a_disabled_user_is_refused_at_once(console: Console) -> None:
    client, secret, _ = new_account(console, "cache.disabled", Role.ANALYST)
    cached(console, client, secret)
    admin = console.api(Role.ADMIN)
    assert admin.patch("/api/users/cache.disabled", json={"active": False}).status_code == 200
    assert client.get("/api/me").status_code == 401


def test_a_lowered_role_applies_at_once(console: Console) -> None:
    client, secret, _ = new_account(console, "cache.demoted", Role.SUPERVISOR)
    cached(console, client, secret)
    admin = console.api(Role.ADMIN)
    assert admin.patch("/api/users/cache.demoted", json={"role": "viewer"}).status_code == 200
    assert client.get("/api/me").json()["user"]["role"] == "viewer"
    refused = client.get("/api/substances/screen", params={"q": "ephedrine"})
    assert refused.status_code == 403, refused.text


def test_a_rolled_back_change_keeps_the_cache(console: Console) -> None:
    client, secret, token_id = new_account(console, "cache.rollback", Role.VIEWER)
    cached(console, client, secret)
    generation = auth_generation()
    with session_scope(console.app.state.engine) as session:
        repository.revoke_token(session, token_id)
        session.rollback()
    assert auth_generation() == generation
    assert console.app.state.token_cache.get(secret) is not None
    assert client.get("/api/me").status_code == 200


def test_marking_a_token_used_is_no_change_of_authorization(console: Console) -> None:
    _, secret, _ = new_account(console, "cache.touch", Role.VIEWER)
    generation = auth_generation()
    with session_scope(console.app.state.engine) as session:
        assert repository.account_for_token(session, secret) is not None  # sets last_used_at
    assert auth_generation() == generation


def test_a_lookup_that_raced_a_change_is_not_kept(console: Console) -> None:
    _, secret, token_id = new_account(console, "cache.race", Role.VIEWER)
    cache = TokenCache()
    generation = auth_generation()
    with session_scope(console.app.state.engine) as session:
        account = repository.account_for_token(session, secret)
    assert account is not None
    with session_scope(console.app.state.engine) as session:  # committed while "looking up"
        repository.revoke_token(session, token_id)
    cache.put(secret, account, generation)
    assert cache.get(secret) is None


def test_a_change_by_another_process_is_seen_when_the_entry_expires(tmp_path: Path) -> None:
    console = make_console(tmp_path)
    now = [1000.0]
    console.app.state.token_cache = TokenCache(clock=lambda: now[0])
    client = console.api(Role.ANALYST)
    cached(console, client, console.tokens[Role.ANALYST])
    env = {
        **os.environ,
        "PRECURSOR_WATCH_HOME": str(tmp_path),
        "PRECURSOR_WATCH_DB": console.config.database_url,
    }
    exe = str(Path(sys.executable).with_name("precursor-watch"))
    subprocess.run([exe, "users", "disable", "analyst"], env=env, check=True, capture_output=True)
    now[0] += TOKEN_CACHE_SECONDS - 0.1
    assert client.get("/api/me").status_code == 200  # the bound: up to TOKEN_CACHE_SECONDS
    now[0] += 0.2
    assert client.get("/api/me").status_code == 401
