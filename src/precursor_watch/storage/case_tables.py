"""Tables for screening results and their human follow-up.

    screening_runs     one row per batch run: input checksum and size, options, status
    run_partitions     (run id, partition) committed: the resume checkpoint of a batch
    decisions          the machine decision on one order; immutable (triggers refuse UPDATE, DELETE)
    cases              one per non-clear decision: status and assignee
    case_comments      notes on a case, with author and time
    case_dispositions  the human dispositions of a case, newest last (never touches ``decisions``)
    customer_history   earlier order lines per customer, for baselines and split-order detection

Migration ``0003`` creates exactly these; change them only through a new migration.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from precursor_watch.storage.base import Base
from precursor_watch.storage.list_tables import RowId


class ScreeningRun(Base):
    __tablename__ = "screening_runs"

    run_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    input_name: Mapped[str] = mapped_column(Text)
    input_sha256: Mapped[str] = mapped_column(String(64))
    input_size: Mapped[int] = mapped_column(BigInteger)
    input_format: Mapped[str] = mapped_column(String(20))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    partitions: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RunPartition(Base):
    __tablename__ = "run_partitions"

    run_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("screening_runs.run_id"), primary_key=True
    )
    partition: Mapped[int] = mapped_column(Integer, primary_key=True)
    orders: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    committed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionRow(Base):
    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("run_id", "partition", "position"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(String(200), index=True)
    run_id: Mapped[str | None] = mapped_column(String(64), ForeignKey("screening_runs.run_id"))
    partition: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int | None] = mapped_column(Integer)
    input_hash: Mapped[str] = mapped_column(String(64))  # no index: see migration 0006
    outcome: Mapped[str] = mapped_column(String(10), index=True)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    versions: Mapped[dict[str, Any]] = mapped_column(JSON)
    rule_set_version: Mapped[str | None] = mapped_column(String(100))
    knowledge_base_version: Mapped[str] = mapped_column(String(100))
    order_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    decision_id: Mapped[int] = mapped_column(RowId, ForeignKey("decisions.id"), unique=True)
    order_id: Mapped[str] = mapped_column(String(200), index=True)
    machine_outcome: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), index=True)
    assignee: Mapped[str | None] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseCommentRow(Base):
    __tablename__ = "case_comments"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(RowId, ForeignKey("cases.id"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseDispositionRow(Base):
    __tablename__ = "case_dispositions"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(RowId, ForeignKey("cases.id"), index=True)
    disposition: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CustomerHistoryRow(Base):
    __tablename__ = "customer_history"
    __table_args__ = (
        Index("ix_customer_history_customer_key_order_date", "customer_key", "order_date"),
    )

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    customer_key: Mapped[str] = mapped_column(String(400))
    order_id: Mapped[str] = mapped_column(String(200))
    order_date: Mapped[date | None] = mapped_column(Date)
    ship_to: Mapped[str | None] = mapped_column(Text)
    substance_key: Mapped[str] = mapped_column(String(400))
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(10))
    unit_price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    run_id: Mapped[str | None] = mapped_column(String(64))
