"""Every route is guarded: nobody unauthenticated gets an answer (except the public paths), and
each role is refused exactly the actions below it. Routes are enumerated from the app, so a new
route without a guard fails here."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from precursor_watch.web.accounts.roles import MINIMUM_ROLE, Action, Role, may
from precursor_watch.web.app import PUBLIC_PATHS, all_routes
from precursor_watch.web.security import Requires
from tests.web.conftest import Console

PLACEHOLDER = re.compile(r"\{([^}:]+)(:[^}]+)?\}")
SAMPLE_PARAMS = {"case_id": "999999", "token_id": "999999", "username": "nobody", "batch_id": "x"}


def concrete(path: str) -> str:
    return PLACEHOLDER.sub(lambda m: SAMPLE_PARAMS.get(m.group(1), "x"), path)


def guarded_routes(console: Console) -> list[tuple[str, str, Action]]:
    found: list[tuple[str, str, Action]] = []
    for route in all_routes(console.app):
        if not isinstance(route, APIRoute):
            continue
        actions = [
            d.call.action for d in route.dependant.dependencies if isinstance(d.call, Requires)
        ]
        public = any(route.path == p or route.path.startswith(p + "/") for p in PUBLIC_PATHS)
        if public:
            assert not actions or route.path == "/logout", route.path
            continue
        assert len(actions) == 1, f"{route.path} must depend on exactly one Requires(...)"
        for method in sorted(route.methods):
            found.append((method, route.path, actions[0]))
    return found


def test_every_non_public_route_is_guarded(console: Console) -> None:
    routes = guarded_routes(console)
    assert len(routes) > 15
    paths = {p for _, p, _ in routes}
    assert {"/api/substances/screen", "/openapi.json", "/api/audit"} <= paths


def test_nothing_but_public_paths_answers_without_authentication(console: Console) -> None:
    client = console.client()
    for method, path, _action in guarded_routes(console):
        response = client.request(method, concrete(path), follow_redirects=False)
        if path.startswith("/api/") or path == "/openapi.json":
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.json()["error"]["code"] == "not_authenticated"
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login?next=")
    assert client.get("/health").status_code == 200
    assert client.get("/login").status_code == 200


def test_a_bad_token_is_not_authentication(console: Console) -> None:
    client = console.client()
    for token in ("pw_not-a-real-token", "garbage", ""):
        client.headers["Authorization"] = f"Bearer {token}"
        assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_refused_exactly_what_it_may_not_do(console: Console, role: Role) -> None:
    api = console.api(role)
    for method, path, action in guarded_routes(console):
        kwargs = {"json": {}} if method in {"POST", "PATCH", "PUT"} else {}
        response = api.request(method, concrete(path), follow_redirects=False, **kwargs)
        if may(role, action):
            assert response.status_code not in (401, 403), (role, method, path, response.text)
        else:
            assert response.status_code == 403, (role, method, path, response.status_code)
            if path.startswith("/api/"):
                error = response.json()["error"]
                assert error["code"] == "permission_denied"
                assert MINIMUM_ROLE[action].value in error["message"]


def test_the_acceptance_cases_by_name(console: Console) -> None:
    """A viewer cannot dispose a case; an analyst cannot load lists (issue 5 acceptance)."""
    assert not may(Role.VIEWER, Action.DISPOSE)
    assert not may(Role.ANALYST, Action.LOAD_LISTS)
    routes = guarded_routes(console)
    dispose = [(m, p) for m, p, a in routes if a is Action.DISPOSE]
    load = [(m, p) for m, p, a in routes if a is Action.LOAD_LISTS]
    assert dispose and load
    for method, path in dispose:
        r = console.api(Role.VIEWER).request(method, concrete(path), json={})
        assert r.status_code == 403
    for method, path in load:
        r = console.api(Role.ANALYST).request(method, concrete(path), json={})
        assert r.status_code == 403
