"""What the Dask tests share: one small real sample, one SQLite database with a real UN list,
one local cluster of two worker processes, the in-process reference run, and comparisons."""

from __future__ import annotations

import csv
import functools
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from precursor_watch.cli.screen_command import screen
from precursor_watch.samples.generator import write_sample
from precursor_watch.screening.batch import BatchOptions, BatchResult, run_batch
from precursor_watch.screening.context import CustomerHistory, ScreeningContext
from precursor_watch.screening.runners import PartitionRunner
from precursor_watch.storage.customer_history import DbCustomerHistory
from precursor_watch.storage.db import open_database
from precursor_watch.storage.list_store import load_list
from precursor_watch.storage.runs import DbRunStore

OUTPUTS = ("decisions.jsonl", "decisions.csv", "errors.csv", "report.html")
AS_OF = date(2026, 6, 1)
PARTITION_BYTES = 60_000
UN_LIST = "un_sc_consolidated_2026-02-27/consolidated.xml"
# Compared row by row; timestamps and the audit hashes that cover them are left out.
TABLES = {
    "decisions": "order_id, run_id, partition, position, input_hash, outcome, findings, versions, "
    "rule_set_version, knowledge_base_version, order_data",
    "cases": "id, decision_id, order_id, machine_outcome, status, assignee",
    "customer_history": "customer_key, order_id, order_date, ship_to, substance_key, quantity, "
    "unit, unit_price, currency, run_id",
    "run_partitions": "run_id, partition, orders, errors",
    "audit_log": "seq, actor, action, subject, payload",
}


@dataclass(frozen=True)
class Sample:
    source: Path
    database: Path  # a SQLite file with the UN list loaded and nothing screened
    reference: Path  # the in-process run's output folder
    reference_db: Path


def write_orders(path: Path, lines: int = 2000) -> Path:
    """A generated order file with three bad rows (a bad quantity, a bad country, an extra cell)."""
    write_sample(path, lines, seed=11)
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    header = rows[0]
    rows[40][header.index("quantity")] = "twelve"
    rows[900][header.index("buyer_country")] = "Germany"
    rows[1500].append("an extra cell")
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


def fresh_database(sample: Sample, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "precursor-watch.db"
    with sqlite3.connect(sample.database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)  # WAL included, unlike a file copy
    return target


def cli_screen(source: Path, out: Path, database: Path, *extra: str) -> dict[str, Any]:
    """``precursor-watch screen`` in this process (the driver), on ``database``."""
    args = [str(source), "--out", str(out), "--as-of", AS_OF.isoformat(), "--quiet"]
    args += ["--partition-mb", str(PARTITION_BYTES / 1024 / 1024), *extra]
    env = {"PRECURSOR_WATCH_DB": url_of(database)}
    result = CliRunner().invoke(screen, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.output.strip().splitlines()[-1])
    return summary


def batch(
    source: Path, out: Path, database: Path, runner: PartitionRunner | None, **kw: Any
) -> BatchResult:
    """``run_batch`` with the context the CLI builds (lists of the database, cached queries)."""
    from precursor_watch.parties.active_lists import screener_for_database

    engine = open_database(url_of(database))
    screener = screener_for_database(url_of(database))
    party = functools.lru_cache(maxsize=200_000)(screener.screen)

    def make_context(day: date, history: CustomerHistory) -> ScreeningContext:
        return ScreeningContext.default(as_of=day, party_screener=party, history=history)

    options = BatchOptions(
        out_dir=out,
        partition_bytes=PARTITION_BYTES,
        as_of=AS_OF,
        list_versions=dict(screener.list_versions),
        database=engine.dialect.name,
    )
    return run_batch(
        source,
        options,
        DbRunStore(engine),
        DbCustomerHistory(engine),
        make_context,
        runner=runner,
        **kw,
    )


def database_rows(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(database) as conn:
        return {
            table: conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()
            for table, columns in TABLES.items()
        }


def assert_same_run(out: Path, database: Path, sample: Sample) -> None:
    """Every output file byte for byte, and every stored row, as in the in-process run."""
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (sample.reference / name).read_bytes(), name
    ours, theirs = database_rows(database), database_rows(sample.reference_db)
    for table in TABLES:
        assert ours[table] == theirs[table], table


def make_sample(folder: Path, sanctions: Path) -> Sample:
    source = write_orders(folder / "orders.csv")
    database = folder / "empty" / "precursor-watch.db"
    database.parent.mkdir(parents=True)
    load_list(open_database(url_of(database)), sanctions / UN_LIST)
    sample = Sample(source, database, folder / "reference", folder / "reference-db" / "x.db")
    reference_db = fresh_database(sample, folder / "reference-db")
    cli_screen(source, sample.reference, reference_db)
    return Sample(source, database, sample.reference, reference_db)


@pytest.fixture(scope="module")
def opsin_off() -> Iterator[None]:
    """Driver and workers alike skip OPSIN (a JVM per call): not what these tests are about.
    Set before the cluster starts, so the worker processes inherit it; the driver's
    process-wide substance screener, which an earlier test may have built with OPSIN on, is
    set aside for the module so that the driver (this process) builds one with OPSIN off too."""
    from precursor_watch.substances import screening as substance_screening

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PRECURSOR_WATCH_OPSIN", "off")
        patch.setattr(substance_screening, "_default", None)
        yield


@pytest.fixture(scope="module")
def sample(
    tmp_path_factory: pytest.TempPathFactory, sanctions_data: Path, opsin_off: None
) -> Sample:
    return make_sample(tmp_path_factory.mktemp("dask-sample"), sanctions_data)


@pytest.fixture(scope="module")
def cluster(opsin_off: None) -> Iterator[Any]:
    """A LocalCluster of two worker processes (one thread each), as ``--workers 2`` starts."""
    from distributed import LocalCluster

    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", scheduler_port=0
    ) as local:
        yield local


def client_of(cluster: Any) -> Any:
    """A client of the test cluster (distributed's constructors are untyped)."""
    from distributed import Client

    return Client(cluster)  # type: ignore[no-untyped-call]


def worker_pids(client: Any) -> dict[str, int]:
    return {address: int(pid) for address, pid in client.run(os.getpid).items()}
