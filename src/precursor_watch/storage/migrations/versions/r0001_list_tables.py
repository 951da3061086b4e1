"""List tables: versions, active pointer, entities, identifiers, load errors.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "list_versions",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("list_name", sa.String(100), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("publish_date", sa.Date(), nullable=True),
        sa.Column("date_source", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("entity_count", sa.Integer(), nullable=False),
        sa.Column("name_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activation_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_versions")),
        sa.UniqueConstraint("list_name", "sha256", name=op.f("uq_list_versions_list_name")),
    )
    op.create_index(op.f("ix_list_versions_list_name"), "list_versions", ["list_name"])
    op.create_table(
        "list_active",
        sa.Column("list_name", sa.String(100), nullable=False),
        sa.Column("version_id", ROW_ID, nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("list_name", name=op.f("pk_list_active")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["list_versions.id"],
            name=op.f("fk_list_active_version_id_list_versions"),
        ),
    )
    op.create_table(
        "list_entities",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("version_id", ROW_ID, nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("entity_type", sa.String(20), nullable=False),
        sa.Column("primary_name", sa.Text(), nullable=False),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_entities")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["list_versions.id"],
            name=op.f("fk_list_entities_version_id_list_versions"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("version_id", "entity_id", name=op.f("uq_list_entities_version_id")),
    )
    op.create_table(
        "list_identifiers",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("version_id", ROW_ID, nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("normalized", sa.String(400), nullable=False),
        sa.Column("country", sa.String(8), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_identifiers")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["list_versions.id"],
            name=op.f("fk_list_identifiers_version_id_list_versions"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_list_identifiers_version_id"), "list_identifiers", ["version_id"])
    op.create_index(
        "ix_list_identifiers_kind_normalized", "list_identifiers", ["kind", "normalized"]
    )
    op.create_table(
        "list_load_errors",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("version_id", ROW_ID, nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(100), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_load_errors")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["list_versions.id"],
            name=op.f("fk_list_load_errors_version_id_list_versions"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_list_load_errors_version_id"), "list_load_errors", ["version_id"])


def downgrade() -> None:
    op.drop_table("list_load_errors")
    op.drop_table("list_identifiers")
    op.drop_table("list_entities")
    op.drop_table("list_active")
    op.drop_table("list_versions")
