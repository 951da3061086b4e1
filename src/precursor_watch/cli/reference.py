"""Generate the CLI reference (docs/cli.md) and the settings reference from the code itself.

    python -m precursor_watch.cli.reference > docs/cli.md

A test fails when docs/cli.md is out of date, so every command and option stays documented.
"""

from __future__ import annotations

import click

from precursor_watch.cli.main import cli
from precursor_watch.settings import ALL_SETTINGS


def _walk(
    command: click.Command, path: list[str], ctx: click.Context | None
) -> list[tuple[str, str]]:
    sub_ctx = click.Context(command, info_name=path[-1], parent=ctx)
    out = [(" ".join(path), command.get_help(sub_ctx))]
    if isinstance(command, click.Group):
        for name in command.list_commands(sub_ctx):
            child = command.get_command(sub_ctx, name)
            if child is not None and not child.hidden:
                out.extend(_walk(child, [*path, name], sub_ctx))
    return out


def render() -> str:
    lines = [
        "# CLI reference",
        "",
        "Generated from the commands' own `--help` by `python -m precursor_watch.cli.reference`;",
        "a test fails when this file is out of date.",
        "",
    ]
    for name, text in _walk(cli, ["precursor-watch"], None):
        lines += [f"## `{name}`", "", "```", text.rstrip(), "```", ""]
    lines += ["# Settings", "", "| environment variable | default | meaning |", "|---|---|---|"]
    for setting in ALL_SETTINGS:
        default = f"`{setting.default}`" if setting.default else "(empty)"
        if setting.env == "PRECURSOR_WATCH_HOME":
            default = "`~/.precursor-watch`"
        lines.append(f"| `{setting.env}` | {default} | {setting.help} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    click.echo(render(), nl=False)
