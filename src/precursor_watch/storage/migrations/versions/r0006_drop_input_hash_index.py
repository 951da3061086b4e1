"""Drop the index on decisions.input_hash: no query reads by it, and batches paid for it.

The input hash is a sha256, so every decision a batch inserted went to a random page of that
index. On a million-line run (700,000 decisions, a 56 MB index by the end) nearly every page of
it was rewritten by each partition's commit, twice with SQLite's WAL (log, then checkpoint):
measured by replaying the commits of 1,000,000 lines, dropping it took 16% off the committing
process's CPU and 26% off the commits. The column stays in every row and in the audit entry of
every decision; a lookup by input hash, when one is built, can bring an index back.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_decisions_input_hash"), table_name="decisions")


def downgrade() -> None:
    op.create_index(op.f("ix_decisions_input_hash"), "decisions", ["input_hash"])
