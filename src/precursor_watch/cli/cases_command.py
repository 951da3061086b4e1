"""``precursor-watch cases``: list, read and work the cases that non-clear decisions open."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import click

from precursor_watch.storage.cases import CaseDetail, Disposition
from precursor_watch.storage.decisions import CaseStatus

_USER = click.option(
    "--user",
    "user",
    default=lambda: getpass.getuser(),
    show_default="the login name",
    help="Who does this (recorded in the audit trail).",
)


@click.group()
def cases() -> None:
    """Cases opened by non-clear decisions: status, assignee, comments, human disposition."""


@cases.command("list")
@click.option("--status", type=click.Choice(CaseStatus.ALL))
@click.option("--assignee")
@click.option("--outcome", type=click.Choice(["review", "hold", "block"]))
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_command(
    status: str | None, assignee: str | None, outcome: str | None, limit: int, as_json: bool
) -> None:
    """Cases, newest first."""
    from precursor_watch.storage.cases import list_cases
    from precursor_watch.storage.db import open_database, session_scope

    with session_scope(open_database()) as session:
        found = list_cases(session, status=status, assignee=assignee, outcome=outcome, limit=limit)
    for c in found:
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "id": c.id,
                        "order_id": c.order_id,
                        "machine_outcome": c.machine_outcome,
                        "status": c.status,
                        "assignee": c.assignee,
                        "opened_at": c.opened_at.isoformat(),
                    }
                )
            )
        else:
            click.echo(
                f"{c.id:>6}  {c.machine_outcome:<7} {c.status:<10} {c.assignee or '-':<14} "
                f"{c.order_id}"
            )
    if not found and not as_json:
        click.echo("no cases", err=True)


def _show(detail: CaseDetail) -> str:
    c, d = detail.case, detail.decision
    lines = [
        f"case {c.id}  order {c.order_id}  status {c.status}  assignee {c.assignee or '-'}",
        f"machine decision: {d.outcome.upper()} (decision {d.id}, input {d.input_hash[:16]}...)",
    ]
    for f in d.findings:
        lines.append(f"  [{f.get('outcome')}] {f.get('rule_id')}: {f.get('sentence')}")
    for com in detail.comments:
        lines.append(
            f"  comment {com.created_at.isoformat(timespec='seconds')} {com.author}: {com.body}"
        )
    for disp in detail.dispositions:
        lines.append(
            f"  disposition {disp.decided_at.isoformat(timespec='seconds')} {disp.decided_by}: "
            f"{disp.disposition} ({disp.reason})"
        )
    return "\n".join(lines)


@cases.command()
@click.argument("case_id", type=int)
def show(case_id: int) -> None:
    """One case with its machine decision, comments and dispositions."""
    from precursor_watch.storage.cases import get_case
    from precursor_watch.storage.db import open_database, session_scope

    with session_scope(open_database()) as session:
        click.echo(_show(get_case(session, case_id)))


@cases.command()
@click.argument("case_id", type=int)
@click.argument("assignee")
@_USER
def assign(case_id: int, assignee: str, user: str) -> None:
    """Give a case to ASSIGNEE (an open case moves to in_review)."""
    from precursor_watch.storage.cases import assign_case
    from precursor_watch.storage.db import open_database, session_scope

    with session_scope(open_database()) as session:
        summary = assign_case(session, case_id, assignee, actor=user)
    click.echo(f"case {case_id}: assigned to {summary.assignee}, {summary.status}")


@cases.command()
@click.argument("case_id", type=int)
@click.argument("text")
@_USER
def comment(case_id: int, text: str, user: str) -> None:
    """Add a comment to a case."""
    from precursor_watch.storage.cases import comment_case
    from precursor_watch.storage.db import open_database, session_scope

    with session_scope(open_database()) as session:
        comment_case(session, case_id, text, author=user)
    click.echo(f"case {case_id}: comment added")


@cases.command()
@click.argument("case_id", type=int)
@click.argument("disposition", type=click.Choice([d.value for d in Disposition]))
@click.option("--reason", required=True, help="Why (kept with the disposition and audited).")
@_USER
def dispose(case_id: int, disposition: str, reason: str, user: str) -> None:
    """Record a human DISPOSITION and close the case; the machine decision is kept as it was."""
    from precursor_watch.storage.cases import dispose_case
    from precursor_watch.storage.db import open_database, session_scope

    with session_scope(open_database()) as session:
        dispose_case(session, case_id, disposition, reason, user=user)
    click.echo(f"case {case_id}: {disposition}, closed")


@cases.command()
@click.argument("case_id", type=int)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "html"]), default="json", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout)."
)
@_USER
def report(case_id: int, fmt: str, out: Path | None, user: str) -> None:
    """A suspicious-order report for the case (contents of 21 CFR 1310.06), as JSON or a
    printable HTML page. Exporting it is recorded in the audit trail."""
    from precursor_watch.reports.suspicious_order import (
        build_suspicious_order_report,
        render_suspicious_order_html,
    )
    from precursor_watch.storage.audit import append_audit
    from precursor_watch.storage.cases import get_case
    from precursor_watch.storage.db import open_database, session_scope

    with session_scope(open_database()) as session:
        data = build_suspicious_order_report(get_case(session, case_id), prepared_by=user)
        append_audit(
            session,
            user,
            "case.report",
            f"case:{case_id}",
            {"format": fmt, "missing": data["missing"]},
        )
    text = (
        json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
        if fmt == "json"
        else render_suspicious_order_html(data)
    )
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
