"""``precursor-watch serve``: run the web console and HTTP API with uvicorn."""

from __future__ import annotations

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="interface to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="uvicorn worker processes; uploaded batches are queued and tracked per process, so "
    "keep 1 unless a proxy pins each browser to one worker",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the console on http://HOST:PORT (database: PRECURSOR_WATCH_DB or the embedded
    SQLite in PRECURSOR_WATCH_HOME). Create the first admin with `precursor-watch users add`."""
    import uvicorn

    click.echo(f"precursor-watch console on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(
        "precursor_watch.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
