"""Uploaded batches outlive the server process: a new app on the same database lists them, and a
batch whose process was killed mid-run is shown as interrupted and resumes to the outputs of an
uninterrupted run. Real runner, real SQLite and PostgreSQL, a real killed process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from precursor_watch.storage import batch_job_store
from precursor_watch.storage.db import open_database
from precursor_watch.web.accounts.roles import Role
from precursor_watch.web.app import create_app
from precursor_watch.web.batch_jobs import OUTPUT_FILES, screen_file
from tests.web.conftest import Console, make_console, sample_order_file, wait_for_batch

CHILD = """
import shutil, sys, time
from pathlib import Path
from precursor_watch.web.app import create_app
from precursor_watch.web.config import WebConfig

url, work, source = sys.argv[1:4]
app = create_app(WebConfig(database_url=url, secret_key="child-key-for-tests", work_dir=Path(work)))
jobs = app.state.batches
job_id, folder = jobs.new_folder()
path = folder / Path(source).name
shutil.copy(source, path)
jobs.submit(job_id, path, "analyst", as_of=None, fmt=None)
print(job_id, flush=True)
time.sleep(600)
"""


def _restarted(console: Console) -> Console:
    """The same database and work folder, a new app (what a server restart does)."""
    return Console(create_app(console.config), console.config, console.tokens)


def test_a_batch_survives_an_app_restart(database_url: str, tmp_path: Path) -> None:
    console = make_console(tmp_path / "c", database_url)
    path = sample_order_file(tmp_path, n_lines=30, seed=5)
    api = console.api(Role.ANALYST)
    batch_id = api.post(
        "/api/batches", files={"file": (path.name, path.read_bytes(), "text/csv")}
    ).json()["id"]
    done = wait_for_batch(api, batch_id)
    assert done["state"] == "finished"

    again = _restarted(console).api(Role.VIEWER)
    listed = again.get("/api/batches").json()["batches"]
    assert [(b["id"], b["state"], b["orders"]) for b in listed] == [
        (batch_id, "finished", done["orders"])
    ]
    assert again.get(f"/api/batches/{batch_id}/files/decisions.csv").text.startswith("order_id")
    assert batch_id in again.get("/batches").text


def _kill_mid_run(database_url: str, work: Path, source: Path) -> str:
    """Start a batch in another server process and SIGKILL it after two committed partitions."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url, str(work), str(source)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        job_id = child.stdout.readline().strip()
        engine = open_database(database_url)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            job = batch_job_store.get_job(engine, job_id)
            assert job is not None and job.state in ("queued", "running"), job
            if job.partitions_done >= 2:
                break
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    return job_id


def test_a_killed_batch_is_interrupted_and_resumes_to_the_same_outputs(
    database_url: str, tmp_path: Path
) -> None:
    console = make_console(tmp_path / "c", database_url)
    source = sample_order_file(tmp_path, n_lines=2000, seed=9)
    job_id = _kill_mid_run(database_url, console.config.work_dir / "batches", source)

    restarted = _restarted(console)
    viewer = restarted.api(Role.VIEWER)
    shown = viewer.get(f"/api/batches/{job_id}").json()
    assert shown["state"] == "interrupted" and shown["resumable"] is True, shown
    assert 2 <= shown["partitions_done"] < shown["partitions"]
    assert shown["message"].startswith("Interrupted:") and shown["files"] == {}
    page = viewer.get(f"/batches/{job_id}").text
    assert "Interrupted:" in page and "Resume screening" not in page  # viewers may not resume
    assert viewer.post(f"/api/batches/{job_id}/resume").status_code == 403

    client, csrf = restarted.browser(Role.ANALYST)
    assert "Resume screening" in client.get(f"/batches/{job_id}").text
    posted = client.post(
        f"/batches/{job_id}/resume", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert posted.status_code == 303
    analyst = restarted.api(Role.ANALYST)
    done = wait_for_batch(analyst, job_id, timeout=300)
    assert done["state"] == "finished" and "Resumed by analyst" in str(done["message"])
    again = analyst.post(f"/api/batches/{job_id}/resume")
    assert again.status_code == 422 and again.json()["error"]["field"] == "batch_id"

    # the same file screened without interruption into a fresh database
    reference = tmp_path / "reference"
    result = screen_file(
        f"sqlite:///{tmp_path / 'reference.db'}",
        source,
        reference,
        actor="analyst",
    )
    assert (done["orders"], done["errors"], done["flagged"]) == (
        result.orders,
        result.errors,
        result.flagged,
    )
    for name in OUTPUT_FILES[:3]:
        resumed = analyst.get(f"/api/batches/{job_id}/files/{name}").content
        assert resumed == (reference / name).read_bytes(), name
    runs = viewer.get("/api/batches").json()["runs"]
    assert [r["status"] for r in runs if r["run_id"] == done["run_id"]] == ["finished"]
    audit = viewer.get("/api/audit", params={"subject": f"batch:{job_id}"}).json()["entries"]
    assert {(e["action"], e["actor"]) for e in audit} == {
        ("batch.interrupted", "system"),
        ("batch.resumed", "analyst"),
    }
