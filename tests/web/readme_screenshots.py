"""Make the README screenshots from the demo console (run by hand, not by pytest):

    .venv/bin/python -m tests.web.readme_screenshots

Prepares the demo data in a temporary PRECURSOR_WATCH_HOME (``precursor-watch demo --no-serve``),
serves it on a free loopback port, signs in as demo-admin in Debian's Chromium and saves
docs/screenshots/{substance,case,dashboard}.png.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.web.browser_support import chromium, free_port, shot, sign_in

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def main() -> None:
    home = Path(os.environ.get("README_SCREENSHOTS_HOME") or tempfile.mkdtemp(prefix="pw-readme-"))
    env = {**os.environ, "PRECURSOR_WATCH_HOME": str(home)}
    env.pop("PRECURSOR_WATCH_DB", None)
    exe = str(Path(sys.executable).with_name("precursor-watch"))
    prepared = subprocess.run(
        [exe, "demo", "--no-serve"], env=env, capture_output=True, text=True, check=True
    )
    password = re.findall(r"one-time password: (\S+)", prepared.stdout)[-1]
    port = free_port()
    server = subprocess.Popen([exe, "serve", "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(60_000)
            try:
                sign_in(page, base, "demo-admin", password)
            except Exception:
                shot(page, "sign-in-failed")
                raise
            page.goto(f"{base}/")
            shot(page, "dashboard", OUT, full_page=False)
            page.goto(f"{base}/substances?q=O%3DC1CCN(C(%3DO)OCc2ccccc2)CC1")
            page.wait_for_function("document.getElementById('structure').naturalWidth > 0")
            shot(page, "substance", OUT, full_page=False)
            page.goto(f"{base}/cases?decision=block")
            if page.locator("#case-queue tbody tr a").count() == 0:
                page.goto(f"{base}/cases?decision=hold")
            page.click("#case-queue tbody tr >> nth=0 >> a")
            page.wait_for_function(
                "[...document.querySelectorAll('#structures img')].every(i => i.complete)"
            )
            page.set_viewport_size({"width": 1280, "height": 2000})
            shot(page, "case", OUT, full_page=False)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
