"""Users, browser sessions and API tokens in the database (tables in ``storage.user_tables``).

Every function takes an open SQLAlchemy ``Session`` and leaves committing to the caller
(``storage.db.session_scope``), so a change and its audit entry share one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from precursor_watch.errors import InputError, NotFoundError
from precursor_watch.storage.user_tables import ApiTokenRow, UserRow, WebSessionRow
from precursor_watch.web.accounts.passwords import (
    check_password_strength,
    hash_password,
    new_secret,
    sha256_hex,
    verify_password,
)
from precursor_watch.web.accounts.roles import Role

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
TOKEN_PREFIX = "pw_"
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)
_DUMMY_HASH = hash_password("not a password of anyone")


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, row: UserRow) -> Account:
        return cls(
            row.id,
            row.username,
            row.display_name,
            Role(row.role),
            row.active,
            row.created_at,
            row.last_login_at,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role.value,
            "active": self.active,
            "created_at": self.created_at.isoformat(),
            "last_login_at": self.last_login_at.isoformat() if self.last_login_at else None,
        }


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    prefix: str
    name: str
    username: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "prefix": self.prefix,
            "name": self.name,
            "username": self.username,
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
            "revoked": self.revoked,
        }


def now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def normalize_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InputError(
            f"user name {username!r} must be 2-100 characters: letters, digits, . _ @ -",
            field="username",
        )
    return name


def _row(session: Session, username: str) -> UserRow:
    row = session.scalars(
        select(UserRow).where(UserRow.username == normalize_username(username))
    ).first()
    if row is None:
        raise NotFoundError(f"no user named {username!r}", field="username")
    return row


def add_user(
    session: Session,
    username: str,
    role: Role,
    password: str | None = None,
    display_name: str | None = None,
) -> tuple[Account, str | None]:
    """Create a user. Without ``password`` a one-time password is generated and returned."""
    name = normalize_username(username)
    if session.scalars(select(UserRow).where(UserRow.username == name)).first() is not None:
        raise InputError(f"user {name!r} already exists", field="username")
    generated = None
    if password is None:
        generated = password = new_secret(12)
    check_password_strength(password)
    row = UserRow(
        username=name,
        display_name=(display_name or name).strip()[:200],
        role=role.value,
        password_hash=hash_password(password),
        active=True,
        created_at=now(),
        last_login_at=None,
    )
    session.add(row)
    session.flush()
    return Account.of(row), generated


def get_user(session: Session, username: str) -> Account:
    return Account.of(_row(session, username))


def list_users(session: Session) -> list[Account]:
    return [Account.of(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]


def count_users(session: Session) -> int:
    return len(session.scalars(select(UserRow.id)).all())


def update_user(
    session: Session, username: str, *, role: Role | None = None, active: bool | None = None
) -> Account:
    row = _row(session, username)
    if role is not None:
        row.role = role.value
    if active is not None:
        row.active = active
        if not active:
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
    session.flush()
    return Account.of(row)


def set_password(session: Session, username: str, password: str) -> Account:
    check_password_strength(password)
    row = _row(session, username)
    row.password_hash = hash_password(password)
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
    session.flush()
    return Account.of(row)


def authenticate(session: Session, username: str, password: str) -> Account | None:
    """The account when the password is right and the account active; None otherwise."""
    try:
        name = normalize_username(username)
    except InputError:
        return None
    row = session.scalars(select(UserRow).where(UserRow.username == name)).first()
    if row is None:
        verify_password(password, _DUMMY_HASH)  # same work as for a real user: no timing hint
        return None
    if not row.active or not verify_password(password, row.password_hash):
        return None
    row.last_login_at = now()
    return Account.of(row)


def start_session(session: Session, account: Account, hours: float) -> tuple[str, str]:
    """A new browser session for ``account``: returns (session secret, CSRF token)."""
    secret, csrf = new_secret(), new_secret(24)
    moment = now()
    session.add(
        WebSessionRow(
            secret_sha256=sha256_hex(secret),
            user_id=account.id,
            csrf_token=csrf,
            created_at=moment,
            expires_at=moment + timedelta(hours=hours),
        )
    )
    session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < moment))
    return secret, csrf


def account_for_session(session: Session, secret: str) -> tuple[Account, str] | None:
    """The (account, CSRF token) of a live session, or None when unknown, expired or disabled."""
    found = session.execute(
        select(WebSessionRow, UserRow)
        .join(UserRow, UserRow.id == WebSessionRow.user_id)
        .where(WebSessionRow.secret_sha256 == sha256_hex(secret))
    ).first()
    if found is None:
        return None
    web_session, user = found
    if _aware(web_session.expires_at) <= now() or not user.active:
        return None
    return Account.of(user), web_session.csrf_token


def end_session(session: Session, secret: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.secret_sha256 == sha256_hex(secret)))


def create_token(session: Session, username: str, name: str) -> tuple[TokenInfo, str]:
    """A new API token for ``username``; the secret is returned once and stored only hashed."""
    row = _row(session, username)
    label = name.strip()
    if not label:
        raise InputError("a token needs a name saying what uses it", field="name")
    secret = TOKEN_PREFIX + new_secret()
    token = ApiTokenRow(
        token_sha256=sha256_hex(secret),
        prefix=secret[:10],
        name=label[:200],
        user_id=row.id,
        created_at=now(),
        last_used_at=None,
        revoked_at=None,
    )
    session.add(token)
    session.flush()
    return _token_info(token, row.username), secret


def _token_info(row: ApiTokenRow, username: str) -> TokenInfo:
    return TokenInfo(
        row.id,
        row.prefix,
        row.name,
        username,
        row.created_at,
        row.last_used_at,
        row.revoked_at is not None,
    )


def account_for_token(session: Session, secret: str) -> Account | None:
    """The account behind a live API token, or None. Marks the token used (at most every 5 min)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    found = session.execute(
        select(ApiTokenRow, UserRow)
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .where(ApiTokenRow.token_sha256 == sha256_hex(secret))
    ).first()
    if found is None:
        return None
    token, user = found
    if token.revoked_at is not None or not user.active:
        return None
    moment = now()
    if token.last_used_at is None or moment - _aware(token.last_used_at) > TOKEN_TOUCH_INTERVAL:
        token.last_used_at = moment
    return Account.of(user)


def list_tokens(session: Session, username: str | None = None) -> list[TokenInfo]:
    query = select(ApiTokenRow, UserRow.username).join(UserRow, UserRow.id == ApiTokenRow.user_id)
    if username is not None:
        query = query.where(UserRow.username == normalize_username(username))
    rows = session.execute(query.order_by(ApiTokenRow.id)).all()
    return [_token_info(token, name) for token, name in rows]


def revoke_token(session: Session, token_id: int, username: str | None = None) -> TokenInfo:
    """Revoke a token (only ``username``'s own when given)."""
    found = session.execute(
        select(ApiTokenRow, UserRow.username)
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .where(ApiTokenRow.id == token_id)
    ).first()
    if found is None or (username is not None and found[1] != username):
        raise NotFoundError(f"no API token with id {token_id}", field="token_id")
    token, owner = found
    if token.revoked_at is None:
        token.revoked_at = now()
    session.flush()
    return _token_info(token, owner)
