"""Loading a list over HTTP: supervisors may, analysts may not; bad records are reported."""

from __future__ import annotations

from pathlib import Path

from precursor_watch.web.accounts.roles import Role
from tests.web.conftest import Console


def test_supervisor_loads_the_partial_csl_and_sees_bad_records(
    console: Console, sanctions_data: Path
) -> None:
    csl = sanctions_data / "us_csl_2023-11-30_partial" / "csl.csv"
    files = {"files": ("csl.csv", csl.read_bytes(), "text/csv")}
    refused = console.api(Role.ANALYST).post("/api/lists/load", files=files)
    assert refused.status_code == 403
    loaded = console.api(Role.SUPERVISOR).post("/api/lists/load", files=files)
    assert loaded.status_code == 201, loaded.text
    report = loaded.json()
    assert report["entities"] > 0
    assert report["errors"] and all(e["line"] for e in report["errors"][:5])
    status = console.api(Role.VIEWER).get("/api/lists").json()["lists"]
    assert any(v["list"] == report["list"] and v["sha256"] == report["sha256"] for v in status)
    audit = console.api(Role.VIEWER).get("/api/audit", params={"subject": f"list:{report['list']}"})
    assert audit.json()["entries"][0]["actor"] == "supervisor"
    again = console.api(Role.SUPERVISOR).post("/api/lists/load", files=files).json()
    assert again["status"] == "unchanged"


def test_garbage_file_is_refused_with_a_reason(console: Console) -> None:
    files = {"files": ("junk.csv", b"no,list,here\n1,2,3\n", "text/csv")}
    r = console.api(Role.SUPERVISOR).post("/api/lists/load", files=files)
    assert r.status_code == 422
    assert r.json()["error"]["code"] in {"list_load_error", "bad_input"}
    empty = console.api(Role.SUPERVISOR).post(
        "/api/lists/load", files={"files": ("e.csv", b"", "text/csv")}
    )
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "files"


def test_lists_page(console: Console) -> None:
    client, _ = console.browser(Role.SUPERVISOR)
    page = client.get("/lists")
    assert page.status_code == 200 and 'id="list-status"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    viewer, _ = console.browser(Role.VIEWER)
    assert 'enctype="multipart/form-data"' not in viewer.get("/lists").text
