"""``precursor-watch demo``: the console with data in it, for ``make run``.

1. opens the embedded database (PRECURSOR_WATCH_DB or SQLite in PRECURSOR_WATCH_HOME);
2. loads the OFAC SDN snapshot from the shared test data when it is there (sanctions lists are
   never bundled; without one, every order says its parties were not screened);
3. generates sample orders (seeded, with planted diversion patterns) and screens them with the
   batch runner, so the dashboard and the case queue have content (a second run reuses them);
4. creates (or resets) the ``demo-admin`` account and prints its one-time password;
5. serves the console on http://HOST:PORT.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from sqlalchemy import Engine

DEMO_ADMIN = "demo-admin"
DEMO_SEED = 2026
DEMO_LINES = 1000
SHARED_SDN = Path("sanctions") / "ofac_sdn_2024-05-03" / "sdn.csv"


def shared_sdn() -> Path | None:
    root = Path(os.environ.get("PRECURSOR_WATCH_SHARED_DATA", "/work/shared/data"))
    path = root / SHARED_SDN
    return path if path.is_file() else None


def demo_admin_password(engine: Engine) -> str:
    from precursor_watch.errors import NotFoundError
    from precursor_watch.storage.audit import append_audit
    from precursor_watch.storage.db import session_scope
    from precursor_watch.web.accounts import repository
    from precursor_watch.web.accounts.passwords import new_secret
    from precursor_watch.web.accounts.roles import Role

    secret = new_secret(12)
    with session_scope(engine) as session:
        try:
            repository.get_user(session, DEMO_ADMIN)
            repository.set_password(session, DEMO_ADMIN, secret)
            repository.update_user(session, DEMO_ADMIN, role=Role.ADMIN, active=True)
            action = "user.password_reset"
        except NotFoundError:  # first run
            repository.add_user(session, DEMO_ADMIN, Role.ADMIN, secret, "Demo administrator")
            action = "user.create"
        append_audit(session, "demo", action, f"user:{DEMO_ADMIN}", {"role": "admin"})
    return secret


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--lines", default=DEMO_LINES, show_default=True, help="sample order lines")
@click.option("--no-serve", is_flag=True, help="prepare the data and the account, then exit")
def demo(host: str, port: int, lines: int, no_serve: bool) -> None:
    """Prepare a demonstration console (sample orders screened, demo admin) and serve it."""
    from precursor_watch.samples.generator import write_sample
    from precursor_watch.settings import database_url, home_dir
    from precursor_watch.storage.db import open_database
    from precursor_watch.web.batch_jobs import screen_file

    url = database_url()
    engine = open_database(url)
    click.echo(f"database: {engine.url.render_as_string(hide_password=True)}")
    sdn = shared_sdn()
    if sdn is not None:
        from precursor_watch.storage.list_store import load_list

        report = load_list(engine, sdn)
        click.echo(f"list: {report.list_name} {report.version} ({report.status})")
    else:
        click.echo("list: none found; load one with `precursor-watch lists load PATH`")
    folder = home_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    orders = folder / f"sample-orders-{DEMO_SEED}-{lines}.csv"
    if not orders.exists():
        count, _labels = write_sample(orders, lines, seed=DEMO_SEED, planted_rate=0.05)
        click.echo(f"generated {count} sample orders in {orders}")
    click.echo("screening the sample orders (a second run reuses the first)...")
    result = screen_file(url, orders, folder / "screened", actor="demo")
    click.echo(
        f"screened {result.orders} orders: {result.flagged} flagged, report {result.files['report.html']}"
    )
    password = demo_admin_password(engine)
    click.echo("")
    click.echo(f"  precursor-watch console: http://{host}:{port}/")
    click.echo(f"  sign in as {DEMO_ADMIN} with the one-time password: {password}")
    click.echo("  (a new password is printed each time the demo starts; add users at /users)")
    click.echo("")
    if no_serve:
        return
    import uvicorn

    from precursor_watch.cli.serve_command import KEEP_ALIVE_SECONDS
    from precursor_watch.web.app import create_app

    uvicorn.run(
        create_app(),
        host=host,
        port=port,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        log_level="warning",
    )
