"""The ``precursor-watch`` command. Sub-commands load lazily so that ``party`` never imports RDKit
and ``substance`` never imports SQLAlchemy or FastAPI."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from precursor_watch.errors import PrecursorWatchError

# name -> "module:attribute". Each entry is one thin module in this package.
COMMANDS: dict[str, str] = {
    "substance": "precursor_watch.cli.substance_command:substance",
    "party": "precursor_watch.cli.party_command:party",
    "audit": "precursor_watch.cli.audit_command:audit",
    "cases": "precursor_watch.cli.cases_command:cases",
    "screen": "precursor_watch.cli.screen_command:screen",
    "users": "precursor_watch.cli.users_command:users",
    "serve": "precursor_watch.cli.serve_command:serve",
    "demo": "precursor_watch.cli.demo_command:demo",
    "lists": "precursor_watch.cli.lists_command:lists",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup)
@click.version_option(package_name="precursor-watch")
def cli() -> None:
    """precursor-watch: screen chemicals, parties and orders against drug-precursor controls and
    sanctions lists, with explained, sourced and reproducible answers."""


def main(argv: list[str] | None = None) -> Any:
    try:
        return cli.main(args=argv, prog_name="precursor-watch", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PrecursorWatchError as exc:
        where = f" (field: {exc.field})" if exc.field else ""
        click.echo(f"error: {exc.message}{where}", err=True)
        sys.exit(exc.exit_code)
