"""Passwords, sessions, CSRF and API tokens, through the real app and database."""

from __future__ import annotations

import pytest

from precursor_watch.errors import InputError
from precursor_watch.storage.db import session_scope
from precursor_watch.web.accounts import repository
from precursor_watch.web.accounts.passwords import hash_password, verify_password
from precursor_watch.web.accounts.roles import Role
from tests.web.conftest import PASSWORD, Console


def test_password_hash_is_salted_scrypt_and_verifies() -> None:
    first, second = hash_password("a long passphrase"), hash_password("a long passphrase")
    assert first.startswith("scrypt$") and first != second
    assert verify_password("a long passphrase", first)
    assert not verify_password("a long passphrasE", first)
    assert not verify_password("anything", "not-a-hash")


@pytest.mark.parametrize("weak", ["short", "aaaaaaaaaaaaaa", "ababababab"])
def test_weak_passwords_are_refused(weak: str) -> None:
    from precursor_watch.web.accounts.passwords import check_password_strength

    with pytest.raises(InputError) as info:
        check_password_strength(weak)
    assert info.value.field == "password"


def test_sign_in_sets_an_httponly_cookie_and_wrong_password_does_not(console: Console) -> None:
    client = console.client()
    bad = client.post("/login", data={"username": "viewer", "password": "wrong password!"})
    assert bad.status_code == 401 and "Wrong user name or password" in bad.text
    assert "pw_session" not in client.cookies
    good = client.post(
        "/login", data={"username": "viewer", "password": PASSWORD}, follow_redirects=False
    )
    assert good.status_code == 303
    assert "httponly" in good.headers["set-cookie"].lower()
    assert client.get("/api/me").json()["user"]["role"] == "viewer"


def test_sign_in_never_redirects_to_another_host(console: Console) -> None:
    client = console.client()
    response = client.post(
        "/login",
        data={"username": "viewer", "password": PASSWORD, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_forms_without_the_csrf_token_are_refused(console: Console) -> None:
    client, csrf = console.browser(Role.ANALYST)
    refused = client.post("/account/tokens", data={"name": "no csrf"})
    assert refused.status_code == 403 and "CSRF" in refused.text
    wrong = client.post("/api/me/tokens", json={"name": "x"}, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "csrf_failed"
    made = client.post("/account/tokens", data={"name": "with csrf", "csrf_token": csrf})
    assert made.status_code == 200 and "copy it now" in made.text


def test_sign_out_ends_the_session_on_the_server(console: Console) -> None:
    client, csrf = console.browser(Role.VIEWER)
    cookie = client.cookies["pw_session"]
    assert (
        client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    )
    replay = console.client()
    replay.cookies.set("pw_session", cookie)
    assert replay.get("/api/me").status_code == 401


def test_tampered_cookie_is_not_a_session(console: Console) -> None:
    client, _ = console.browser(Role.VIEWER)
    cookie = client.cookies["pw_session"]
    forged = console.client()
    forged.cookies.set("pw_session", cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"))
    assert forged.get("/api/me").status_code == 401


def test_token_is_stored_hashed_and_revocation_works(console: Console) -> None:
    api = console.api(Role.ANALYST)
    created = api.post("/api/me/tokens", json={"name": "erp"})
    assert created.status_code == 201
    secret = created.json()["token"]
    with session_scope(console.app.state.engine) as session:
        from sqlalchemy import select

        from precursor_watch.storage.user_tables import ApiTokenRow

        stored = session.scalars(select(ApiTokenRow.token_sha256)).all()
    assert secret not in stored and len(stored[0]) == 64
    machine = console.client()
    machine.headers["Authorization"] = f"Bearer {secret}"
    assert machine.get("/api/me").json()["authenticated_by"] == "token"
    assert api.delete(f"/api/me/tokens/{created.json()['id']}").status_code == 200
    assert machine.get("/api/me").status_code == 401


def test_disabled_user_loses_sessions_and_tokens(console: Console) -> None:
    admin = console.api(Role.ADMIN)
    made = admin.post("/api/users", json={"username": "temp.worker", "role": "analyst"})
    assert made.status_code == 201
    one_time = made.json()["one_time_password"]
    with session_scope(console.app.state.engine) as session:
        token = repository.create_token(session, "temp.worker", "t")[1]
    client = console.client()
    client.headers["Authorization"] = f"Bearer {token}"
    assert client.get("/api/me").status_code == 200
    assert admin.patch("/api/users/temp.worker", json={"active": False}).status_code == 200
    assert client.get("/api/me").status_code == 401
    login = console.client().post("/login", data={"username": "temp.worker", "password": one_time})
    assert login.status_code == 401


def test_account_changes_are_in_the_audit_trail(console: Console) -> None:
    admin = console.api(Role.ADMIN)
    admin.post("/api/users", json={"username": "audited.user", "role": "viewer"})
    entries = admin.get("/api/audit", params={"subject": "user:audited.user"}).json()["entries"]
    assert [e["action"] for e in entries] == ["user.create"]
    assert entries[0]["actor"] == "admin"


def test_expired_session_is_refused(console: Console) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from precursor_watch.storage.user_tables import WebSessionRow

    client, _ = console.browser(Role.VIEWER)
    assert client.get("/api/me").status_code == 200
    with session_scope(console.app.state.engine) as session:
        session.execute(
            update(WebSessionRow).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    assert client.get("/api/me").status_code == 401
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")


def test_password_guessing_is_throttled(console: Console) -> None:
    admin = console.api(Role.ADMIN)
    made = admin.post("/api/users", json={"username": "guessed.user", "role": "viewer"})
    password = made.json()["one_time_password"]
    client = console.client()
    for attempt in range(5):
        wrong = client.post(
            "/login", data={"username": "guessed.user", "password": f"nope{attempt}"}
        )
        assert wrong.status_code == 401
    right = client.post("/login", data={"username": "Guessed.User", "password": password})
    assert right.status_code == 429 and "Too many failed sign-ins" in right.text
    assert "pw_session" not in client.cookies


def test_throttle_window_and_reset() -> None:
    from precursor_watch.web.accounts.throttle import LoginThrottle

    throttle = LoginThrottle(limit=2, window_s=60)
    throttle.failed("x", now=0)
    assert throttle.retry_after("x", now=1) == 0
    throttle.failed("x", now=1)
    assert throttle.retry_after("x", now=2) == 59
    assert throttle.retry_after("x", now=61) == 0  # the first failure left the window
    throttle.failed("y", now=0)
    throttle.failed("y", now=0)
    throttle.succeeded("y")
    assert throttle.retry_after("y", now=1) == 0


def test_pages_send_security_headers(console: Console) -> None:
    anonymous, viewer = console.client(), console.api(Role.VIEWER)
    responses = {
        "page": anonymous.get("/login"),
        "json": viewer.get("/api/me"),
        "static file": anonymous.get("/static/style.css"),
        "unknown path": viewer.get("/api/no-such-endpoint"),
        "unauthenticated": anonymous.get("/api/me"),
    }
    assert [r.status_code for r in responses.values()] == [200, 200, 200, 404, 401]
    for kind, response in responses.items():
        assert response.headers["x-content-type-options"] == "nosniff", kind
        assert response.headers["x-frame-options"] == "DENY", kind
        assert response.headers["referrer-policy"] == "same-origin", kind
        assert "default-src 'self'" in response.headers["content-security-policy"], kind
        assert len(response.headers.get_list("content-security-policy")) == 1, kind
