"""Open the database: engines for SQLite and PostgreSQL, sessions, and migrations to head.

Every command calls :func:`open_database`, so a fresh database is created and migrated on first
use::

    engine = open_database()                 # PRECURSOR_WATCH_DB, or SQLite in PRECURSOR_WATCH_HOME
    with session_scope(engine) as session:   # commits on success, rolls back on error
        ...
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from precursor_watch.domain.json_text import dumps_json
from precursor_watch.errors import ConfigurationError, StorageError
from precursor_watch.settings import database_url

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_S = 30
# SQLite's page cache per connection, in KiB (negative: a size, not a page count). The default,
# 2 MiB, is smaller than a batch partition's transaction (about 40 MB of decisions and their
# indexes): SQLite spilled dirty pages to the WAL part way through it and read index pages back
# again and again. At 64 MiB a 200,000-line batch made 394,000 page writes and 141,000 page
# reads instead of 735,000 and 496,000 (strace of the committing process, 2026-11-23), and the
# in-process run spent about a sixth less time in the kernel. A cap, not a reservation:
# a connection that reads little uses little.
SQLITE_CACHE_KIB = 65_536
PG_CONNECT_TIMEOUT_S = 10

_opened: dict[str, Engine] = {}
_opened_lock = threading.Lock()


def normalize_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names (``postgresql://`` included)."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError for malformed URLs
        raise ConfigurationError(
            f"bad database URL {url!r}: {exc}", field="PRECURSOR_WATCH_DB"
        ) from exc
    if parsed.get_backend_name() in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    finally:
        cursor.close()


def engine_for(url: str | None = None) -> Engine:
    """A new engine for ``url`` (default: the configured database), not migrated.

    SQLite gets WAL journaling, foreign keys and a busy timeout; its parent folder is created.
    PostgreSQL is reached through psycopg 3 with a connect timeout.
    """
    url = normalize_url(url or database_url())
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    # JSON columns take text serialized where a decision was made as it is (``JsonText``).
    kwargs: dict[str, Any] = {"json_serializer": dumps_json}
    if backend == "sqlite":
        database = parsed.database or ""
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
        if database in {"", ":memory:"}:
            kwargs["poolclass"] = StaticPool
        else:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        kwargs["pool_pre_ping"] = True
        return create_engine(url, **kwargs)
    raise ConfigurationError(
        f"unsupported database {backend!r} in {parsed.render_as_string()}: use sqlite:/// or "
        "postgresql+psycopg://",
        field="PRECURSOR_WATCH_DB",
    )


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def head_revision() -> str:
    """The newest migration revision shipped with this version of precursor-watch."""
    from alembic.script import ScriptDirectory

    from_config = ScriptDirectory(str(MIGRATIONS_DIR))
    head = from_config.get_current_head()
    if head is None:
        raise StorageError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for a fresh database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest revision (``alembic upgrade head``, no alembic.ini)."""
    from alembic import command

    try:
        if current_revision(engine) == head_revision():
            return
        config = _alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise StorageError(f"could not migrate database {_safe(engine)}: {exc}") from exc


def open_database(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: configured database), migrated to head. Cached per URL."""
    key = normalize_url(url or database_url())
    with _opened_lock:
        engine = _opened.get(key)
        if engine is None:
            engine = engine_for(key)
            try:
                migrate(engine)
            except BaseException:
                engine.dispose()
                raise
            _opened[key] = engine
        return engine


def close_databases() -> None:
    """Dispose every engine opened by :func:`open_database` (tests, shutdown)."""
    with _opened_lock:
        for engine in _opened.values():
            engine.dispose()
        _opened.clear()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back if it raises."""
    session = session_factory(engine or open_database())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _safe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
