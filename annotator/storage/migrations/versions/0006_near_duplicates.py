"""near-duplicate documents

Three tables for near-duplicate detection (docs/adr/0021-near-duplicates-minhash.md): each
document's MinHash signature, its LSH band keys (the primary key, so that a later import finds
the documents its own share a key with; on SQLite without rowid), and the groups of
near-duplicates found, each member with its similarity to the group's original. A project
upgraded to this revision has no signatures yet: its next import (or ``annotator dedupe``)
computes them.

Revision ID: 0006_near_duplicates
Revises: 0005_export_token_cache
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_near_duplicates"
down_revision = "0005_export_token_cache"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "near_duplicate_signatures",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_near_duplicate_signatures_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_near_duplicate_signatures")),
    )
    op.create_table(
        "near_duplicate_bands",
        sa.Column("band_key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("document_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_near_duplicate_bands_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band_key", "document_id", name=op.f("pk_near_duplicate_bands")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "near_duplicate_members",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_near_duplicate_members_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["documents.id"],
            name=op.f("fk_near_duplicate_members_group_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_near_duplicate_members")),
    )
    op.create_index(
        op.f("ix_near_duplicate_members_group_id"), "near_duplicate_members", ["group_id"]
    )


def downgrade() -> None:
    op.drop_table("near_duplicate_members")
    op.drop_table("near_duplicate_bands")
    op.drop_table("near_duplicate_signatures")
