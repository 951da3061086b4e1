"""Screening runs, decisions, cases, customer history and the hash-chained audit trail.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TZ = sa.DateTime(timezone=True)

# Append-only guards. The hash chain is the proof; these stop honest mistakes.
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions "
    "BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END",
    "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions "
    "BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END",
)
PG_TRIGGERS = (
    "CREATE FUNCTION pw_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP; END $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION pw_refuse_change()",
    "CREATE TRIGGER decisions_immutable BEFORE UPDATE OR DELETE ON decisions "
    "FOR EACH ROW EXECUTE FUNCTION pw_refuse_change()",
)


def _runs_and_decisions() -> None:
    op.create_table(
        "screening_runs",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("input_name", sa.Text(), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("input_size", sa.BigInteger(), nullable=False),
        sa.Column("input_format", sa.String(20), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("partitions", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_screening_runs")),
    )
    op.create_table(
        "run_partitions",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("committed_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "partition", name=op.f("pk_run_partitions")),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["screening_runs.run_id"],
            name=op.f("fk_run_partitions_run_id_screening_runs"),
        ),
    )
    op.create_table(
        "decisions",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("partition", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("input_hash", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("rule_set_version", sa.String(100), nullable=True),
        sa.Column("knowledge_base_version", sa.String(100), nullable=False),
        sa.Column("order_data", sa.JSON(), nullable=True),
        sa.Column("decided_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.ForeignKeyConstraint(
            ["run_id"], ["screening_runs.run_id"], name=op.f("fk_decisions_run_id_screening_runs")
        ),
        sa.UniqueConstraint("run_id", "partition", "position", name=op.f("uq_decisions_run_id")),
    )
    op.create_index(op.f("ix_decisions_order_id"), "decisions", ["order_id"])
    op.create_index(op.f("ix_decisions_input_hash"), "decisions", ["input_hash"])
    op.create_index(op.f("ix_decisions_outcome"), "decisions", ["outcome"])


def _cases() -> None:
    op.create_table(
        "cases",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("decision_id", ROW_ID, nullable=False),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("machine_outcome", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("assignee", sa.String(200), nullable=True),
        sa.Column("opened_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_cases_decision_id_decisions")
        ),
        sa.UniqueConstraint("decision_id", name=op.f("uq_cases_decision_id")),
    )
    op.create_index(op.f("ix_cases_order_id"), "cases", ["order_id"])
    op.create_index(op.f("ix_cases_status"), "cases", ["status"])
    detail_tables: tuple[tuple[str, list[sa.Column[Any]]], ...] = (
        (
            "case_comments",
            [
                sa.Column("author", sa.String(200), nullable=False),
                sa.Column("body", sa.Text(), nullable=False),
                sa.Column("created_at", TZ, nullable=False),
            ],
        ),
        (
            "case_dispositions",
            [
                sa.Column("disposition", sa.String(40), nullable=False),
                sa.Column("reason", sa.Text(), nullable=False),
                sa.Column("decided_by", sa.String(200), nullable=False),
                sa.Column("decided_at", TZ, nullable=False),
            ],
        ),
    )
    for table, columns in detail_tables:
        op.create_table(
            table,
            sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
            sa.Column("case_id", ROW_ID, nullable=False),
            *columns,
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.ForeignKeyConstraint(
                ["case_id"], ["cases.id"], name=op.f(f"fk_{table}_case_id_cases")
            ),
        )
        op.create_index(op.f(f"ix_{table}_case_id"), table, ["case_id"])


def _customer_history() -> None:
    op.create_table(
        "customer_history",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("customer_key", sa.String(400), nullable=False),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=True),
        sa.Column("ship_to", sa.Text(), nullable=True),
        sa.Column("substance_key", sa.String(400), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(10), nullable=True),
        sa.Column("unit_price", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(8), nullable=True),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_history")),
    )
    op.create_index(
        "ix_customer_history_customer_key_order_date",
        "customer_history",
        ["customer_key", "order_date"],
    )


def _audit() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_action"), "audit_log", ["action"])
    op.create_index(op.f("ix_audit_log_subject"), "audit_log", ["subject"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": "0" * 64}])


def upgrade() -> None:
    _runs_and_decisions()
    _cases()
    _customer_history()
    _audit()
    dialect = op.get_bind().dialect.name
    for statement in PG_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for table in (
        "audit_head",
        "audit_log",
        "customer_history",
        "case_dispositions",
        "case_comments",
        "cases",
        "decisions",
        "run_partitions",
        "screening_runs",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS pw_refuse_change()")
