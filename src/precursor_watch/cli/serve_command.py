"""``precursor-watch serve``: run the web console and HTTP API with uvicorn."""

from __future__ import annotations

import click

# How long an idle keep-alive connection stays open. It must be longer than the idle timeout of
# any client pool or proxy in front of the server: a server that closes a connection at the
# moment a client reuses it resets that request (the client sees "connection reset by peer" and
# the request is lost). httpx keeps idle connections 5 s, nginx's upstream keep-alive and AWS
# Elastic Load Balancing 60 s by default; uvicorn's own default, 5 s, races with the first.
# Behind a proxy that keeps connections longer (Google Cloud's load balancer: 600 s), raise it.
KEEP_ALIVE_SECONDS = 75


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
@click.option(
    "--timeout-keep-alive",
    default=KEEP_ALIVE_SECONDS,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="seconds an idle keep-alive connection stays open; keep it longer than the idle "
    "timeout of the clients' connection pools and of any proxy in front (else a request sent "
    "as the server closes the connection is reset)",
)
def serve(host: str, port: int, workers: int, timeout_keep_alive: int) -> None:
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
        timeout_keep_alive=timeout_keep_alive,
        log_level="warning",
    )
