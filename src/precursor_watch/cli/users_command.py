"""``precursor-watch users``: accounts of the web console (the first admin is made here).

    precursor-watch users add alice --role admin        # prints a one-time password
    precursor-watch users add bot --role analyst --password-stdin < secret.txt
    precursor-watch users list
    precursor-watch users set-role bob supervisor
    precursor-watch users disable bob
    precursor-watch users password bob                  # new one-time password
    precursor-watch users token bot --name "ERP connector"   # prints an API token once
    precursor-watch users tokens bot                     # id, prefix, state, last use
    precursor-watch users revoke-token 7

Every change is written to the audit trail with the actor ``cli:<operating-system user>``.
"""

from __future__ import annotations

import getpass
import json
import sys

import click

from precursor_watch.storage.audit import append_audit
from precursor_watch.storage.db import open_database, session_scope
from precursor_watch.web.accounts import repository
from precursor_watch.web.accounts.passwords import new_secret
from precursor_watch.web.accounts.roles import Role

ROLE_NAMES = [r.value for r in Role]


def actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@click.group()
def users() -> None:
    """Manage the users of the web console and their API tokens."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True, help="what they may do")
@click.option("--name", "display_name", default=None, help="name shown in the console")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def add(username: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create a user. Prints a one-time password unless --password-stdin is given."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    with session_scope(open_database()) as session:
        account, generated = repository.add_user(
            session, username, Role(role), password, display_name
        )
        append_audit(session, actor(), "user.create", f"user:{account.username}", {"role": role})
    click.echo(f"created {account.username} ({account.role.value})")
    if generated:
        click.echo(f"one-time password: {generated}")
        click.echo("sign in at /login with it; it is not shown again")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per user")
def list_users(as_json: bool) -> None:
    """Every user, role and state."""
    with session_scope(open_database()) as session:
        accounts = repository.list_users(session)
    for account in accounts:
        if as_json:
            click.echo(json.dumps(account.to_json()))
        else:
            state = "active" if account.active else "disabled"
            click.echo(f"{account.username:<24} {account.role.value:<11} {state}")


@users.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLE_NAMES))
def set_role(username: str, role: str) -> None:
    """Change a user's role."""
    with session_scope(open_database()) as session:
        account = repository.update_user(session, username, role=Role(role))
        append_audit(session, actor(), "user.update", f"user:{account.username}", {"role": role})
    click.echo(f"{account.username} is now {account.role.value}")


@users.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable a user: their sessions end and their tokens stop working."""
    with session_scope(open_database()) as session:
        account = repository.update_user(session, username, active=False)
        append_audit(session, actor(), "user.update", f"user:{account.username}", {"active": False})
    click.echo(f"{account.username} is disabled")


@users.command("password")
@click.argument("username")
def password(username: str) -> None:
    """Give a user a new one-time password (ends their sessions)."""
    secret = new_secret(12)
    with session_scope(open_database()) as session:
        account = repository.set_password(session, username, secret)
        append_audit(session, actor(), "user.password_reset", f"user:{account.username}", {})
    click.echo(f"one-time password for {account.username}: {secret}")


@users.command("token")
@click.argument("username")
@click.option("--name", required=True, help="what will use the token")
def token(username: str, name: str) -> None:
    """Create an API token acting as USERNAME and print it (once)."""
    with session_scope(open_database()) as session:
        info, secret = repository.create_token(session, username, name)
        append_audit(
            session,
            actor(),
            "token.create",
            f"user:{info.username}",
            {"token_id": info.id, "prefix": info.prefix, "name": info.name},
        )
    click.echo(secret)


@users.command("tokens")
@click.argument("username", required=False)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per token")
def list_tokens(username: str | None, as_json: bool) -> None:
    """Every API token (of USERNAME when given): id, prefix, owner, name, last use, state. The
    secret itself is never stored, so it is never shown again."""
    with session_scope(open_database()) as session:
        tokens = repository.list_tokens(session, username)
    for info in tokens:
        if as_json:
            click.echo(json.dumps(info.to_json()))
        else:
            used = info.last_used_at.isoformat(timespec="minutes") if info.last_used_at else "-"
            state = "revoked" if info.revoked else "active"
            click.echo(
                f"{info.id:>5} {info.prefix:<12} {info.username:<24} {state:<8} "
                f"last used {used:<17} {info.name}"
            )


@users.command("revoke-token")
@click.argument("token_id", type=click.IntRange(1))
def revoke_token(token_id: int) -> None:
    """Revoke the API token TOKEN_ID (see `users tokens`): it stops working at once in every
    process that checks the database, and within 5 s in a running console that cached it."""
    with session_scope(open_database()) as session:
        info = repository.revoke_token(session, token_id)
        append_audit(
            session,
            actor(),
            "token.revoke",
            f"user:{info.username}",
            {"token_id": info.id, "prefix": info.prefix},
        )
    click.echo(f"token {info.id} ({info.prefix}…) of {info.username} is revoked")
