"""Run the benchmarks and write benchmarks/RESULTS.md with the machine and the date.

    python -m benchmarks.run                 # everything
    python -m benchmarks.run substances      # one suite
    python -m benchmarks.run --quick         # small sizes, for a smoke check

Each suite is a module in this folder with ``run(quick: bool) -> str`` returning a Markdown section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import re
import subprocess
import time
from pathlib import Path

SUITES: dict[str, str] = {
    "substances": "benchmarks.substances_bench",
    "parties": "benchmarks.parties_bench",
    "lists": "benchmarks.lists_bench",
    "orders": "benchmarks.orders_bench",
    "scale": "benchmarks.scale_bench",
    "web": "benchmarks.web_load_bench",
}

RESULTS = Path(__file__).with_name("RESULTS.md")
LINES_VARIABLE = "PRECURSOR_WATCH_BENCH_LINES"


def full_lines(default: int) -> int:
    """The size of a full run: ``--lines`` when given, else the suite's own default."""
    return int(os.environ.get(LINES_VARIABLE, default))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.findall(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[0])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, IndexError):
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores{mem}; Python {platform.python_version()}; "
        f"{platform.system()} {platform.release()}; commit {commit or 'unknown'}"
    )


def speed_probe() -> float:
    """CPU milliseconds of a fixed pure-Python workload (dicts, strings, a sort), best of 3: a
    gauge of how fast this machine runs Python right now, independent of our code. The machine
    is a shared VM whose speed varied by a third between runs of one day; rates from two runs
    compare only together with their probes."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        table = {str(i): i * 7 % 1_009 for i in range(200_000)}
        ranked = sorted(table.items(), key=lambda kv: (kv[1], kv[0]))
        "".join(k for k, _ in ranked[:50_000]).count("7")
        best = min(best, time.process_time() - start)
    return best * 1000


def write_section(name: str, body: str) -> None:
    """Replace (or add) one suite's section in RESULTS.md, keeping the others."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "suites", nargs="*", help=f"suites to run (default all): {', '.join(SUITES)}"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke check")
    parser.add_argument(
        "--lines",
        type=int,
        metavar="N",
        help="order lines for the orders and scale suites instead of their full size (1,000,000)",
    )
    args = parser.parse_args()
    if args.lines:
        os.environ[LINES_VARIABLE] = str(args.lines)
    unknown = [s for s in args.suites if s not in SUITES]
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(unknown)}; known: {', '.join(SUITES)}")
    for name in args.suites or list(SUITES):
        module = importlib.import_module(SUITES[name])
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        before = speed_probe()
        body = module.run(quick=args.quick)
        after = speed_probe()
        header = (
            f"## {name}\n\nRun {stamp} on {machine()}{' (quick mode)' if args.quick else ''}. "
            f"Speed probe (`benchmarks.run.speed_probe`, a fixed pure-Python workload; lower is "
            f"a faster machine): {before:.0f} ms before the suite, {after:.0f} ms after.\n\n"
        )
        write_section(name, header + body)
        print(header + body)


if __name__ == "__main__":
    main()
