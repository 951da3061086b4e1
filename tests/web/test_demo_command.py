"""``precursor-watch demo`` (what ``make run`` calls): data screened, a demo admin that signs in."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from precursor_watch.web.app import create_app
from precursor_watch.web.config import WebConfig


def demo(home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRECURSOR_WATCH_HOME": str(home),
        "PRECURSOR_WATCH_SHARED_DATA": str(home / "no-shared-data"),  # no list: faster
    }
    env.pop("PRECURSOR_WATCH_DB", None)
    exe = str(Path(sys.executable).with_name("precursor-watch"))
    return subprocess.run(
        [exe, "demo", "--no-serve", "--lines", "40"], env=env, capture_output=True, text=True
    )


def test_demo_prepares_orders_and_an_admin(tmp_path: Path) -> None:
    first = demo(tmp_path)
    assert first.returncode == 0, first.stderr
    assert "list: none found" in first.stdout
    assert re.search(r"screened \d+ orders: \d+ flagged", first.stdout)
    second = demo(tmp_path)  # a second start reuses the run and gives a new password
    old = re.findall(r"one-time password: (\S+)", first.stdout)[-1]
    new = re.findall(r"one-time password: (\S+)", second.stdout)[-1]
    assert old != new
    config = WebConfig(
        database_url=f"sqlite:///{tmp_path / 'precursor-watch.db'}",
        secret_key="k" * 32,
        work_dir=tmp_path / "web",
    )
    client = TestClient(create_app(config), base_url="http://127.0.0.1")
    assert (
        client.post("/login", data={"username": "demo-admin", "password": old}).status_code == 401
    )
    assert (
        client.post("/login", data={"username": "demo-admin", "password": new}).status_code == 200
    )
    stats = client.get("/api/dashboard").json()
    assert stats["total_decisions"] > 0
    runs = client.get("/api/batches").json()["runs"]
    assert len(runs) == 1 and runs[0]["status"] == "finished"  # not screened twice
