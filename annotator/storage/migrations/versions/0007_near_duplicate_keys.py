"""near-duplicate band keys derived from the signatures

Drops ``near_duplicate_bands`` (docs/adr/0021-near-duplicates-minhash.md): an import now
derives each signed document's band keys from its stored signature and looks them up in
memory, instead of inserting 16 indexed rows per document. The signatures and groups are
kept as they are: their band keys are the same whichever way they are found.

Revision ID: 0007_near_duplicate_keys
Revises: 0006_near_duplicates
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_near_duplicate_keys"
down_revision = "0006_near_duplicates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("near_duplicate_bands")


def downgrade() -> None:
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
    # The revision before looks band keys up in that table only: forget the signatures, so
    # that its next import (or ``annotator dedupe``) signs every document again and stores
    # their keys. The groups found stay.
    op.execute("DELETE FROM near_duplicate_signatures")
