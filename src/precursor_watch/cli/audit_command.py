"""``precursor-watch audit``: prove the audit trail intact, or read it."""

from __future__ import annotations

import json

import click


@click.group()
def audit() -> None:
    """The hash-chained audit trail of decisions, dispositions, comments and list loads."""


@audit.command()
def verify() -> None:
    """Walk the whole chain. Prints the entry count and head hash when it is intact; otherwise
    names the first broken entry and exits with status 9."""
    from precursor_watch.storage.audit import verify_chain
    from precursor_watch.storage.db import open_database

    status = verify_chain(open_database())  # AuditChainBrokenError -> exit 9, names the entry
    click.echo(f"intact: {status.count} entries, head {status.head_hash}")


@audit.command("log")
@click.option("--subject", help="Only entries about this subject, e.g. case:12 or order:A-1.")
@click.option("--limit", default=20, show_default=True, help="How many entries, newest first.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def log(subject: str | None, limit: int, as_json: bool) -> None:
    """Show the newest audit entries."""
    from precursor_watch.storage.audit import read_entries
    from precursor_watch.storage.db import open_database, session_scope

    with session_scope(open_database()) as session:
        entries = read_entries(session, subject=subject, limit=limit)
    for e in entries:
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "seq": e.seq,
                        "time": e.created_at,
                        "actor": e.actor,
                        "action": e.action,
                        "subject": e.subject,
                        "payload": e.payload,
                        "hash": e.hash,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            payload = json.dumps(e.payload, ensure_ascii=False)
            click.echo(
                f"{e.seq:>7}  {e.created_at}  {e.actor:<12} {e.action:<18} {e.subject}  {payload}"
            )
