"""``precursor-watch serve`` keeps idle keep-alive connections open longer than client pools do.

A server that closes an idle connection just as a client reuses it resets that request (the load
benchmark lost requests to ``httpx.ReadError`` this way while uvicorn closed connections after its
default 5 s, the same idle time after which httpx drops them on its side)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from precursor_watch.cli.serve_command import KEEP_ALIVE_SECONDS

UVICORN_DEFAULT_KEEP_ALIVE = 5
HTTPX_KEEP_ALIVE_EXPIRY = 5.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get_health(sock: socket.socket) -> bytes:
    """One whole response: the head and then Content-Length bytes of body.

    A single ``recv`` may return the head alone; the body would then be read as the start of
    the next response. A closed connection gives ``b""`` (or raises a reset)."""
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    response = b""
    while b"\r\n\r\n" not in response:
        chunk = sock.recv(65536)
        if not chunk:
            return response
        response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def test_keep_alive_outlasts_common_client_pools() -> None:
    assert KEEP_ALIVE_SECONDS > 60 > HTTPX_KEEP_ALIVE_EXPIRY  # nginx, AWS ALB: 60 s idle


@pytest.mark.slow
def test_an_idle_connection_is_still_open_after_uvicorns_default(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PRECURSOR_WATCH_HOME": str(tmp_path), "PRECURSOR_WATCH_SECRET_KEY": "k"}
    env.pop("PRECURSOR_WATCH_DB", None)
    exe = str(Path(sys.executable).with_name("precursor-watch"))
    server = subprocess.Popen(
        [exe, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
                break
            except OSError:
                assert server.poll() is None, "the server stopped"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        with sock:
            first = _get_health(sock)
            assert first.startswith(b"HTTP/1.1 200") and b'"status":"ok"' in first
            time.sleep(UVICORN_DEFAULT_KEEP_ALIVE + 1.5)
            assert _get_health(sock).startswith(b"HTTP/1.1 200")  # closed: b"" or a reset
    finally:
        server.terminate()
        server.wait(timeout=30)
