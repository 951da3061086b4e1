"""Tables for sanctions and watch lists: every loaded version is kept, one is active per list.

    list_versions      one row per loaded file (set): list, version, publish date, sha256, counts
    list_active        list name -> the version screening uses now (flipped in the load transaction)
    list_entities      the entries of a version; the full ListEntity is kept as JSON in ``data``
    list_identifiers   exact identifiers (registration, tax, email, wallet...) for lookups in SQL
    list_load_errors   every record that could not be loaded, with file and line

Migration ``0001`` creates exactly these; change them only through a new migration.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from precursor_watch.storage.base import Base

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so it autoincrements) on SQLite.
RowId = BigInteger().with_variant(Integer(), "sqlite")


class ListVersion(Base):
    __tablename__ = "list_versions"
    __table_args__ = (UniqueConstraint("list_name", "sha256"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    list_name: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[str] = mapped_column(String(100))
    publish_date: Mapped[date | None] = mapped_column(Date)
    date_source: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(40))
    source_path: Mapped[str] = mapped_column(Text)
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    entity_count: Mapped[int] = mapped_column(Integer)
    name_count: Mapped[int] = mapped_column(Integer)
    error_count: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    activation_note: Mapped[str | None] = mapped_column(Text)


class ListActive(Base):
    __tablename__ = "list_active"

    list_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    version_id: Mapped[int] = mapped_column(RowId, ForeignKey("list_versions.id"))
    activated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ListEntityRow(Base):
    __tablename__ = "list_entities"
    __table_args__ = (UniqueConstraint("version_id", "entity_id"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(
        RowId, ForeignKey("list_versions.id", ondelete="CASCADE")
    )
    entity_id: Mapped[str] = mapped_column(String(200))
    entity_type: Mapped[str] = mapped_column(String(20))
    primary_name: Mapped[str] = mapped_column(Text)
    source_line: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ListIdentifierRow(Base):
    __tablename__ = "list_identifiers"
    __table_args__ = (Index("ix_list_identifiers_kind_normalized", "kind", "normalized"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(
        RowId, ForeignKey("list_versions.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(String(400))
    country: Mapped[str | None] = mapped_column(String(8))


class ListLoadErrorRow(Base):
    __tablename__ = "list_load_errors"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(
        RowId, ForeignKey("list_versions.id", ondelete="CASCADE"), index=True
    )
    file: Mapped[str] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
