"""export token cache

A table of token and sentence boundaries per text (by SHA-256), filled by the first export
that needs tokens and read by the next ones, so that a text is tokenized once rather than
once per export.

Revision ID: 0005_export_token_cache
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_export_token_cache"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "token_boundaries",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("tokenizer", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_token_boundaries")),
    )


def downgrade() -> None:
    op.drop_table("token_boundaries")
