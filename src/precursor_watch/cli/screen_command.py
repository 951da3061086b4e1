"""``precursor-watch screen FILE``: screen an order file in bounded memory, resumably."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from precursor_watch.errors import ConfigurationError, InputError, NotFoundError

DEFAULT_PARTITION_MB = 8.0


def _mapping(path: Path | None) -> Any:
    from precursor_watch.io.order_columns import ColumnMapping

    return ColumnMapping.from_file(path) if path is not None else ColumnMapping.default()


def _party_screener(url: str, *, on_cluster: bool = False) -> tuple[Any, dict[str, str]]:
    """The screener over the lists active in the database and their versions; (None, {}) and a
    warning when no list is loaded (every decision then says the parties were not screened).
    On a cluster the workers screen the parties: the driver reads the versions only (building
    the screener took about a second and a half), and builds its own screener only if asked."""
    from precursor_watch.parties.active_lists import active_list_versions, screener_for_database

    try:
        if on_cluster:
            versions = active_list_versions(url)
            return _screener_when_asked(url, versions), versions
        screener = screener_for_database(url)
    except NotFoundError as exc:
        click.echo(f"warning: {exc.message}; parties will not be screened", err=True)
        return None, {}
    # ScreeningContext.default caches the screener's answers per query (bounded).
    return screener.screen, dict(screener.list_versions)


def _screener_when_asked(url: str, versions: dict[str, str]) -> Callable[[Any], Any]:
    """``screen`` of the screener over ``versions``, built at its first call; a list loaded
    since the versions were read is refused rather than mixed into the run."""
    from precursor_watch.parties.active_lists import screener_for_database

    @functools.cache
    def screener() -> Any:
        built = screener_for_database(url)
        if dict(built.list_versions) != versions:
            raise ConfigurationError(
                f"the active lists changed during the run: {versions} then, "
                f"{dict(built.list_versions)} now",
                field="lists",
            )
        return built

    return lambda query: screener().screen(query)


def _runner(cluster: str | None, workers: int | None, url: str) -> Any:
    """In-process (default), the Dask scheduler at ``cluster``, or a local cluster."""
    from precursor_watch.screening.runners import InProcessRunner

    if cluster:
        from precursor_watch.screening.dask_runner import DaskRunner

        return DaskRunner.connect(cluster, url)
    if workers:
        from precursor_watch.screening.dask_runner import DaskRunner

        return DaskRunner.local(workers, url)
    return InProcessRunner()


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (default: FILE's name + '.screened' next to it).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "jsonl", "parquet"]),
    help="Input format (default: from the suffix).",
)
@click.option(
    "--mapping",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help='JSON column mapping {"field": "Your Column"} (see docs/order-columns.md).',
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Screen against the controls in force on this date (default: today).",
)
@click.option(
    "--partition-mb",
    type=float,
    default=DEFAULT_PARTITION_MB,
    show_default=True,
    help="Input megabytes per partition (the unit of memory, progress and resume).",
)
@click.option("--restart", is_flag=True, help="Discard an unfinished run in --out and start over.")
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Screen on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); see "
    "docs/scale-out.md.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Screen on a local Dask cluster of N worker processes.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def screen(
    file: Path,
    out_dir: Path | None,
    fmt: str | None,
    mapping: Path | None,
    as_of: Any,
    partition_mb: float,
    restart: bool,
    cluster: str | None,
    workers: int | None,
    quiet: bool,
) -> None:
    """Screen every order of FILE (CSV, Excel, JSON Lines or Parquet; one row per order line).

    Writes decisions.jsonl, decisions.csv, errors.csv (every bad row by line and field) and
    report.html into --out, and stores the decisions and their cases in the database
    (PRECURSOR_WATCH_DB). A run that was killed continues where it stopped when started again
    with the same FILE and --out. Exit status 0 when every row was handled (screened or reported
    in errors.csv), 2 when FILE could not be read at all. With --cluster or --workers the
    partitions are screened by Dask workers; the output is the same as in-process.
    """
    from precursor_watch.screening.batch import BatchOptions, BatchProgress, run_batch
    from precursor_watch.screening.context import CustomerHistory, ScreeningContext
    from precursor_watch.settings import database_url
    from precursor_watch.storage.customer_history import DbCustomerHistory
    from precursor_watch.storage.db import open_database
    from precursor_watch.storage.runs import DbRunStore

    if not file.is_file():
        raise InputError(f"{file}: no such file", field="FILE")
    if cluster and workers:
        raise click.UsageError("give --cluster or --workers, not both")
    url = database_url()
    engine = open_database(url)
    party_screener, list_versions = _party_screener(url, on_cluster=bool(cluster or workers))
    options = BatchOptions(
        out_dir=out_dir or file.with_name(file.name + ".screened"),
        fmt=fmt,
        mapping=_mapping(mapping),
        partition_bytes=max(1, int(partition_mb * 1024 * 1024)),
        as_of=as_of.date() if as_of is not None else None,
        restart=restart,
        list_versions=list_versions,
        database=engine.dialect.name,
    )

    def make_context(day: date, history: CustomerHistory) -> ScreeningContext:
        return ScreeningContext.default(as_of=day, party_screener=party_screener, history=history)

    store, history = DbRunStore(engine), DbCustomerHistory(engine)
    with _runner(cluster, workers, url) as runner:
        if quiet:
            result = run_batch(file, options, store, history, make_context, runner=runner)
        else:
            with click.progressbar(
                length=max(file.stat().st_size, 1), label="screening", file=sys.stderr
            ) as bar:

                def report(p: BatchProgress) -> None:
                    bar.update(p.bytes_done - bar.pos)

                result = run_batch(
                    file, options, store, history, make_context, progress=report, runner=runner
                )
    summary = {
        "run_id": result.run_id,
        "orders": result.orders,
        "flagged": result.flagged,
        "error_rows": result.errors,
        "partitions": result.partitions,
        "resumed_partitions": result.resumed_partitions,
        "out": str(options.out_dir),
    }
    click.echo(json.dumps(summary), err=True)
