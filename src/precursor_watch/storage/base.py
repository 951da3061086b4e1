"""The one SQLAlchemy declarative base whose metadata every table of precursor-watch belongs to.

Tables live in per-topic modules (``list_tables``, ``case_tables``, ``audit_tables``...) that
subclass :class:`Base`. Alembic migrations under ``storage/migrations`` are written by hand as
explicit ``op.create_table`` calls; this metadata is what they must agree with (a test compares
the migrated schema with it).
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so that later migrations can drop or alter them on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
