"""``precursor-watch substance``: screen chemical identifiers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from precursor_watch.domain import SubstanceScreening
from precursor_watch.errors import InputError


def read_queries(queries: tuple[str, ...]) -> list[str]:
    """The queries in order; ``-`` stands for one query per line of standard input."""
    out: list[str] = []
    for query in queries:
        if query == "-":
            out.extend(line.rstrip("\r\n") for line in sys.stdin if line.strip())
        else:
            out.append(query)
    return out


def format_table(results: list[SubstanceScreening]) -> str:
    lines: list[str] = []
    for result in results:
        name = result.substance.name if result.substance else "-"
        cas = result.substance.cas if result.substance and result.substance.cas else ""
        lines.append(f"{result.query}  ->  {result.status.value.upper()}  {name} {cas}".rstrip())
        for control in result.controls:
            rule = f" [{control.rule_id}]" if control.rule_id else ""
            lines.append(
                f"    {control.jurisdiction:<3} {control.effective.isoformat()}  {control.basis.value:<7} "
                f"{control.list}: {control.entry}{rule}"
            )
        for hit in result.watch:
            lines.append(
                f"    watch  {hit.resembles}: {hit.modification} (similarity {hit.similarity:.2f})"
            )
        if result.error:
            lines.append(f"    error: {result.error}")
        for sentence in (
            result.explanation[:1] if result.controls or result.watch else result.explanation
        ):
            lines.append(f"    {sentence}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_svg(result: SubstanceScreening, path: Path) -> None:
    from precursor_watch.chem import draw_svg

    if result.substance is None or not result.substance.smiles:
        raise InputError(
            f"cannot draw {result.query!r}: it did not resolve to a structure", field="--svg"
        )
    atoms: set[int] = set()
    for control in result.controls:
        atoms.update(control.matched_atoms)
    for hit in result.watch:
        atoms.update(hit.matched_atoms)
    legend = f"{result.substance.name}: {result.status.value}"
    path.write_text(
        draw_svg(result.substance.smiles, highlight_atoms=tuple(sorted(atoms)), legend=legend)
    )


@click.command()
@click.argument("queries", nargs=-1, required=True)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One JSON object per query, one per line, in input order.",
)
@click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", help="Status on this date (default: today)."
)
@click.option(
    "--jurisdiction",
    "jurisdictions",
    multiple=True,
    metavar="CODE",
    help="Only these jurisdictions (UN, EU, US, CN, CA, MX, IN); repeatable.",
)
@click.option(
    "--svg",
    "svg",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Draw the molecule with matched atoms highlighted (single query only).",
)
def substance(
    queries: tuple[str, ...],
    as_json: bool,
    as_of: str | None,
    jurisdictions: tuple[str, ...],
    svg: Path | None,
) -> None:
    """Screen chemical identifiers: names, synonyms, CAS RNs, SMILES, InChI, InChIKeys or systematic
    names. A QUERY of - reads one query per line from standard input. Exit status 0 whenever every
    query was handled, including unknown and invalid ones."""
    from precursor_watch import screen_substances

    items = read_queries(queries)
    if svg is not None and len(items) != 1:
        raise click.UsageError("--svg draws one molecule: give exactly one query")
    results = screen_substances(items, as_of=as_of, jurisdictions=jurisdictions or None)
    if as_json:
        for result in results:
            click.echo(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        click.echo(format_table(results), nl=False)
    if svg is not None:
        write_svg(results[0], svg)
