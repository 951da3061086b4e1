"""Order screening end to end on SQLite: ``precursor-watch screen`` vs a naive per-order loop.

* ours: the ``screen`` command in a child process on a generated file (``samples.generator``,
  seed 0) with the UN consolidated list loaded (loading is not timed): file read, substance and
  party screening, rules, decisions + cases + audit chain + customer history in SQLite, outputs
  and the HTML report. Lines/s over the whole command; peak memory is the child's max RSS
  (``os.wait4``), which includes RDKit, the knowledge base and the list index.
* baseline: what a user would otherwise write with the same library: read the file with
  ``read_orders``, call ``screen_order`` per order with an uncached ``screen_substance`` and the
  party screener without the context's cache (``PartyScreener.screen`` still keeps its own memo
  of screened parties, as it does for any caller), and store each decision in its own
  transaction. Run on a smaller sample (it is slow); rates are per line, compared as a ratio.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FULL_LINES = 1_000_000
QUICK_LINES = 20_000
BASELINE_LINES = {True: 1_000, False: 5_000}
UN_LIST = Path("/work/shared/data/sanctions/un_sc_consolidated_2026-02-27/consolidated.xml")
TARGET_RATE = 5_000
MEMORY_LIMIT_MB = 2048


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "PRECURSOR_WATCH_HOME": str(home), "PRECURSOR_WATCH_OPSIN": "off"}
    env.pop("PRECURSOR_WATCH_DB", None)
    return env


def _cli(args: list[str], home: Path) -> tuple[float, float, int, str]:
    """Run the CLI in a child; (wall seconds, CPU seconds, peak RSS in MB, stderr)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from precursor_watch.cli.main import main; main()", *args],
        env=_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"precursor-watch {' '.join(args)} failed ({proc.returncode}): {err}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, err


def _naive(path: Path, home: Path) -> tuple[float, float, int]:
    """The per-order loop, in a child process so that it starts as cold as the command."""
    code = f"""
import time, sys
from pathlib import Path
from precursor_watch import screen_substance
from precursor_watch.io.order_reader import read_orders
from precursor_watch.parties.active_lists import screener_for_database
from precursor_watch.screening.batch_records import DecisionToStore
from precursor_watch.screening.context import ScreeningContext
from precursor_watch.screening.order_engine import screen_order
from precursor_watch.storage.db import open_database, session_scope
from precursor_watch.storage.decisions import record_decisions
engine = open_database()
parties = screener_for_database()
context = ScreeningContext(substance_screener=lambda q: screen_substance(q),
                           party_screener=lambda q: parties.screen(q))
start = time.perf_counter()
cpu = time.process_time()
lines = 0
for item in read_orders(Path({str(path)!r})):
    if not hasattr(item, "order"):
        continue
    decision = screen_order(item.order, context)
    lines += len(item.order.lines)
    with session_scope(engine) as session:
        record_decisions(session, [DecisionToStore(decision, order_data=item.order.to_json())])
print(lines, time.perf_counter() - start, time.process_time() - cpu)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env(home), capture_output=True, text=True, check=True
    )
    lines, seconds, cpu = out.stdout.split()
    return float(seconds), float(cpu), int(lines)


def _generate(path: Path, lines: int) -> float:
    from precursor_watch.samples.generator import write_sample

    start = time.perf_counter()
    write_sample(path, lines, seed=0)
    return time.perf_counter() - start


def run(quick: bool) -> str:
    from benchmarks.run import full_lines

    lines = QUICK_LINES if quick else full_lines(FULL_LINES)
    work = Path(tempfile.mkdtemp(prefix="pw-orders-bench-"))
    try:
        source = work / "orders.csv"
        gen_s = _generate(source, lines)
        size_mb = source.stat().st_size / 1e6
        home = work / "home"
        _cli(["lists", "load", str(UN_LIST)], home)
        seconds, cpu_s, rss_mb, err = _cli(
            ["screen", str(source), "--out", str(work / "out"), "--quiet"], home
        )
        summary = json.loads(err.strip().splitlines()[-1])
        rate, cpu_rate = lines / seconds, lines / cpu_s
        # both cores: a local cluster of 2 worker processes (the driver writes beside them)
        home_w2 = work / "home-w2"
        _cli(["lists", "load", str(UN_LIST)], home_w2)
        w2_s, w2_cpu, w2_rss, _ = _cli(
            ["screen", str(source), "--out", str(work / "out-w2"), "--quiet", "--workers", "2"],
            home_w2,
        )
        same = all(
            (work / "out" / name).read_bytes() == (work / "out-w2" / name).read_bytes()
            for name in ("decisions.jsonl", "decisions.csv", "errors.csv")
        )
        w2_rate = lines / w2_s

        small = work / "small.csv"
        _generate(small, BASELINE_LINES[quick])
        home2 = work / "home-naive"
        _cli(["lists", "load", str(UN_LIST)], home2)
        naive_s, naive_cpu, naive_lines = _naive(small, home2)
        naive_rate, naive_cpu_rate = naive_lines / naive_s, naive_lines / naive_cpu
        ours_small_s, ours_small_cpu, _, _ = _cli(
            ["screen", str(small), "--out", str(work / "out-small"), "--quiet"], work / "home-small"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    verdict = "meets" if rate >= TARGET_RATE else "MISSES"
    memory = "meets" if rss_mb < MEMORY_LIMIT_MB else "MISSES"
    return "\n".join(
        [
            f"Generated {lines:,} order lines ({summary['orders']:,} orders, {size_mb:.0f} MB CSV) "
            f"in {gen_s:.1f} s; UN consolidated list loaded (not timed); SQLite.",
            "",
            "| what | lines | wall s | lines/s (wall) | CPU s | lines per CPU-s | peak RSS |",
            "|---|---:|---:|---:|---:|---:|---:|",
            f"| `precursor-watch screen` (end to end, child process) | {lines:,} | {seconds:.1f} | "
            f"{rate:,.0f} | {cpu_s:.1f} | {cpu_rate:,.0f} | {rss_mb:,} MB |",
            f"| `precursor-watch screen --workers 2` (both cores; CPU and RSS: all processes, "
            f"RSS the largest one) | {lines:,} | {w2_s:.1f} | {w2_rate:,.0f} | {w2_cpu:.1f} | "
            f"{lines / w2_cpu:,.0f} | {w2_rss:,} MB |",
            f"| naive loop: `screen_order` per order, uncached, one transaction per order | "
            f"{naive_lines:,} | {naive_s:.1f} | {naive_rate:,.0f} | {naive_cpu:.1f} | "
            f"{naive_cpu_rate:,.0f} | - |",
            f"| `precursor-watch screen` on the same small file (incl. start-up) | "
            f"{naive_lines:,} | {ours_small_s:.1f} | {naive_lines / ours_small_s:,.0f} | "
            f"{ours_small_cpu:.1f} | {naive_lines / ours_small_cpu:,.0f} | - |",
            "",
            f"Speed-up over the naive loop (per line): **{rate / naive_rate:.1f}x** wall, "
            f"**{cpu_rate / naive_cpu_rate:.1f}x** CPU. "
            f"Target >= {TARGET_RATE:,} lines/s: {verdict} in one process, "
            f"{'meets' if w2_rate >= TARGET_RATE else 'MISSES'} with `--workers 2`; peak memory "
            f"< {MEMORY_LIMIT_MB:,} MB: {memory}. Decisions of the two runs identical byte for "
            f"byte: {'yes' if same else 'NO'}. Flagged {summary['flagged']:,} orders; {summary['error_rows']:,} bad rows; "
            f"{summary['partitions']} partitions.",
            "",
            "The machine is shared: wall-clock rates depend on the other jobs; CPU seconds (user + "
            "system of the child) do not. The naive loop's times exclude its start-up (knowledge "
            "base and list index loading); the command's include it.",
        ]
    )


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
