"""``precursor-watch lists``: load sanctions and watch lists, show what is loaded, update them."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from precursor_watch.errors import ListLoadError
from precursor_watch.sources.detect import FORMATS

MAX_SHOWN_ERRORS = 20


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _echo_report(report: object, max_errors: int) -> None:
    from precursor_watch.storage.list_reports import LoadReport

    assert isinstance(report, LoadReport)
    day = report.publish_date.isoformat() if report.publish_date else "unknown date"
    state = {
        "loaded": "loaded, active",
        "held": "stored, NOT ACTIVATED",
        "unchanged": "unchanged",
        "activated": "already stored, now active",
    }
    click.echo(
        f"{report.list_name} {report.version}: {state[report.status]} "
        f"(published {day}, from {report.date_source}; {report.entity_count} entries, "
        f"{report.name_count} names, {len(report.issues)} bad records, {report.seconds:.1f} s)"
    )
    if report.note:
        click.echo(f"  {report.note}")
    for issue in report.issues[:max_errors]:
        click.echo(f"  bad record: {issue}", err=True)
    if len(report.issues) > max_errors:
        click.echo(
            f"  ... and {len(report.issues) - max_errors} more (all are stored; --max-errors N "
            "or --json shows them)",
            err=True,
        )


@click.group()
def lists() -> None:
    """Sanctions and watch lists: load official files, show status, download updates."""


@lists.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Skip format detection.")
@click.option(
    "--force",
    is_flag=True,
    help="Activate the version even if it is older than, or much smaller than, the active one "
    "(also activates a held version already stored).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON report per path, one per line.")
@click.option(
    "--max-errors",
    default=MAX_SHOWN_ERRORS,
    show_default=True,
    help="Bad records printed per path (all are stored).",
)
def load(
    paths: tuple[Path, ...], fmt: str | None, force: bool, as_json: bool, max_errors: int
) -> None:
    """Load list files (format detected, or --format). A folder loads OFAC's CSV set in it.

    Each file becomes a new list version in one transaction; the same file again changes
    nothing. Bad records are reported with file and line; the good ones are loaded.
    """
    from precursor_watch.storage.db import open_database
    from precursor_watch.storage.list_store import load_list

    engine = open_database()
    failed = 0
    for path in paths:
        try:
            report = load_list(engine, path, fmt, force=force, actor=_actor())
        except ListLoadError as exc:
            failed += 1
            if as_json:
                click.echo(
                    json.dumps({"path": str(path), "status": "failed", "error": exc.message})
                )
            click.echo(f"error: {exc.message}", err=True)
            continue
        if as_json:
            click.echo(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            _echo_report(report, max_errors)
    if failed:
        sys.exit(ListLoadError.exit_code)


@lists.command("status")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per list version.")
@click.option(
    "--all", "all_versions", is_flag=True, help="Also show inactive (older, held) versions."
)
def status(as_json: bool, all_versions: bool) -> None:
    """The lists screening uses now: version, publish date, checksum, counts, load time."""
    from precursor_watch.storage.db import open_database
    from precursor_watch.storage.list_store import list_status

    rows = list_status(open_database(), all_versions=all_versions)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.to_json(), ensure_ascii=False))
        return
    if not rows:
        click.echo("no lists loaded: run `precursor-watch lists load PATH` or `lists update`")
        return
    header = ("list", "version", "published", "sha256", "entries", "names", "errors", "loaded at")
    table: list[tuple[str, ...]] = [header]
    table += [
        (
            r.list_name + ("" if r.active else " (inactive)"),
            r.version,
            f"{r.publish_date.isoformat() if r.publish_date else '?'} ({r.date_source})",
            r.sha256[:12],
            str(r.entity_count),
            str(r.name_count),
            str(r.error_count),
            r.loaded_at.strftime("%Y-%m-%d %H:%M"),
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )
    for r in rows:
        if r.note:
            click.echo(f"note: {r.list_name} {r.version}: {r.note}")


@lists.command("update")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds per request.")
@click.option("--mirror", help="Fetch the same file names from this base URL (an internal mirror).")
@click.option(
    "--dest",
    type=click.Path(path_type=Path),
    help="Download folder (default: PRECURSOR_WATCH_HOME/downloads).",
)
def update(timeout: float, mirror: str | None, dest: Path | None) -> None:
    """Download the official OFAC SDN and UN consolidated lists and load them.

    Without network it says so, keeps the current lists and exits with status 4.
    """
    from precursor_watch.settings import home_dir
    from precursor_watch.sources.official_downloads import (
        OFFICIAL_SOURCES,
        NoNetworkError,
        download,
    )
    from precursor_watch.storage.db import open_database
    from precursor_watch.storage.list_store import active_versions, load_list

    engine = open_database()
    target = dest or home_dir() / "downloads"
    failed = 0
    for source in OFFICIAL_SOURCES:
        try:
            fetched = download(source, target, timeout=timeout, mirror=mirror)
        except NoNetworkError as exc:
            current = active_versions(engine)
            kept = ", ".join(f"{k} {v}" for k, v in sorted(current.items())) or "none loaded"
            click.echo(
                f"no network: could not reach {exc.host} ({exc.reason}); "
                f"keeping current lists: {kept}",
                err=True,
            )
            sys.exit(ListLoadError.exit_code)
        except OSError as exc:
            failed += 1
            click.echo(f"error: {source.name}: download failed: {exc}", err=True)
            continue
        for file in fetched.missing:
            click.echo(
                f"warning: {source.name}: {file} not available, loading without it", err=True
            )
        try:
            report = load_list(engine, fetched.load_path, actor=_actor())
        except ListLoadError as exc:
            failed += 1
            click.echo(f"error: {exc.message}", err=True)
            continue
        _echo_report(report, MAX_SHOWN_ERRORS)
    if failed:
        sys.exit(ListLoadError.exit_code)
