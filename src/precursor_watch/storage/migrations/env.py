"""Alembic environment: run by :func:`precursor_watch.storage.db.migrate` (no alembic.ini).

The caller passes an open connection in ``config.attributes["connection"]``; the ``alembic`` command
line also works when ``sqlalchemy.url`` is set with ``-x`` free configuration (see README).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

import precursor_watch.storage.audit_tables
import precursor_watch.storage.batch_job_tables
import precursor_watch.storage.case_fact_tables
import precursor_watch.storage.case_tables
import precursor_watch.storage.list_tables
import precursor_watch.storage.user_tables  # noqa: F401
from precursor_watch.storage.base import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or pass a connection in config.attributes")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
