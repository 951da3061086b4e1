"""Migrations build exactly the schema the table classes declare, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from precursor_watch.storage import db
from precursor_watch.storage.base import Base


def test_fresh_database_is_migrated_to_head(database_url: str) -> None:
    engine = db.open_database(database_url)
    assert db.current_revision(engine) == db.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"list_versions", "list_active", "list_entities", "list_load_errors"} <= tables


def test_migrated_schema_matches_table_classes(database_url: str) -> None:
    engine = db.open_database(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_open_database_twice_is_a_no_op(database_url: str) -> None:
    first = db.open_database(database_url)
    db.close_databases()
    second = db.open_database(database_url)
    assert db.current_revision(second) == db.head_revision()
    assert first is not second


def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    engine = db.engine_for(database_url)
    db.migrate(engine)
    config = db._alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert not {"list_versions", "list_entities"} & set(inspect(engine).get_table_names())
    db.migrate(engine)
    assert db.current_revision(engine) == db.head_revision()
    engine.dispose()


def test_sqlite_uses_wal_foreign_keys_and_a_batch_sized_page_cache(tmp_path: object) -> None:
    engine = db.engine_for(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA cache_size")).scalar() == -db.SQLITE_CACHE_KIB
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    engine.dispose()


def test_default_database_is_sqlite_in_home(_isolated_home: object) -> None:
    engine = db.open_database()
    assert engine.url.get_backend_name() == "sqlite"
    assert str(_isolated_home) in str(engine.url.database)


def test_postgres_urls_use_psycopg3() -> None:
    assert db.normalize_url("postgresql://u@h/d").startswith("postgresql+psycopg://")
    assert db.normalize_url("postgresql+psycopg2://u@h/d").startswith("postgresql+psycopg://")
