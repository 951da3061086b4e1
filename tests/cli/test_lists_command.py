"""``precursor-watch lists``: load, status and update through the real CLI and a real database."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from precursor_watch.cli.main import cli
from precursor_watch.storage.db import close_databases

UN = "un_sc_consolidated_2026-02-27/consolidated.xml"
CSL = "us_csl_2023-11-30_partial/csl.csv"


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("PRECURSOR_WATCH_DB", database_url)
    yield CliRunner()
    close_databases()


def test_load_then_status_shows_dates(runner: CliRunner, sanctions_data: Path) -> None:
    result = runner.invoke(
        cli, ["lists", "load", str(sanctions_data / UN), str(sanctions_data / CSL)]
    )
    assert result.exit_code == 0, result.output
    assert "un_sc_consolidated 2026-02-27+" in result.stdout
    assert "csl.csv:4233: expected 29 fields, found 8" in result.stderr
    status = runner.invoke(cli, ["lists", "status"])
    assert status.exit_code == 0
    lines = status.stdout.splitlines()
    assert lines[0].split()[:3] == ["list", "version", "published"]
    assert any(
        line.startswith("un_sc_consolidated") and "2026-02-27 (file)" in line for line in lines
    )
    assert any(
        line.startswith("us_trade_csl") and "2023-11-30 (folder_name)" in line for line in lines
    )
    rows = [
        json.loads(line)
        for line in runner.invoke(cli, ["lists", "status", "--json"]).stdout.splitlines()
    ]
    assert {r["list"]: (r["entities"], r["errors"]) for r in rows} == {
        "un_sc_consolidated": (1003, 0),
        "us_trade_csl": (4226, 2),
    }


def test_load_json_and_failures(runner: CliRunner, sanctions_data: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["lists", "load", "--json", str(sanctions_data / UN), str(tmp_path / "absent.xml")]
    )
    assert result.exit_code == 4
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["status"] == "loaded" and first["publish_date"] == "2026-02-27"
    assert second["status"] == "failed" and "no such file" in second["error"]
    again = runner.invoke(cli, ["lists", "load", str(sanctions_data / UN)])
    assert again.exit_code == 0 and ": unchanged" in again.stdout


def test_status_on_empty_database(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["lists", "status"])
    assert result.exit_code == 0 and "no lists loaded" in result.stdout


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_update_without_network_keeps_lists(
    runner: CliRunner, sanctions_data: Path, tmp_path: Path
) -> None:
    runner.invoke(cli, ["lists", "load", str(sanctions_data / UN)])
    port = _closed_port()  # nothing listens there: connection refused, as when offline
    result = runner.invoke(
        cli,
        [
            "lists",
            "update",
            "--timeout",
            "2",
            "--mirror",
            f"http://127.0.0.1:{port}",
            "--dest",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 4
    assert f"no network: could not reach 127.0.0.1:{port}" in result.stderr
    assert "keeping current lists: un_sc_consolidated 2026-02-27+" in result.stderr


@pytest.fixture
def mirror(tmp_path: Path, sanctions_data: Path) -> Iterator[str]:
    """A local HTTP server holding copies (in tmp, never in the repo) of real snapshot files."""
    root = tmp_path / "mirror"
    root.mkdir()
    for name in ("sdn.csv", "add.csv", "alt.csv"):
        shutil.copy(sanctions_data / "ofac_sdn_2022-01-31" / name, root / name)
    shutil.copy(sanctions_data / UN, root / "consolidated.xml")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_update_downloads_and_loads(runner: CliRunner, mirror: str, tmp_path: Path) -> None:
    dest = tmp_path / "downloads"
    result = runner.invoke(cli, ["lists", "update", "--mirror", mirror, "--dest", str(dest)])
    assert result.exit_code == 0, result.output
    assert "sdn_comments.csv not available, loading without it" in result.stderr
    assert "us_ofac_sdn " in result.stdout and "loaded, active" in result.stdout
    assert "un_sc_consolidated 2026-02-27+" in result.stdout
    folders = sorted(p.name for p in dest.iterdir())
    assert [f.rsplit("_", 1)[0] for f in folders] == ["un_sc_consolidated", "us_ofac_sdn"]
    assert not list(dest.rglob("*.part"))
