"""``precursor-watch users``: the first admin is created on the command line and can sign in."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from precursor_watch.errors import PrecursorWatchError
from precursor_watch.web.app import create_app
from precursor_watch.web.config import WebConfig


def run(home: Path, *args: str, stdin: str | None = None) -> Result:
    """The real command in-process (click's runner), on the database in ``home``."""
    from precursor_watch.cli.main import cli

    env = {"PRECURSOR_WATCH_HOME": str(home), "PRECURSOR_WATCH_DB": ""}
    result = CliRunner().invoke(cli, list(args), input=stdin, env=env)
    if isinstance(result.exception, PrecursorWatchError):  # main() turns these into exit codes
        result.exit_code = result.exception.exit_code
    return result


def test_users_add_prints_a_one_time_password_that_signs_in(tmp_path: Path) -> None:
    added = run(tmp_path, "users", "add", "first.admin", "--role", "admin")
    assert added.exit_code == 0, added.output
    password = added.stdout.split("one-time password: ", 1)[1].split()[0]
    token = run(tmp_path, "users", "token", "first.admin", "--name", "ci")
    assert token.exit_code == 0 and token.stdout.startswith("pw_")
    duplicate = run(tmp_path, "users", "add", "first.admin", "--role", "viewer")
    assert duplicate.exit_code == 2 and "already exists" in str(duplicate.exception)
    weak = run(
        tmp_path, "users", "add", "weak", "--role", "viewer", "--password-stdin", stdin="x\n"
    )
    assert weak.exit_code == 2 and getattr(weak.exception, "field", None) == "password"
    listed = run(tmp_path, "users", "list")
    assert "first.admin" in listed.stdout and "admin" in listed.stdout

    config = WebConfig(
        database_url=f"sqlite:///{tmp_path / 'precursor-watch.db'}",
        secret_key="k" * 32,
        work_dir=tmp_path / "web",
    )
    client = TestClient(create_app(config), base_url="http://127.0.0.1")
    signed_in = client.post("/login", data={"username": "first.admin", "password": password})
    assert signed_in.status_code == 200
    assert client.get("/api/me").json()["user"]["role"] == "admin"
    bearer = TestClient(create_app(config), base_url="http://127.0.0.1")
    bearer.headers["Authorization"] = f"Bearer {token.stdout.strip()}"
    entries = bearer.get("/api/audit", params={"subject": "user:first.admin"}).json()["entries"]
    assert {"user.create", "token.create", "user.sign_in"} <= {e["action"] for e in entries}
    assert all(e["actor"].startswith(("cli", "first.admin")) for e in entries)
