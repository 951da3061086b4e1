"""Tables for the people and machines that use the console: users, browser sessions, API tokens.

    users          one row per person: user name, role, scrypt password hash, active flag
    web_sessions   one row per signed-in browser: sha256 of the session secret, CSRF token, expiry
    api_tokens     one row per machine token: sha256 of the token, a short prefix to recognise it

Secrets (session ids, API tokens) are stored only as sha256 digests: they are long random values,
so a digest is enough and a stolen database does not hand out working credentials. Passwords are
stored as scrypt hashes (see ``precursor_watch.web.accounts.passwords``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from precursor_watch.storage.base import Base
from precursor_watch.storage.list_tables import RowId


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(RowId, ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int] = mapped_column(RowId, ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
