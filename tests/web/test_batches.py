"""Upload an order file, watch its progress, download the results: real runner, real database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from precursor_watch.web.accounts.roles import Role
from tests.web.conftest import Console, sample_order_file, wait_for_batch


def test_upload_progress_and_results(console: Console, tmp_path: Path) -> None:
    path = sample_order_file(tmp_path)
    api = console.api(Role.ANALYST)
    queued = api.post("/api/batches", files={"file": (path.name, path.read_bytes(), "text/csv")})
    assert queued.status_code == 202, queued.text
    batch_id = queued.json()["id"]
    done = wait_for_batch(api, batch_id)
    assert done["state"] == "finished", done
    assert done["percent"] == 100 and int(str(done["orders"])) >= 10
    assert done["errors"] == 2 and done["partitions"] >= 1  # the bad row, and its order unscreened
    files = done["files"]
    assert isinstance(files, dict)
    errors = api.get(files["errors.csv"])
    rows = list(csv.DictReader(io.StringIO(errors.text)))
    assert {(r["field"], "lots" in r["message"]) for r in rows} >= {("quantity", True)}
    assert all(r["line"] == rows[0]["line"] for r in rows)
    decisions = api.get(files["decisions.jsonl"]).text.splitlines()
    assert len(decisions) == done["orders"]
    assert "<svg" in api.get(files["report.html"]).text
    listed = console.api(Role.VIEWER).get("/api/batches").json()["batches"]
    assert any(b["id"] == batch_id and b["uploaded_by"] == "analyst" for b in listed)
    runs = console.api(Role.VIEWER).get("/api/batches").json()["runs"]
    assert any(r["run_id"] == done["run_id"] and r["status"] == "finished" for r in runs)
    audit = console.api(Role.VIEWER).get("/api/audit", params={"limit": 1000}).json()["entries"]
    assert any(e["action"] == "batch.started" and e["actor"] == "analyst" for e in audit)


def test_unreadable_file_fails_with_a_message(console: Console) -> None:
    api = console.api(Role.ANALYST)
    queued = api.post(
        "/api/batches",
        files={"file": ("orders.parquet", b"this is not parquet", "application/octet-stream")},
    )
    assert queued.status_code == 202
    done = wait_for_batch(api, queued.json()["id"])
    assert done["state"] == "failed" and done["message"]
    assert api.get(f"/api/batches/{queued.json()['id']}/files/decisions.csv").status_code == 404


def test_viewer_cannot_upload_and_unknown_batch_is_404(console: Console) -> None:
    viewer = console.api(Role.VIEWER)
    assert (
        viewer.post("/api/batches", files={"file": ("a.csv", b"x", "text/csv")}).status_code == 403
    )
    missing = viewer.get("/api/batches/nope")
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "batch_id"


def test_upload_form_redirects_to_the_progress_page(console: Console, tmp_path: Path) -> None:
    path = sample_order_file(tmp_path, n_lines=20, seed=11, bad_row=False)
    client, csrf = console.browser(Role.ANALYST)
    posted = client.post(
        "/batches",
        data={"csrf_token": csrf},
        files={"file": (path.name, path.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    page = client.get(posted.headers["location"])
    assert 'role="progressbar"' in page.text and "data-progress-url" in page.text
    wait_for_batch(client, posted.headers["location"].rsplit("/", 1)[1])
