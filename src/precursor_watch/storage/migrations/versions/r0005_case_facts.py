"""Case facts the queue filters on: case_rules and case_countries, filled for the open cases.

The backfill reads every case with its decision's findings and order in chunks of
``CHUNK`` cases and writes the rows ``storage.case_index.fact_rows`` gives, the same function
that indexes new cases, so a backfilled case and a new one are indexed alike.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from precursor_watch.storage.case_index import fact_rows

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CHUNK = 5000


def _create() -> None:
    op.create_table(
        "case_rules",
        sa.Column("rule_id", sa.String(100), nullable=False),
        sa.Column("case_id", ROW_ID, nullable=False, autoincrement=False),
        sa.PrimaryKeyConstraint("rule_id", "case_id", name=op.f("pk_case_rules")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_rules_case_id_cases")
        ),
    )
    op.create_table(
        "case_countries",
        sa.Column("country", sa.String(100), nullable=False),
        sa.Column("case_id", ROW_ID, nullable=False, autoincrement=False),
        sa.PrimaryKeyConstraint("country", "case_id", name=op.f("pk_case_countries")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_countries_case_id_cases")
        ),
    )


def _backfill() -> None:
    bind = op.get_bind()
    cases = sa.table("cases", sa.column("id", ROW_ID), sa.column("decision_id", ROW_ID))
    decisions = sa.table(
        "decisions",
        sa.column("id", ROW_ID),
        sa.column("findings", sa.JSON()),
        sa.column("order_data", sa.JSON()),
    )
    case_rules = sa.table("case_rules", sa.column("rule_id"), sa.column("case_id"))
    case_countries = sa.table("case_countries", sa.column("country"), sa.column("case_id"))
    last = 0
    while True:
        chunk = bind.execute(
            sa.select(cases.c.id, decisions.c.findings, decisions.c.order_data)
            .join(decisions, decisions.c.id == cases.c.decision_id)
            .where(cases.c.id > last)
            .order_by(cases.c.id)
            .limit(CHUNK)
        ).all()
        if not chunk:
            return
        rules: list[dict[str, Any]] = []
        countries: list[dict[str, Any]] = []
        for case_id, findings, order_data in chunk:
            case_rule_rows, case_country_rows = fact_rows(case_id, findings, order_data)
            rules.extend(case_rule_rows)
            countries.extend(case_country_rows)
        if rules:
            bind.execute(sa.insert(case_rules), rules)
        if countries:
            bind.execute(sa.insert(case_countries), countries)
        last = chunk[-1][0]


def upgrade() -> None:
    _create()
    _backfill()


def downgrade() -> None:
    op.drop_table("case_countries")
    op.drop_table("case_rules")
