"""End-to-end in headless Chromium (Debian's, driven by Playwright): sign in, screen a substance
and see its structure, upload a batch and wait for it, resume an interrupted batch, dispose a
case and find it in the audit trail. Screenshots go to test-artifacts/web/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser_support import CHROMIUM, chromium, live_server, shot, sign_in
from tests.web.conftest import PASSWORD, Console, sample_order_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not installed: make browser-deps"),
]


@pytest.fixture(scope="module")
def base_url(console: Console, case_ids: list[int]) -> Iterator[str]:
    with live_server(console.app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    opened = context.new_page()
    yield opened
    context.close()


def test_sign_in_lands_on_the_dashboard(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cases")
    assert "/login" in page.url  # not signed in: sent to the sign-in page
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", "wrong password here")
    page.click("button[type=submit]")
    assert page.inner_text("[role=alert]") == "Wrong user name or password."
    sign_in(page, base_url, "viewer", PASSWORD)
    assert page.inner_text("h1") == "Dashboard"
    assert page.locator("main svg").count() >= 4
    assert page.locator("nav a", has_text="Substance").count() == 0  # viewers do not screen
    shot(page, "dashboard")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shot(page, "dashboard-phone")


def test_screen_a_substance_and_see_its_structure(page: Any, base_url: str) -> None:
    sign_in(page, base_url, "analyst", PASSWORD)
    page.click("nav >> text=Substance")
    page.fill("input[name=q]", "1-boc-4-piperidone")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("[data-status=controlled]")
    page.wait_for_function(
        "document.getElementById('structure').complete && "
        "document.getElementById('structure').naturalWidth > 0"
    )
    controls = page.locator("table.controls tbody tr")
    assert controls.count() >= 2
    assert "79099-07-3" in page.inner_text("#result")
    shot(page, "substance")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shot(page, "substance-phone")


def test_upload_a_batch_and_wait_for_it_to_finish(page: Any, base_url: str, tmp_path: Path) -> None:
    orders = sample_order_file(tmp_path, n_lines=50, seed=21)
    sign_in(page, base_url, "analyst", PASSWORD)
    page.click("nav >> text=Upload")
    page.set_input_files("input[name=file]", str(orders))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("[role=progressbar]")
    shot(page, "batch-running")
    page.wait_for_selector("#batch-progress[data-state=finished]", timeout=180_000)
    page.wait_for_selector("#batch-done:not([hidden])")
    text = page.inner_text("#batch-done")
    assert "flagged" in text and "errors.csv" in text
    shot(page, "batch-finished")


def test_resume_an_interrupted_batch(
    page: Any, base_url: str, console: Console, tmp_path: Path
) -> None:
    """A batch its server process left queued (the process is gone) is shown interrupted and an
    analyst resumes it with the button; the page follows it to the end."""
    import shutil
    import socket
    import subprocess
    import sys
    from datetime import UTC, datetime

    from precursor_watch.storage import batch_job_store
    from precursor_watch.storage.batch_job_store import BatchJob

    jobs = console.app.state.batches
    job_id, folder = jobs.new_folder()
    upload = folder / "orders-left-behind.csv"
    shutil.copy(sample_order_file(tmp_path, n_lines=40, seed=23), upload)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], stdout=-1)
    batch_job_store.add_job(
        console.app.state.engine,
        BatchJob(
            id=job_id,
            input_name=upload.name,
            input_path=upload,
            out_dir=folder / "out",
            uploaded_by="analyst",
            created_at=datetime.now(UTC),
            bytes_total=upload.stat().st_size,
            owner=f"{socket.gethostname()}:{int(gone.stdout)}:dead",
            heartbeat_at=datetime.now(UTC),
        ),
    )
    assert jobs.sweep() == [job_id]
    sign_in(page, base_url, "analyst", PASSWORD)
    page.goto(f"{base_url}/batches")
    assert "interrupted" in page.inner_text("#batches")
    page.click(f"#batches a[href='/batches/{job_id}']")
    page.wait_for_selector("#batch-progress[data-state=interrupted]")
    assert page.inner_text("#batch-message").startswith("Interrupted:")
    page.wait_for_load_state("networkidle")  # the script has polled the batch once
    assert page.locator("#batch-done").is_hidden()
    shot(page, "batch-interrupted")
    page.click("#resume-form button[type=submit]")
    page.wait_for_selector("#batch-progress[data-state=finished]", timeout=180_000)
    page.wait_for_selector("#batch-done:not([hidden])")
    assert "Resumed by analyst" in page.inner_text("#batch-message")


def test_dispose_a_case_and_see_it_in_the_audit_trail(
    page: Any, base_url: str, case_ids: list[int]
) -> None:
    sign_in(page, base_url, "supervisor", PASSWORD)
    page.goto(f"{base_url}/cases?decision=hold")
    page.click("#case-queue tbody tr >> nth=-1 >> a")
    page.wait_for_selector("#findings")
    case_url = page.url
    case_id = case_url.rstrip("/").rsplit("/", 1)[1]
    page.select_option("#disposition-form select[name=disposition]", "reported_to_authority")
    page.fill(
        "#disposition-form textarea[name=reason]", "new buyer, corridor route; filed with DEA"
    )
    page.click("#disposition-form button[type=submit]")
    page.wait_for_selector("#current-disposition")
    assert page.inner_text("#current-disposition") == "reported_to_authority"
    assert page.text_content("#case-status") == "closed"
    page.wait_for_function(
        "[...document.querySelectorAll('#structures img')].every(i => i.complete)"
    )
    shot(page, "case")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shot(page, "case-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("nav >> text=Audit")
    page.fill("input[name=subject]", f"case:{case_id}")
    page.click("form button[type=submit]")
    row = page.locator("table.audit tbody tr", has_text="case.dispose")
    assert row.count() == 1
    assert "supervisor" in row.inner_text() and "reported_to_authority" in row.inner_text()
    shot(page, "audit")
