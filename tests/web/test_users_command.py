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


def test_users_revoke_token_stops_it_and_is_audited(tmp_path: Path) -> None:
    assert run(tmp_path, "users", "add", "ops", "--role", "admin").exit_code == 0
    secret = run(tmp_path, "users", "token", "ops", "--name", "erp").stdout.strip()
    listed = run(tmp_path, "users", "tokens", "ops")
    assert listed.exit_code == 0 and "active" in listed.stdout and "erp" in listed.stdout
    assert secret not in listed.stdout  # the secret is never shown again
    token_id = listed.stdout.split()[0]

    config = WebConfig(
        database_url=f"sqlite:///{tmp_path / 'precursor-watch.db'}",
        secret_key="k" * 32,
        work_dir=tmp_path / "web",
    )
    headers = {"Authorization": f"Bearer {secret}"}
    before = TestClient(create_app(config), base_url="http://127.0.0.1", headers=headers)
    assert before.get("/api/me").status_code == 200

    revoked = run(tmp_path, "users", "revoke-token", token_id)
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    assert '"revoked": true' in run(tmp_path, "users", "tokens", "--json").stdout
    after = TestClient(create_app(config), base_url="http://127.0.0.1", headers=headers)
    assert after.get("/api/me").status_code == 401

    missing = run(tmp_path, "users", "revoke-token", "999")
    assert missing.exit_code != 0 and "no API token with id 999" in str(missing.exception)

    assert run(tmp_path, "users", "add", "auditor", "--role", "admin").exit_code == 0
    auditor = run(tmp_path, "users", "token", "auditor", "--name", "audit").stdout.strip()
    reader = TestClient(
        create_app(config),
        base_url="http://127.0.0.1",
        headers={"Authorization": f"Bearer {auditor}"},
    )
    entries = reader.get("/api/audit", params={"subject": "user:ops"}).json()["entries"]
    revokes = [e for e in entries if e["action"] == "token.revoke"]
    assert len(revokes) == 1 and revokes[0]["actor"].startswith("cli")
    assert revokes[0]["payload"]["token_id"] == int(token_id)
