"""``precursor-watch party``: screen party names (and identifiers) against the loaded lists."""

from __future__ import annotations

import json
import sys

import click

from precursor_watch.domain.parties import PartyScreening
from precursor_watch.errors import InputError
from precursor_watch.parties.active_lists import build_query, screener_for_database


def read_names(names: tuple[str, ...]) -> list[str]:
    """The names in order; ``-`` stands for one name per line of standard input."""
    out: list[str] = []
    for name in names:
        if name == "-":
            out.extend(line.rstrip("\r\n") for line in sys.stdin if line.strip())
        else:
            out.append(name)
    return out


def format_table(result: PartyScreening) -> str:
    lines = [f"{result.query}  ->  {result.status.value.upper()}"]
    if not result.matches:
        lines.append("    no list entry scored as a possible match")
    for match in result.matches:
        lines.append(
            f"    {match.score:.2f}  {match.list} {match.list_version}  #{match.entity_id}  "
            f"{match.name}  [{', '.join(match.programs)}]"
        )
        if match.matched_name != match.name:
            lines.append(f"          matched alias: {match.matched_name}")
        for sentence in match.explanation:
            lines.append(f"          - {sentence}")
    return "\n".join(lines) + "\n"


@click.command()
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per name, one per line.")
@click.option("--country", metavar="CC", help="The party's country (ISO 3166-1 alpha-2).")
@click.option(
    "--type",
    "entity_type",
    type=click.Choice(["person", "organization"]),
    help="Whether the party is a person or an organization.",
)
@click.option(
    "--id",
    "identifiers",
    multiple=True,
    metavar="VALUE",
    help="An identifier: registration or tax number, email, phone, website, wallet. Repeatable.",
)
@click.option("--limit", default=10, show_default=True, help="Most matches shown per name.")
def party(
    names: tuple[str, ...],
    as_json: bool,
    country: str | None,
    entity_type: str | None,
    identifiers: tuple[str, ...],
    limit: int,
) -> None:
    """Screen party NAMEs against the sanctions and watch lists loaded in the database
    (PRECURSOR_WATCH_DB). A NAME of "-" reads one name per line from standard input.
    Status: match, possible or clear; every match lists its features and explanation."""
    queries = read_names(names)
    if not queries and identifiers:
        queries = [""]
    if not queries:
        raise InputError(
            "give at least one NAME (or - for standard input) or an --id", field="NAME"
        )
    screener = screener_for_database()
    for name in queries:
        result = screener.screen(build_query(name, country, entity_type, identifiers), limit=limit)
        if as_json:
            click.echo(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            click.echo(format_table(result))
