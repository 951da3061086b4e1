"""List loading: each real snapshot in the shared data folder loaded into a fresh database.

* ours: ``load_list`` end to end (checksum, parse, remarks facts, countries, insert of entities
  and identifiers, activation, audit entry) into SQLite, or into PRECURSOR_WATCH_BENCH_PG (a
  postgresql+psycopg:// URL of a server where databases may be created) when set;
* baseline: what a user would otherwise do at the least: read the same file's raw records with
  the standard library (``csv.reader`` / ``ElementTree.parse`` / ``json.loads`` per line), no
  parsing of the contents and no database; the ratio says what the whole load costs on top;
* read-back: ``iter_active_entities`` over the loaded list (what the matcher does at start-up).
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

DATA = Path(os.environ.get("PRECURSOR_WATCH_SHARED_DATA", "/work/shared/data")) / "sanctions"
SNAPSHOTS = (
    "ofac_sdn_2024-05-03",
    "ofac_sdn_2022-01-31",
    "ofac_sdn_2026-06-02",
    "un_sc_consolidated_2026-02-27/consolidated.xml",
    "us_csl_2023-11-30_partial/csl.csv",
    "us_bis_dpl_2023-11-30/dpl.txt",
    "ofac_sdn_names_2025-11-26/sdn_entities.jsonl",
    "opensanctions_ftm/yente_zala_entities.ftm.json",
)
QUICK = SNAPSHOTS[3:6]


def _baseline(path: Path) -> float:
    start = time.perf_counter()
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    for file in files:
        if file.suffix == ".xml":
            ET.parse(file)
        elif file.suffix in {".json", ".jsonl"}:
            with file.open(encoding="utf-8") as handle:
                for line in handle:
                    json.loads(line)
        else:
            delimiter = "\t" if file.suffix == ".txt" else ","
            with file.open(encoding="latin-1", newline="") as handle:
                for _ in csv.reader(handle, delimiter=delimiter):
                    pass
    return time.perf_counter() - start


def _database_url(workdir: Path) -> str:
    server = os.environ.get("PRECURSOR_WATCH_BENCH_PG")
    if not server:
        return f"sqlite:///{workdir / f'{uuid.uuid4().hex}.db'}"
    import psycopg

    name = f"pw_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(
        server.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name


def run(quick: bool) -> str:
    from precursor_watch.storage.db import close_databases, open_database
    from precursor_watch.storage.list_store import iter_active_entities, load_list

    rows = [
        "| snapshot | entities | bad records | load (s) | entities/s | baseline raw read (s) "
        "| load / baseline | read back (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    from precursor_watch.sources.countries import country_code
    from precursor_watch.sources.scripts import script_of

    country_code("China"), script_of("Xi")  # one-time table loading, not part of a load
    backend = "PostgreSQL" if os.environ.get("PRECURSOR_WATCH_BENCH_PG") else "SQLite (WAL)"
    with tempfile.TemporaryDirectory() as tmp:
        for relative in QUICK if quick else SNAPSHOTS:
            path = DATA / relative
            engine = open_database(_database_url(Path(tmp)))
            report = load_list(engine, path)
            start = time.perf_counter()
            count = sum(1 for _ in iter_active_entities(engine))
            read_back = time.perf_counter() - start
            baseline = min(_baseline(path) for _ in range(2))
            rows.append(
                f"| {relative} | {report.entity_count:,} | {len(report.issues)} "
                f"| {report.seconds:.2f} | {report.entity_count / report.seconds:,.0f} "
                f"| {baseline:.2f} | {report.seconds / baseline:.1f}x | {read_back:.2f} |"
            )
            assert count == report.entity_count
            close_databases()
    try:
        load = Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        load = "unknown"
    return (
        f"Machine load average at the end: {load} (other jobs share the 2 cores). "
        f"Database: {backend}, one process. Load = checksum + parse + facts + insert + activation "
        "in one transaction.\n\n" + "\n".join(rows) + "\n"
    )
