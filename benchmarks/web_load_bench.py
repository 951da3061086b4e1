"""Load on the HTTP API: 50 concurrent clients for 60 s (``--quick``: 5 s) on loopback.

The server is a second process (``precursor-watch serve``, one uvicorn worker) on 127.0.0.1 with
a fresh SQLite database in a temporary PRECURSOR_WATCH_HOME, the 2024-05-03 OFAC SDN loaded from
the shared test data and an analyst's API token. This process drives it with httpx (asyncio):
every client (its own httpx client and keep-alive connection) loops over a mix of substance
screenings (names, CAS numbers and SMILES from the knowledge base, misspellings) and party
screenings (SDN names, variants, unlisted companies).
Reported: requests/s, p50/p99 latency per kind and overall, failed requests (must be 0) and the
CPU time per request of the server and of the load generator.

Side by side, the baseline a user would otherwise run: the same calls in-process
(``screen_substance`` / ``screen_party``) in one thread with no HTTP, which bounds what the API
can add on one core.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

CLIENTS = 50
FULL_SECONDS = 60.0
QUICK_SECONDS = 5.0
SHARED = Path(os.environ.get("PRECURSOR_WATCH_SHARED_DATA", "/work/shared/data"))
SDN = SHARED / "sanctions" / "ofac_sdn_2024-05-03" / "sdn.csv"
SEED = 5
KEEP_ALIVE_EXPIRY = 5.0  # seconds; httpx's default, named here because the server's must exceed it


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def substance_queries(rng: random.Random) -> list[str]:
    from precursor_watch.substances.knowledge_base import load_knowledge_base

    kb = load_knowledge_base()
    queries: list[str] = []
    for s in kb.substances:
        queries += [s.preferred_name, s.smiles] + ([s.cas] if s.cas else [])
    queries += [syn.name for syn in rng.sample(list(kb.synonyms), min(60, len(kb.synonyms)))]
    queries += ["paracetamol", "haloperidol", "4-aminopiperidine", "1-b0c-4-piperid0ne"]
    return queries


def party_queries(rng: random.Random) -> list[str]:
    import csv

    names: list[str] = []
    with SDN.open(encoding="latin-1", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) > 3 and ("SDNTK" in row[3] or "ILLICIT-DRUGS" in row[3]):
                names.append(row[1])
    picked = rng.sample(names, min(150, len(names)))
    variants = [n.title().replace(" LIMITED", " Ltd").replace(", ", " ") for n in picked[:75]]
    clean = [
        f"{city} {word} Chemical Co Ltd"
        for city in ("Shanghai", "Monterrey", "Pune", "Ningbo", "Guadalajara")
        for word in ("Bright", "Golden", "Harvest", "Ocean", "Summit", "Lotus")
    ]
    return picked + variants + clean


def prepare(home: Path) -> tuple[str, dict[str, str]]:
    """Database with the SDN and an analyst token; returns (token, environment of the server)."""
    env = {
        **os.environ,
        "PRECURSOR_WATCH_HOME": str(home),
        "PRECURSOR_WATCH_SECRET_KEY": "bench-secret-key",
    }
    env.pop("PRECURSOR_WATCH_DB", None)
    exe = str(Path(sys.executable).with_name("precursor-watch"))

    def run(*args: str) -> str:
        out = subprocess.run([exe, *args], env=env, capture_output=True, text=True, check=True)
        return out.stdout

    run("lists", "load", str(SDN))
    run("users", "add", "bench", "--role", "analyst")
    return run("users", "token", "bench", "--name", "load benchmark").strip(), env


async def drive(
    base: str, token: str, subs: Sequence[str], parties: Sequence[str], seconds: float
) -> tuple[dict[str, list[float]], list[str]]:
    import httpx

    latencies: dict[str, list[float]] = {"substance": [], "party": []}
    failures: list[str] = []
    stop = time.perf_counter() + seconds
    # Each client has its own httpx client and keep-alive connection, as 50 separate callers
    # would. One AsyncClient shared by all 50 cost the load generator 5-8 ms of CPU per request
    # against 1.6 ms this way (httpcore hands every waiting request the first idle connection and
    # they queue on its lock), so the run measured the load generator more than the server.
    # Idle connections are dropped by the client after KEEP_ALIVE_EXPIRY, well before the server
    # closes them (`serve --timeout-keep-alive`, 75 s): were it the other way round, a request
    # sent on a connection the server was closing would be reset (httpx.ReadError).
    # No retries: a failed request is reported as failed.
    limits = httpx.Limits(
        max_connections=1, max_keepalive_connections=1, keepalive_expiry=KEEP_ALIVE_EXPIRY
    )
    headers = {"Authorization": f"Bearer {token}"}

    async def one_client(n: int) -> None:
        rng = random.Random(SEED + n)
        async with httpx.AsyncClient(
            base_url=base, headers=headers, limits=limits, timeout=60.0
        ) as client:
            while time.perf_counter() < stop:
                if rng.random() < 0.5:
                    kind, url = "substance", "/api/substances/screen"
                    params = {"q": rng.choice(subs)}
                else:
                    kind, url = "party", "/api/parties/screen"
                    params = {"name": rng.choice(parties)}
                started = time.perf_counter()
                try:
                    response = await client.get(url, params=params)
                    ok = response.status_code == 200
                    problem = f"{kind} {params}: HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    ok, problem = False, f"{kind} {params}: {type(exc).__name__} {exc}"
                latencies[kind].append(time.perf_counter() - started)
                if not ok:
                    failures.append(problem)

    await asyncio.gather(*(one_client(n) for n in range(CLIENTS)))
    return latencies, failures


def in_process_rate(
    subs: Sequence[str], parties: Sequence[str], home: Path, seconds: float
) -> float:
    """The baseline: the same mix called directly, one thread, no HTTP."""
    os.environ["PRECURSOR_WATCH_HOME"] = str(home)
    from precursor_watch import screen_party, screen_substance

    rng = random.Random(SEED)
    url = f"sqlite:///{home / 'precursor-watch.db'}"
    screen_party("warm up", database_url=url)
    done, stop = 0, time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < stop:
        if rng.random() < 0.5:
            screen_substance(rng.choice(subs))
        else:
            screen_party(rng.choice(parties), database_url=url)
        done += 1
    return done / (time.perf_counter() - start)


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), None where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run(quick: bool) -> str:
    seconds = QUICK_SECONDS if quick else FULL_SECONDS
    if not SDN.exists():
        return f"skipped: {SDN} not found (the party half of the mix needs a list)\n"
    rng = random.Random(SEED)
    subs, parties = substance_queries(rng), party_queries(rng)
    home = Path(tempfile.mkdtemp(prefix="pw-load-"))
    port = _free_port()
    token, env = prepare(home)
    exe = str(Path(sys.executable).with_name("precursor-watch"))
    # The server's output goes to a file: a pipe nobody reads while the load runs would block
    # the server as soon as it filled.
    server_log = home / "server.log"
    log_handle = server_log.open("w", encoding="utf-8")
    server = subprocess.Popen(
        [exe, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log_handle,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        warm = {"Authorization": f"Bearer {token}"}
        httpx.get(f"{base}/api/substances/screen", params={"q": "NPP"}, headers=warm, timeout=120)
        httpx.get(f"{base}/api/parties/screen", params={"name": "x"}, headers=warm, timeout=120)
        server_start, client_start = _cpu_seconds(server.pid), time.process_time()
        started = time.perf_counter()
        latencies, failures = asyncio.run(drive(base, token, subs, parties, seconds))
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - client_start
        server_end = _cpu_seconds(server.pid)
        server_cpu = (
            None if server_start is None or server_end is None else server_end - server_start
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        log_handle.close()
    server_output = server_log.read_text(encoding="utf-8", errors="replace").splitlines()
    baseline = in_process_rate(subs, parties, home, min(seconds, 10.0))
    shutil.rmtree(home, ignore_errors=True)
    every = latencies["substance"] + latencies["party"]
    total = len(every)
    rate = total / elapsed
    lines = [
        f"{CLIENTS} concurrent clients for {seconds:.0f} s on loopback against `precursor-watch "
        "serve` (one uvicorn worker, SQLite, OFAC SDN 2024-05-03 loaded); the load generator is a "
        "second process (httpx, asyncio). Query pools: "
        f"{len(subs)} substance queries, {len(parties)} party names.",
        "",
        "| requests | kind | requests/s | p50 ms | p99 ms |",
        "|---:|---|---:|---:|---:|",
    ]
    for kind in ("substance", "party"):
        values = latencies[kind]
        lines.append(
            f"| {len(values)} | {kind} | {len(values) / elapsed:.0f} | {_pct(values, 0.5):.1f} "
            f"| {_pct(values, 0.99):.1f} |"
        )
    lines.append(
        f"| {total} | all | {rate:.0f} | {_pct(every, 0.5):.1f} | {_pct(every, 0.99):.1f} |"
    )
    mean = statistics.fmean(every) * 1000 if every else float("nan")
    per_request = max(total, 1) / 1000
    cpu = f"load generator {client_cpu / per_request:.2f} ms"
    if server_cpu is not None:
        cpu = f"server {server_cpu / per_request:.2f} ms, " + cpu
    lines += [
        "",
        f"Failed requests: **{len(failures)}** of {total}. Mean latency {mean:.1f} ms. "
        f"CPU per request: {cpu}.",
        "",
        f"Baseline (same mix called in-process, one thread, no HTTP): {baseline:.0f} calls/s. "
        f"API over HTTP with 50 clients: {rate:.0f} requests/s = **{rate / baseline:.2f}x** the "
        "in-process rate (one server worker; the machine's other core runs the load generator).",
    ]
    if failures:
        lines += ["", "First failures:", *[f"- {f}" for f in failures[:10]]]
    lines += ["", f"Server output during the run: {len(server_output)} lines."]
    if server_output:
        lines += ["```", *server_output[-15:], "```"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
