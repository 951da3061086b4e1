"""API-token authentications remembered for a few seconds, forgotten at once on any change here.

Looking a token up costs a database session, a join of ``api_tokens`` and ``users`` and a hop to a
worker thread: about a fifth of the server's work for a cheap API call. A :class:`TokenCache`
keeps the :class:`~precursor_watch.web.accounts.repository.Account` behind each live token for
``ttl`` seconds (only live tokens of active users; an unknown or revoked token is looked up every
time, so a new token works at once).

Revocation takes effect at once in this process: every ORM session commit that changed a row of
``users`` or ``api_tokens`` (a token revoked, a role changed, a user disabled, through the API,
the pages or the repository functions in any session) advances :func:`auth_generation`, and a
cached entry from an earlier generation is never used. A change made by *another* process (a
second ``serve --workers`` process, ``precursor-watch users disable`` / ``set-role``) is seen
when the entry expires: within ``ttl`` seconds (:data:`TOKEN_CACHE_SECONDS`). Changes made
outside an ORM session (raw SQL on the database) are likewise seen only then.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import InstanceState, ORMExecuteState, Session

from precursor_watch.storage.user_tables import ApiTokenRow, UserRow
from precursor_watch.web.accounts.passwords import sha256_hex
from precursor_watch.web.accounts.repository import Account

TOKEN_CACHE_SECONDS = 5.0
MAX_ENTRIES = 10_000
_CHANGED = "precursor_watch.auth_changed"
# a token's time of last use is written by the lookup itself; it authorizes nothing
_NOT_AUTH = frozenset({"last_used_at"})

_generation = 0
_generation_lock = threading.Lock()


def auth_generation() -> int:
    """Advances whenever this process commits a change to users or API tokens."""
    return _generation


def _advance() -> None:
    global _generation
    with _generation_lock:
        _generation += 1


@dataclass(frozen=True, slots=True)
class _Entry:
    account: Account
    generation: int
    expires: float


class TokenCache:
    """Token digest -> account, for ``ttl`` seconds and while :func:`auth_generation` stands."""

    def __init__(
        self, ttl: float = TOKEN_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[str, _Entry] = {}

    @staticmethod
    def key(secret: str) -> str:
        return sha256_hex(secret)

    def get(self, secret: str) -> Account | None:
        entry = self._entries.get(self.key(secret))
        if entry is None or entry.generation != _generation or entry.expires <= self.clock():
            return None
        return entry.account

    def put(self, secret: str, account: Account, generation: int) -> None:
        """Remember ``account``, looked up after :func:`auth_generation` returned ``generation``.

        Nothing is kept if a change was committed since: the lookup may have read the old rows.
        """
        if generation != _generation or not account.active:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[self.key(secret)] = _Entry(account, generation, self.clock() + self.ttl)


def _touches_auth(obj: object, session: Session) -> bool:
    """A new, deleted or changed user or token row (a token's time of last use alone is not)."""
    if not isinstance(obj, UserRow | ApiTokenRow):
        return False
    if obj in session.new or obj in session.deleted:
        return True
    state: InstanceState[UserRow | ApiTokenRow] = inspect(obj)
    return any(attr.key not in _NOT_AUTH and attr.history.has_changes() for attr in state.attrs)


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, _context: Any) -> None:
    if session.info.get(_CHANGED):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if _touches_auth(obj, session):
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ in (UserRow, ApiTokenRow):
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _advance_on_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        _advance()


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_CHANGED, None)
