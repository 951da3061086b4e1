"""The web docs cover every route, every page twin and every role action (fails when not)."""

from __future__ import annotations

from pathlib import Path

from fastapi.routing import APIRoute

from precursor_watch.web.accounts.roles import Action, Role
from precursor_watch.web.app import PAGE_TWINS, PUBLIC_PATHS, all_routes
from tests.web.conftest import Console

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_api_route_is_in_api_md(console: Console) -> None:
    text = (DOCS / "api.md").read_text()
    for route in all_routes(console.app):
        if isinstance(route, APIRoute) and route.include_in_schema:
            for method in route.methods:
                assert f"| `{method}` | `{route.path}` |" in text, f"{method} {route.path}"


def test_every_page_and_form_is_in_web_md(console: Console) -> None:
    text = (DOCS / "web.md").read_text()
    for route in all_routes(console.app):
        if isinstance(route, APIRoute) and not route.include_in_schema:
            assert f"`{route.path}`" in text, route.path
    for public in PUBLIC_PATHS:
        assert f"`{public}`" in text


def test_page_twins_exist(console: Console) -> None:
    paths = {r.path for r in all_routes(console.app) if isinstance(r, APIRoute)}
    for page, twin in PAGE_TWINS.items():
        assert page in paths and twin in paths, (page, twin)
    web = (DOCS / "web.md").read_text()
    for twin in PAGE_TWINS.values():
        assert f"`{twin}`" in web


def test_roles_and_actions_are_documented() -> None:
    text = (DOCS / "api.md").read_text() + (DOCS / "web.md").read_text()
    for role in Role:
        assert f"`{role.value}`" in text
    for action in Action:
        assert f"`{action.value}`" in text
